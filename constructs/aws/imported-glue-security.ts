import { Stack, Validations } from 'aws-cdk-lib';
import { type ISecurityConfiguration, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag reads one stack at a time: a Glue job whose security configuration is defined in another
 * stack (referenced by name) looks to it like a job without CloudWatch and bookmark encryption.
 * Acknowledges exactly those two findings on `job`, saying where the configuration comes from.
 */
export function acknowledgeImportedGlueSecurity(job: IConstruct, configuration: ISecurityConfiguration): void {
  if (configuration instanceof SecurityConfiguration && Stack.of(configuration) === Stack.of(job)) return;
  const reason =
    `The job runs with security configuration "${configuration.securityConfigurationName}", referenced ` +
    `by name from the stack that defines it with KMS encryption of S3 data, CloudWatch logs and ` +
    `job bookmarks; cdk-nag reads only this stack.`;
  Validations.of(job).acknowledge({ id: 'AwsSolutions-GL1', reason }, { id: 'AwsSolutions-GL3', reason });
}
