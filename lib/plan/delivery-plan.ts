import type { EnvironmentConfig, PlatformConfig } from '../definition';
import { environmentStacks, type PlannedStack } from './environment-plan';

/**
 * The delivery plan: which environments the deploy workflow promotes a change through, in which order,
 * and what each deploy runs. Derived from the definition's environments and their stack plans, so the
 * generated workflows (`npm run workflows`), `npm run deploy -- <env>` and `npm run diff:cloud -- <env>`
 * can never disagree on what an environment is made of.
 */

/**
 * Stack concerns the delivery pipeline never deploys: the identity stacks hold the very roles and
 * federated credentials the pipeline signs in with, so a pipeline that deployed them could widen its own
 * trust. An administrator deploys them once per environment (README, "Deliver it").
 */
export const ADMINISTRATOR_DEPLOYED_CONCERNS: readonly string[] = ['cicd'];

export interface DeliveryEnvironment {
  readonly environment: EnvironmentConfig;
  /** The CloudFormation stacks `cdk deploy` deploys, in deploy order. */
  readonly cdkStacks: readonly string[];
  /** The Terraform stacks `cdktf deploy` deploys, in deploy order (after the CloudFormation ones). */
  readonly cdktfStacks: readonly string[];
  /** The identity stacks an administrator deploys, not the pipeline. */
  readonly administratorStacks: readonly string[];
}

/** What the pipeline deploys of one environment, in the plan's deploy order. */
export function deliveryEnvironment(config: PlatformConfig, environment: EnvironmentConfig): DeliveryEnvironment {
  const stacks = environmentStacks(config, environment);
  const pipelineDeployed = (stack: PlannedStack) => !ADMINISTRATOR_DEPLOYED_CONCERNS.includes(stack.concern);
  return {
    environment,
    cdkStacks: stacks.filter((stack) => stack.toolchain === 'cdk' && pipelineDeployed(stack)).map((stack) => stack.name),
    cdktfStacks: stacks.filter((stack) => stack.toolchain === 'cdktf' && pipelineDeployed(stack)).map((stack) => stack.name),
    administratorStacks: stacks.filter((stack) => !pipelineDeployed(stack)).map((stack) => stack.name),
  };
}
