import { type CfnResource, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledgeCheckov } from '../../lib/policy/checkov-cloudformation-skip';

/**
 * Acknowledges the findings every CDK `CustomResourceProvider` (a deploy-time Lambda function) raises, with
 * reasons that hold for such a function: `purpose` says what it does ("The deploy-time function that ...;
 * it runs only when CloudFormation ..."), `calls` which APIs it calls ("the DMS API", "S3 and KMS").
 */
export function acknowledgeDeployTimeProvider(provider: Construct, purpose: string, calls: string): void {
  const outsideVpc = `it calls only ${calls}, and CDK's custom-resource provider cannot run in a VPC.`;
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${purpose}: the managed policy CDK's provider gives it only lets it write its own logs.`,
    },
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: `${purpose}: ${outsideVpc}` },
  );
  const handler = provider.node.tryFindChild('Handler') as CfnResource | undefined;
  if (!handler) return;
  // cfn-lint W3005: CDK adds an explicit DependsOn on the role that the GetAtt already implies.
  handler.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
  acknowledgeCheckov(
    handler,
    { id: 'CKV_AWS_115', reason: `${purpose}; CloudFormation invokes it once per change, so a concurrency limit protects nothing.` },
    { id: 'CKV_AWS_116', reason: `${purpose}; CloudFormation receives and reports its failures, so a dead-letter queue would stay empty.` },
    { id: 'CKV_AWS_117', reason: `${purpose}; ${outsideVpc}` },
    { id: 'CKV_AWS_173', reason: `${purpose}; it has no environment variables.` },
  );
}
