import type { PlatformConfig } from '../../lib/definition';
import { deliveryEnvironment } from '../../lib/plan';
import type { WorkflowInput } from './render-workflows';

// INTERIM until the cicd section lands: every environment, roles named by convention.
export function workflowInput(config: PlatformConfig): WorkflowInput {
  return {
    mainBranch: 'main',
    environments: config.environments.map((environment) => {
      const delivery = deliveryEnvironment(config, environment);
      const aws = environment.aws;
      const azure = environment.clouds.includes('azure') ? environment.azure : undefined;
      return {
        name: environment.name,
        githubEnvironment: environment.name,
        cdkStacks: delivery.cdkStacks,
        cdktfStacks: delivery.cdktfStacks,
        ...(aws
          ? {
              aws: {
                region: aws.region,
                deployRoleArn: `arn:aws:iam::${aws.account}:role/${config.prefix}-${environment.name}-github-deploy`,
                planRoleArn: `arn:aws:iam::${aws.account}:role/${config.prefix}-${environment.name}-github-plan`,
              },
            }
          : {}),
        ...(azure ? { azure: { tenantId: azure.tenantId, subscriptionId: azure.subscriptionId } } : {}),
      };
    }),
  };
}
