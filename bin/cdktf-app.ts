import { App, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig, PlatformConfig } from '../lib/definition';
import { type BuildPlanOptions, type BuiltStacks, buildPlan, environmentStacks } from '../lib/plan';
import {
  AzureAnalyticsStack,
  AzureCicdStack,
  AzureIngestionStack,
  AzureMonitoringStack,
  AzureNetworkStack,
  AzureSecurityStack,
  AzureStorageStack,
  AzureStreamingStack,
  AzureWarehouseStack,
} from '../stacks/azure';
import { DatabricksLakehouseStack, DatabricksWorkspaceStack } from '../stacks/databricks';
import type { EnvironmentScope } from '../lib/definition';
import { requestedEnvironment, selectedEnvironments } from './app-selection';

export interface CdktfAppOptions {
  /** Where the Terraform JSON goes. @default 'cdktf.out' */
  readonly outdir?: string;
  /**
   * Build only this environment's stacks.
   * @default - PLATFORM_ENV, else every environment
   */
  readonly environment?: string;
}

/**
 * Each planned Azure and Databricks concern and the stack class that realises it. Stacks refer to each
 * other by ids composed from the naming functions (see EnvironmentReferences), so the plan's dependencies
 * become Terraform stack dependencies: `cdktf deploy '*'` applies them in the plan's order.
 */
const TERRAFORM_STACKS: Record<string, (scope: App, props: EnvironmentScope) => TerraformStack> = {
  'azure:cicd': (scope, props) => new AzureCicdStack(scope, props),
  'azure:monitoring': (scope, props) => new AzureMonitoringStack(scope, props),
  'azure:network': (scope, props) => new AzureNetworkStack(scope, props),
  'azure:security': (scope, props) => new AzureSecurityStack(scope, props),
  'azure:storage': (scope, props) => new AzureStorageStack(scope, props),
  'azure:streaming': (scope, props) => new AzureStreamingStack(scope, props),
  'azure:warehouse': (scope, props) => new AzureWarehouseStack(scope, props),
  'azure:ingestion': (scope, props) => new AzureIngestionStack(scope, props),
  'azure:analytics': (scope, props) => new AzureAnalyticsStack(scope, props),
  'databricks:workspace': (scope, props) => new DatabricksWorkspaceStack(scope, props),
  'databricks:lakehouse': (scope, props) => new DatabricksLakehouseStack(scope, props),
};

/** The Azure and Databricks stacks of one environment, built from its plan with their planned dependencies. */
export function addTerraformEnvironment(
  app: App,
  config: PlatformConfig,
  environment: EnvironmentConfig,
  options: BuildPlanOptions = {},
): BuiltStacks<TerraformStack> {
  const planned = environmentStacks(config, environment).filter((stack) => stack.toolchain === 'cdktf');
  return buildPlan<TerraformStack>(
    planned,
    (stack) => {
      const create = TERRAFORM_STACKS[`${stack.cloud}:${stack.concern}`];
      if (!create) throw new Error(`planned stack ${stack.name}: no Terraform stack class for ${stack.cloud} concern "${stack.concern}"`);
      return create(app, { config, environment });
    },
    (stack, dependency) => stack.addDependency(dependency),
    options,
  );
}

/** The CDKTF app of a definition: every Azure/Databricks stack of every environment that uses them (or of the one asked for). */
export function buildCdktfApp(config: PlatformConfig, options: CdktfAppOptions = {}): App {
  const environments =
    options.environment !== undefined ? selectedEnvironments(config, options.environment, 'environment') : selectedEnvironments(config, requestedEnvironment());
  const app = new App({ outdir: options.outdir ?? 'cdktf.out' });
  for (const environment of environments) addTerraformEnvironment(app, config, environment);
  return app;
}
