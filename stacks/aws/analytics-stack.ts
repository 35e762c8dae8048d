import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { QueryWorkgroup } from '../../constructs/aws';
import { athenaWorkgroupName, s3BucketName } from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface AnalyticsStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack). */
  readonly encryptionKey: IKey;
  /** The environment's access-log bucket (from the storage stack). */
  readonly accessLogsBucket: IBucket;
}

/** `<prefix>-<env>-analytics`: how people and BI tools query the lake (the Athena workgroup). */
export class AnalyticsStack extends EnvironmentStack {
  readonly queries: QueryWorkgroup;

  constructor(scope: Construct, props: AnalyticsStackProps) {
    super(scope, 'analytics', {
      description: `Query engine (Athena workgroup and results bucket) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    this.queries = new QueryWorkgroup(this, 'Queries', {
      workgroupName: athenaWorkgroupName(this.naming),
      resultsBucketName: s3BucketName(this.naming, 'athena-results', this.aws.account, this.aws.region),
      encryptionKey: props.encryptionKey,
      serverAccessLogsBucket: props.accessLogsBucket,
      removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
