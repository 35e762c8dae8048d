import type { PlatformConfig } from '../../lib/definition';
import { deliveryIdentities } from '../../lib/naming';
import { deliveryEnvironment } from '../../lib/plan';
import type { WorkflowInput } from './render-workflows';

/**
 * What the workflows are rendered from: the environments of the definition's `cicd` section in promotion
 * order, each with its GitHub environment, its stacks (the delivery plan) and the identities it signs in
 * with (`deliveryIdentities`: the same names and subjects the identity stacks trust). Without a `cicd`
 * section the pipeline deploys nothing.
 */
export function workflowInput(config: PlatformConfig): WorkflowInput {
  return {
    mainBranch: config.cicd?.branch ?? 'main',
    environments: deliveryIdentities(config).map((identity) => {
      const environment = config.environments.find((env) => env.name === identity.environment);
      if (!environment) throw new Error(`cicd.environments.${identity.environment}: no such environment`);
      const delivery = deliveryEnvironment(config, environment);
      return {
        name: identity.environment,
        githubEnvironment: identity.githubEnvironment,
        cdkStacks: delivery.cdkStacks,
        cdktfStacks: delivery.cdktfStacks,
        ...(identity.aws ? { aws: { region: identity.aws.region, deployRoleArn: identity.aws.deployRoleArn, planRoleArn: identity.aws.planRoleArn } } : {}),
        ...(identity.azure ? { azure: { tenantId: identity.azure.tenantId, subscriptionId: identity.azure.subscriptionId } } : {}),
      };
    }),
  };
}
