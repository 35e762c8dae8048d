import { RemovalPolicy } from 'aws-cdk-lib';
import type { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { IInterfaceVpcEndpoint, IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { GoldApi } from '../../constructs/aws/gold-api';
import { goldApiAccess } from '../../lib/access/api-access';
import { goldApiName } from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface ApiStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack): logs, the function's environment, query results. */
  readonly encryptionKey: IKey;
  /** The environment's VPC (from the network stack); the function runs in its isolated subnets. */
  readonly vpc: IVpc;
  /** The VPC's `execute-api` interface endpoint (from the network stack); required when `consumers.api.endpointType` is private. */
  readonly executeApiEndpoint?: IInterfaceVpcEndpoint;
  /** The environment's Athena workgroup and its results bucket (from the analytics stack). */
  readonly workgroup: CfnWorkGroup;
  readonly resultsBucket: IBucket;
  /** The environment's alert topic (from the orchestration stack). */
  readonly alertTopic: ITopic;
}

/**
 * `<prefix>-<env>-api`: the gold API of `consumers.api` (`GoldApi`), planned only in the environments
 * the definition deploys it to: the exposed tables, their filters and callers, and the Lake Formation tag
 * its role reads through, all from the access plan (`goldApiAccess`).
 */
export class ApiStack extends EnvironmentStack {
  readonly goldApi: GoldApi;

  constructor(scope: Construct, props: ApiStackProps) {
    super(scope, 'api', { description: `Gold API (API Gateway, Lambda, Athena) of ${props.config.prefix} ${props.environment.name}`, ...props });
    const api = this.config.consumers.api;
    const access = goldApiAccess(this.config, this.platformEnvironment);
    if (!api || !access) throw new Error(`environment "${this.platformEnvironment.name}" deploys no gold API; add it to consumers.api.environments`);
    this.goldApi = new GoldApi(this, 'GoldApi', {
      apiName: goldApiName(this.naming),
      roleName: access.roleName,
      endpointType: api.endpointType,
      vpc: props.vpc,
      vpcEndpoint: props.executeApiEndpoint,
      workgroup: props.workgroup,
      resultsBucket: props.resultsBucket,
      encryptionKey: props.encryptionKey,
      goldDatabase: access.database,
      lakeFormationTagKey: access.tagKey,
      tables: access.tables,
      rateLimit: api.throttling.rateLimit,
      burstLimit: api.throttling.burstLimit,
      maxPageSize: api.maxPageSize,
      alertTopic: props.alertTopic,
      removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
