import { RemovalPolicy } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { AuditTrail } from '../../constructs/aws';
import { LAYERS } from '../../lib/definition';
import { auditKeyAliasName, auditLogGroupName, auditLogsBucketName, cloudTrailName } from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';
import { layerBucketsByName } from './lake-buckets';

export interface AuditStackProps extends EnvironmentStackProps {
  /** The environment's access-log bucket (from the storage stack). */
  readonly accessLogsBucket: IBucket;
}

/**
 * `<prefix>-<env>-audit`: the environment's CloudTrail trail (management events, S3 data events of the
 * bronze, silver and gold buckets), with its own key and an Object-Locked log bucket that keeps every
 * log file `audit.retentionDays` (compliance mode in production, governance elsewhere). Planned only
 * when the environment names no organisation trail (`audit.organizationTrail`).
 */
export class AuditStack extends EnvironmentStack {
  readonly trail: AuditTrail;

  constructor(scope: Construct, props: AuditStackProps) {
    super(scope, 'audit', {
      description: `Audit trail (CloudTrail, its key, Object-Locked log bucket and log group) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const { account, region } = this.aws;
    const environment = this.platformEnvironment;
    const buckets = layerBucketsByName(this);
    this.trail = new AuditTrail(this, 'Trail', {
      trailName: cloudTrailName(this.naming),
      dataEventBuckets: LAYERS.map((layer) => buckets[layer]),
      serverAccessLogsBucket: props.accessLogsBucket,
      retentionDays: environment.audit.retentionDays,
      lockMode: environment.isProduction ? 'compliance' : 'governance',
      keyAliasName: auditKeyAliasName(this.naming),
      bucketName: auditLogsBucketName(this.naming, account, region),
      logGroupName: auditLogGroupName(this.naming),
      removalPolicy: environment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      keyPendingWindowDays: environment.dataProtection.kmsKeyDeletionWindowDays,
    });
  }
}
