import { join } from 'node:path';
import { type CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, ServerSideEncryption, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { SparkManifest } from '../../lib/pipelines/spark-manifest';
import { SPARK_MANIFEST_KEY, SPARK_SILVER_GOLD_SCRIPT_KEY } from '../../lib/naming';
import { acknowledgeCheckov } from '../../lib/policy/checkov-cloudformation-skip';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';

/** The folder of the Spark application in the repository (deployed as it is: plain Python, no build). */
export const SPARK_APPLICATION_DIR = join(__dirname, 'jobs', 'spark');

export interface SparkApplicationProps {
  /** Bucket the application and its manifest are deployed to (under `spark/`). */
  readonly bucket: IBucket;
  /** The bucket's key; the deployment writes SSE-KMS objects with it. */
  readonly encryptionKey: IKey;
  /** The dataset manifest of the environment (`sparkManifest`). */
  readonly manifest: SparkManifest;
  /**
   * VPC the deployment function runs in (it reaches S3 through the gateway endpoint).
   * @default - the function runs outside any VPC
   */
  readonly vpc?: IVpc;
  /**
   * Subnets of the deployment function.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: SubnetSelection;
  /**
   * How long the deployment function's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The Spark application that builds silver and gold (`spark/silver_gold.py`) and the dataset manifest it
 * reads (`spark/manifest.json`), copied into the artifacts bucket on every deployment. Objects under
 * `spark/` that are no longer in the repository are removed; versioning keeps the previous ones.
 */
export class SparkApplication extends Construct {
  readonly deployment: BucketDeployment;
  /** Logs of the deployment function, encrypted with the environment key. */
  readonly logGroup: LogGroup;
  /** `s3://<bucket>/spark/silver_gold.py`. */
  readonly scriptLocation: string;
  /** `s3://<bucket>/spark/manifest.json`. */
  readonly manifestLocation: string;

  constructor(scope: Construct, id: string, props: SparkApplicationProps) {
    super(scope, id);
    const prefix = 'spark/';
    for (const key of [SPARK_SILVER_GOLD_SCRIPT_KEY, SPARK_MANIFEST_KEY]) {
      if (!key.startsWith(prefix)) throw new Error(`${key} must lie under ${prefix}, the prefix this deployment owns`);
    }
    this.logGroup = new LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeCrossStackSetting(this.logGroup, props.encryptionKey, 'cloudwatch_log_group_encrypted_check', 'KmsKeyId (the environment data key)');
    this.deployment = new BucketDeployment(this, 'Resource', {
      sources: [
        Source.asset(SPARK_APPLICATION_DIR, { exclude: ['__pycache__', '*.pyc'] }),
        Source.jsonData(SPARK_MANIFEST_KEY.slice(prefix.length), props.manifest),
      ],
      destinationBucket: props.bucket,
      destinationKeyPrefix: prefix,
      prune: true,
      retainOnDelete: false,
      serverSideEncryption: ServerSideEncryption.AWS_KMS,
      serverSideEncryptionAwsKmsKeyId: props.encryptionKey.keyId,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      logGroup: this.logGroup,
    });
    acknowledgeDeploymentHandler(this, props.vpc);
    this.scriptLocation = props.bucket.s3UrlForObject(SPARK_SILVER_GOLD_SCRIPT_KEY);
    this.manifestLocation = props.bucket.s3UrlForObject(SPARK_MANIFEST_KEY);
  }
}

const HANDLER_REASON = "CDK's BucketDeployment handler, which copies the job code from the CDK asset bucket into the artifacts bucket once per deployment";

/**
 * The findings of CDK's BucketDeployment handler (a singleton per stack), acknowledged with why they do
 * not apply: its code, runtime and policies are CDK's, and it runs only when CloudFormation deploys.
 */
function acknowledgeDeploymentHandler(application: SparkApplication, vpc: IVpc | undefined): void {
  const stack = Stack.of(application);
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  const managed = (name: string) => ({
    id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`,
    reason: `${HANDLER_REASON}: ${name} is the minimal managed policy CDK gives a function that logs and runs in a VPC.`,
  });
  Validations.of(handler).acknowledge(managed('AWSLambdaBasicExecutionRole'), managed('AWSLambdaVPCAccessExecutionRole'), {
    id: 'AwsSolutions::AwsSolutions-L1',
    reason: `${HANDLER_REASON}: CDK pins its runtime together with its handler code and updates both together.`,
  });
  const defaultPolicy = application.deployment.handlerRole.node.tryFindChild('DefaultPolicy') as Policy | undefined;
  if (defaultPolicy) {
    acknowledgeIamWildcards(handler, [defaultPolicy.document], (finding) =>
      finding.startsWith('Action::')
        ? `${HANDLER_REASON}: CDK's grant action groups (${finding.slice('Action::'.length)}) on the ` +
          `asset object it copies, the artifacts bucket's spark/ objects and the environment key; no ` +
          `action is "*".`
        : `${HANDLER_REASON}: objects of the CDK asset bucket and of the artifacts bucket (it syncs whole prefixes whose keys it cannot list in advance).`,
    );
  }
  if (vpc) acknowledgeCrossStackSetting(handler, vpc, 'lambda_inside_vpc_check', "VpcConfig (the environment VPC's isolated subnets)");
  const fn = handler.node.tryFindChild('Resource') as CfnResource | undefined;
  if (fn) {
    // cfn-lint W3005: CDK adds an explicit DependsOn on the role that the GetAtt already implies.
    fn.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    acknowledgeCheckov(
      fn,
      { id: 'CKV_AWS_115', reason: `${HANDLER_REASON}; CloudFormation invokes it once per deployment, so a concurrency limit protects nothing.` },
      { id: 'CKV_AWS_116', reason: `${HANDLER_REASON}; CloudFormation receives and reports its failures, so a dead-letter queue would stay empty.` },
      {
        id: 'CKV_AWS_173',
        reason: `${HANDLER_REASON}; its environment holds no secrets (only the AWS CLI path), so a customer-managed key would protect nothing.`,
      },
    );
  }
}
