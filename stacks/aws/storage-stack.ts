import { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataLakeStorage, WRITER_SCRATCH_KEY_PATTERNS } from '../../constructs/aws';
import { LAYERS, type Layer } from '../../lib/definition';
import { STREAM_CHECKPOINT_PREFIX } from '../../lib/lake';
import { kmsAliasName, s3BucketName } from '../../lib/naming';
import { highestClassification } from '../../lib/tagging';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

/**
 * `<prefix>-<env>-storage`: the stateful part of an environment on AWS (key and buckets), kept apart
 * from everything that can be redeployed at will. Bronze is locked for `lifecycle.bronze.retainDays` in the
 * environment's `bronzeLockMode`; only the lake administrators are exempt from its bucket policy's denies.
 */
export class StorageStack extends EnvironmentStack {
  readonly dataLake: DataLakeStorage;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, 'storage', {
      description: `Data lake storage (KMS key, access logs, bronze/silver/gold buckets) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const { account, region } = this.aws;
    const classification = highestClassification(this.config.datasets.map((d) => d.classification));
    this.dataLake = new DataLakeStorage(this, 'DataLake', {
      keyAliasName: kmsAliasName(this.naming, 'data'),
      accessLogsBucketName: s3BucketName(this.naming, 'access-logs', account, region),
      bucketNames: Object.fromEntries(LAYERS.map((layer) => [layer, s3BucketName(this.naming, layer, account, region)])) as Record<Layer, string>,
      lifecycle: this.platformEnvironment.lifecycle,
      removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      keyPendingWindowDays: this.platformEnvironment.dataProtection.kmsKeyDeletionWindowDays,
      dataClassification: Object.fromEntries(LAYERS.map((layer) => [layer, classification])),
      bronzeLockMode: this.platformEnvironment.dataProtection.bronzeLockMode,
      lockAdministratorArns: this.lakeAdministratorRoleArns(),
      // Streaming jobs replace and clean up their Structured Streaming checkpoints; the lock still keeps every version.
      bronzeDeletableKeyPatterns: [...WRITER_SCRATCH_KEY_PATTERNS, `${STREAM_CHECKPOINT_PREFIX}*`],
    });
  }
}
