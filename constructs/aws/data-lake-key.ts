import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { requireWholeNumber } from './whole-number';

export interface DataLakeKeyProps {
  /** Alias of the key, e.g. `alias/acme-prod-data` (see `kmsAliasName`). */
  readonly aliasName: string;
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days a scheduled deletion waits before the key is gone (7-30).
   * @default 30
   */
  readonly pendingWindowDays?: number;
  /**
   * Description shown in the KMS console.
   * @default - "Customer-managed key for the data lake"
   */
  readonly description?: string;
  /**
   * Whether CloudWatch Logs in the key's region may encrypt the account's log groups with it (flow
   * logs, job and pipeline logs), limited by the log-group encryption context.
   * @default true
   */
  readonly allowCloudWatchLogs?: boolean;
}

/**
 * The customer-managed KMS key that encrypts an environment's data: yearly rotation, and a key policy
 * that lets grants be created only for AWS services acting on the account's behalf (Glue, EMR, S3), so
 * nobody can hand out standing access to the key through a grant.
 */
export class DataLakeKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: DataLakeKeyProps) {
    super(scope, id);
    const pendingWindowDays = props.pendingWindowDays ?? 30;
    if (!Token.isUnresolved(pendingWindowDays)) requireWholeNumber('pendingWindowDays', pendingWindowDays, 7, 30, 'days');
    this.key = new Key(this, 'Resource', {
      alias: props.aliasName,
      description: props.description ?? 'Customer-managed key for the data lake',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(pendingWindowDays),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.allowCloudWatchLogs ?? true) {
      const { region, account, partition } = Stack.of(this);
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchLogsOfThisAccount',
          principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
        }),
      );
    }
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  }
}
