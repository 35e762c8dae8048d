import type { EnvironmentConfig, PlatformConfig } from '../definition';
import { Catalogue } from '../definition';
import { pipelineStacks } from './pipeline-stacks';
import { type NamingScope, type StackConcern, stackName, stackPartName, terraformStackName } from '../naming';

/**
 * Which stacks an environment gets, decided from the definition alone. The CDK and CDKTF apps create
 * exactly these (a test synthesizes both apps and compares), and the CLI and `npm run validate` list
 * them, without loading either toolchain.
 */
export interface PlannedStack {
  /** `<prefix>-<env>-<concern>` (CDK) or `<prefix>-<env>-azure-<concern>` (CDKTF). */
  readonly name: string;
  readonly toolchain: 'cdk' | 'cdktf';
  readonly concern: StackConcern;
  /** The domain of a per-domain stack (`<prefix>-<env>-<concern>-<domain>`). */
  readonly domain?: string;
}

/** AWS stacks of every environment that uses AWS, in deploy order. */
export const AWS_CONCERNS: readonly StackConcern[] = ['storage', 'network', 'catalog', 'processing', 'analytics'];

/** AWS concerns split into one stack per domain (`<prefix>-<env>-<concern>-<domain>`), per domain in this order. */
export const AWS_DOMAIN_CONCERNS: readonly StackConcern[] = ['catalog', 'ingestion'];

/** Azure stacks of an environment, in deploy order; the optional ones only when the definition asks. */
export function azureConcerns(config: PlatformConfig, environment: EnvironmentConfig): StackConcern[] {
  if (!environment.clouds.includes('azure') || !environment.azure) return [];
  const concerns: StackConcern[] = ['network', 'monitoring', 'security', 'storage'];
  if (Catalogue.of(config).streams().length > 0) concerns.push('streaming');
  if (environment.azure.warehouse !== undefined) concerns.push('warehouse');
  if (Catalogue.of(config).batch().length > 0) concerns.push('ingestion');
  if (environment.azure.analytics !== undefined) concerns.push('analytics');
  return concerns;
}

/** Databricks stacks of an environment, in deploy order: the workspace (Azure), then its contents. */
export function databricksConcerns(environment: EnvironmentConfig): StackConcern[] {
  if (!environment.clouds.includes('databricks') || !environment.databricks || !environment.azure) return [];
  return ['workspace', 'lakehouse'];
}

/** Every stack of an environment across both toolchains. */
export function environmentStacks(config: PlatformConfig, environment: EnvironmentConfig): PlannedStack[] {
  const scope: NamingScope = { prefix: config.prefix, environment: environment.name };
  const aws = environment.clouds.includes('aws') ? AWS_CONCERNS.map((concern) => ({ name: stackName(scope, concern), toolchain: 'cdk' as const, concern })) : [];
  if (environment.clouds.includes('aws') && environment.aws?.kubernetes.enabled) aws.push({ name: stackName(scope, 'kubernetes'), toolchain: 'cdk' as const, concern: 'kubernetes' });
  const awsDomains = environment.clouds.includes('aws')
    ? Catalogue.of(config).domains().flatMap((domain) => AWS_DOMAIN_CONCERNS.map((concern) => ({ name: stackPartName(scope, concern, domain), toolchain: 'cdk' as const, concern, domain })))
    : [];
  const azure = azureConcerns(config, environment).map((concern) => ({ name: terraformStackName(scope, 'azure', concern), toolchain: 'cdktf' as const, concern }));
  const databricks = databricksConcerns(environment).map((concern) => ({ name: terraformStackName(scope, 'databricks', concern), toolchain: 'cdktf' as const, concern }));
  const awsPipelines = environment.clouds.includes('aws') ? pipelineStacks(config, scope).map((stack) => ({ ...stack, toolchain: 'cdk' as const })) : [];
  return [...aws, ...awsDomains, ...awsPipelines, ...terraformDeployOrder(azure, databricks)];
}

/**
 * Azure and Databricks stacks in deploy order: the Data Factory of the Azure ingestion stack links the
 * Databricks workspace (looked up by name), so the workspace stack comes before it; the lakehouse,
 * which reads the workspace, the lake and the event hubs, comes last.
 */
function terraformDeployOrder(azure: PlannedStack[], databricks: PlannedStack[]): PlannedStack[] {
  const ingestion = azure.findIndex((stack) => stack.concern === 'ingestion');
  const workspace = databricks.filter((stack) => stack.concern === 'workspace');
  if (ingestion < 0 || workspace.length === 0) return [...azure, ...databricks];
  return [...azure.slice(0, ingestion), ...workspace, ...azure.slice(ingestion), ...databricks.filter((stack) => stack.concern !== 'workspace')];
}
