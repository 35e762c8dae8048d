import { App, Aspects, type TerraformStack } from 'cdktf';
import { StandardTagsAspect } from '../constructs/azure/standard-tags-aspect';
import type { EnvironmentConfig, PlatformConfig } from '../lib/definition';
import { standardTags } from '../lib/tagging';
import type { AzureConcernStack } from '../stacks/azure/azure-concern-stack';
import { AzureAnalyticsStack } from '../stacks/azure/analytics-stack';
import { AzureIngestionStack } from '../stacks/azure/ingestion-stack';
import { AzureMonitoringStack } from '../stacks/azure/monitoring-stack';
import { AzureNetworkStack } from '../stacks/azure/network-stack';
import { AzureSecurityStack } from '../stacks/azure/security-stack';
import { AzureStorageStack } from '../stacks/azure/storage-stack';
import { AzureStreamingStack } from '../stacks/azure/streaming-stack';
import { AzureWarehouseStack } from '../stacks/azure/warehouse-stack';
import { DatabricksLakehouseStack } from '../stacks/databricks/lakehouse-stack';
import { DatabricksWorkspaceStack } from '../stacks/databricks/workspace-stack';
import { databricksConcerns } from '../lib/plan/environment-plan';

export interface CdktfAppOptions {
  /** Where the Terraform JSON goes. @default 'cdktf.out' */
  readonly outdir?: string;
}

/**
 * The Azure stacks of one environment, in deploy order. Stacks refer to each other by ids composed from
 * the naming functions (see EnvironmentReferences), so the order lives here as stack dependencies:
 * `cdktf deploy '*'` applies monitoring and network first, then keys, then the stores and services.
 */
export function addAzureEnvironment(app: App, config: PlatformConfig, environment: EnvironmentConfig): AzureConcernStack[] {
  const props = { config, environment };
  const network = new AzureNetworkStack(app, props);
  const monitoring = new AzureMonitoringStack(app, props);
  network.addDependency(monitoring);
  const security = new AzureSecurityStack(app, props);
  security.addDependency(network);
  security.addDependency(monitoring);
  const storage = new AzureStorageStack(app, props);
  storage.addDependency(security);
  const stacks: AzureConcernStack[] = [network, monitoring, security, storage];
  if (AzureStreamingStack.isNeeded(props)) {
    const streaming = new AzureStreamingStack(app, props);
    streaming.addDependency(network);
    streaming.addDependency(monitoring);
    stacks.push(streaming);
  }
  const warehouse = AzureWarehouseStack.isNeeded(props) ? new AzureWarehouseStack(app, props) : undefined;
  if (warehouse) {
    warehouse.addDependency(security);
    stacks.push(warehouse);
  }
  if (AzureIngestionStack.isNeeded(props)) {
    const ingestion = new AzureIngestionStack(app, props);
    ingestion.addDependency(storage);
    if (warehouse) ingestion.addDependency(warehouse);
    stacks.push(ingestion);
  }
  if (AzureAnalyticsStack.isNeeded(props)) {
    const analytics = new AzureAnalyticsStack(app, props);
    analytics.addDependency(storage);
    analytics.addDependency(security);
    stacks.push(analytics);
  }
  for (const stack of stacks) Aspects.of(stack).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  return stacks;
}

/**
 * The Databricks stacks of one environment: the workspace after the network, keys, lake and monitoring
 * it uses; its contents (Unity Catalog, compute, pipelines, jobs) after the workspace and the streams.
 * Data Factory's Databricks linked service looks the workspace up, so ingestion waits for it too.
 */
export function addDatabricksEnvironment(app: App, config: PlatformConfig, environment: EnvironmentConfig, azureStacks: readonly TerraformStack[]): TerraformStack[] {
  const props = { config, environment };
  const byConcern = (concern: string) => azureStacks.find((stack) => stack.node.id.endsWith(`-azure-${concern}`));
  const workspace = new DatabricksWorkspaceStack(app, props);
  for (const concern of ['network', 'monitoring', 'security', 'storage']) {
    const stack = byConcern(concern);
    if (stack) workspace.addDependency(stack);
  }
  Aspects.of(workspace).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  const lakehouse = new DatabricksLakehouseStack(app, props);
  lakehouse.addDependency(workspace);
  const streaming = byConcern('streaming');
  if (streaming) lakehouse.addDependency(streaming);
  byConcern('ingestion')?.addDependency(workspace);
  return [workspace, lakehouse];
}

/** The CDKTF app of a definition: every Azure/Databricks stack of every environment that uses them. */
export function buildCdktfApp(config: PlatformConfig, options: CdktfAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? 'cdktf.out' });
  for (const environment of config.environments) {
    if (!environment.clouds.includes('azure')) continue;
    const azureStacks = addAzureEnvironment(app, config, environment);
    if (databricksConcerns(environment).length > 0) addDatabricksEnvironment(app, config, environment, azureStacks);
  }
  return app;
}
