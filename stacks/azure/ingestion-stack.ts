import type { Construct } from 'constructs';
import { DataAzurermDatabricksWorkspace } from '@cdktf/provider-azurerm/lib/data-azurerm-databricks-workspace';
import type { CopySource } from '../../constructs/azure/data-factory-copy';
import type { DatasetCopyOptions } from '../../constructs/azure/dataset-copy-pipeline';
import { IngestionFactory, type IngestionDatabricksProps } from '../../constructs/azure/ingestion-factory';
import { Catalogue, type DatasetConfig, isCaptured } from '../../lib/definition';
import { sourceDescription } from '../../lib/lake';
import { dbtJobName } from '../../lib/naming';
import { captureSlotName } from '../../constructs/azure/change-capture-copy';
import { AzureConcernStack } from './azure-concern-stack';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * Batch ingestion of one environment (`<prefix>-<env>-azure-ingestion`): the Data Factory with a copy
 * pipeline and schedule trigger per database, api and files dataset of the definition (for a `cdc: true`
 * database dataset, a copy of the database's change feed in the bronze CDC layout: PostgreSQL logical
 * decoding on its schedule, SQL Server CDC per tumbling window; constructs/azure/change-capture-copy.ts), landing in the
 * lake's bronze layer, then starting the Databricks processing job, logging to the workspace and alerting the action group on failed runs.
 * Stateless: it can be destroyed and recreated without losing data.
 */
export class AzureIngestionStack extends AzureConcernStack {
  readonly ingestion: IngestionFactory;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'ingestion');
    const refs = this.references;
    this.ingestion = new IngestionFactory(this, 'DataFactory', {
      resourceGroup: this.resourceGroup,
      name: refs.dataFactoryName,
      lake: { accountId: refs.storageAccountId, accountName: refs.storageAccountName },
      keyVaultId: refs.keyVaultId,
      datasets: Catalogue.of(props.config)
        .batch()
        .map((dataset) => datasetCopyOf(dataset, captureSlotName(props.config.prefix, props.environment.name, dataset.name))),
      // No warehouse link: the SQL warehouse is loaded by the Databricks processing job (its warehouse_load task), not by Data Factory.
      databricks: this.databricksWorkspace(),
    });
    this.ingestion.addDiagnostics(refs.logAnalyticsWorkspaceId);
    this.ingestion.addFailureAlert(refs.alertName('pipeline-failed'), refs.actionGroupId);
    this.ingestion.addActivityFailureAlert(refs.alertName('pipeline-step-failed'), refs.actionGroupId);
  }

  /**
   * The environment's Databricks workspace, looked up by name (its URL is assigned by Azure Databricks,
   * so it cannot be composed like an id); none when the environment does not deploy Databricks.
   */
  private databricksWorkspace(): IngestionDatabricksProps | undefined {
    const databricks = this.environment.clouds.includes('databricks') ? this.environment.databricks : undefined;
    if (!databricks) return undefined;
    const refs = this.references;
    const workspace = new DataAzurermDatabricksWorkspace(this, 'DatabricksWorkspace', {
      name: refs.databricksWorkspaceName,
      resourceGroupName: refs.resourceGroupName('workspace'),
    });
    return {
      workspaceId: refs.databricksWorkspaceId,
      workspaceUrl: workspace.workspaceUrl,
      clusterVersion: databricks.runtimeVersion,
      nodeType: databricks.nodeTypes[0],
      minWorkers: this.environment.sizing.sparkMinWorkers,
      maxWorkers: this.environment.sizing.sparkMaxWorkers,
      // The dbt job builds silver and gold on Databricks (stacks/databricks/lakehouse-stack.ts): it runs after each copy.
      processingJobName: this.config.dbt ? dbtJobName(refs.scope) : undefined,
    };
  }
}

/** What Data Factory copies of a batch dataset, and when; of a `cdc: true` database dataset, its change feed (through `slotName` on PostgreSQL). */
function datasetCopyOf(dataset: DatasetConfig, slotName: string): DatasetCopyOptions {
  // Catalogue.batch() holds database, api and files datasets only; the factory refuses any other source.
  const copy = {
    name: dataset.name,
    domain: dataset.domain,
    format: dataset.format,
    source: dataset.source as CopySource,
    columns: dataset.columns,
    sourceDescription: sourceDescription(dataset),
    schedule: dataset.schedule,
  };
  if (!isCaptured(dataset)) return copy;
  const capture = { columns: dataset.columns, sourceDescription: copy.sourceDescription, ...(dataset.source.engine === 'postgres' ? { slotName } : {}) };
  return { ...copy, capture };
}
