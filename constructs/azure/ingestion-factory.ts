import { DataFactory } from '@cdktf/provider-azurerm/lib/data-factory';
import { DataFactoryIntegrationRuntimeAzure } from '@cdktf/provider-azurerm/lib/data-factory-integration-runtime-azure';
import { DataFactoryLinkedServiceAzureDatabricks } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-azure-databricks';
import { DataFactoryLinkedServiceAzureSqlDatabase } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-azure-sql-database';
import { DataFactoryLinkedServiceDataLakeStorageGen2 } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-data-lake-storage-gen2';
import { DataFactoryLinkedServiceKeyVault } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-key-vault';
import { DataFactoryManagedPrivateEndpoint } from '@cdktf/provider-azurerm/lib/data-factory-managed-private-endpoint';
import type { DataFactoryPipeline } from '@cdktf/provider-azurerm/lib/data-factory-pipeline';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { dataFactoryRecurrence } from '../../lib/schedules/data-factory-recurrence';
import { BRONZE_FILESYSTEM, BRONZE_WORK_FILESYSTEM } from './bronze-landing';
import { skipCheckov } from './checkov-skip';
import { requireCopySource } from './data-factory-copy';
import { DatasetCopyPipeline, type DatasetCopyOptions } from './dataset-copy-pipeline';
import { DiagnosticSettings } from './diagnostic-settings';

export interface IngestionFactoryProps {
  /** Resource group that holds the factory (its location too). */
  readonly resourceGroup: ResourceGroup;
  /** Globally unique factory name (see `dataFactoryName`). */
  readonly name: string;
  /** The lake that bronze lands in: its account id and name (the dfs URL is derived from the name). */
  readonly lake: { readonly accountId: string; readonly accountName: string };
  /** Id of the Key Vault that holds the sources' connection strings and API credentials, by name. */
  readonly keyVaultId: string;
  /**
   * The SQL warehouse, for pipelines that load it: a linked service (managed identity) and a managed
   * private endpoint to its server. The factory's identity still needs a database user, created from
   * inside the network (`CREATE USER [<factory name>] FROM EXTERNAL PROVIDER`).
   * @default - no warehouse linked service
   */
  readonly warehouse?: { readonly serverId: string; readonly serverName: string; readonly databaseName: string };
  /**
   * The environment's Databricks workspace, for pipelines that run Databricks notebooks or jobs: a linked
   * service authenticated with the factory's managed identity (which gets Contributor on that workspace
   * only, as Azure Databricks requires for managed-identity sign-in), a managed private endpoint to the
   * workspace (its public access is off), and job clusters sized like the environment's.
   * @default - no Databricks linked service
   */
  readonly databricks?: IngestionDatabricksProps;
  /**
   * Datasets to copy into bronze, each with a database, api or files source and a cron schedule; each
   * gets its `DatasetCopyPipeline` (more can be added with `addDatasetCopy`).
   * @default - none
   */
  readonly datasets?: readonly DatasetCopyOptions[];
  /**
   * Minutes the managed integration runtime's compute stays warm between runs.
   * @default 10
   */
  readonly integrationRuntimeTimeToLiveMinutes?: number;
  /**
   * Whether the schedule triggers start activated (a dataset's own `triggerActivated` wins).
   * @default true
   */
  readonly triggersActivated?: boolean;
}

/** The Databricks workspace Data Factory links to (see `IngestionFactoryProps.databricks`). */
export interface IngestionDatabricksProps {
  /** ARM id of the workspace (the managed-identity scope and the private endpoint's target). */
  readonly workspaceId: string;
  /** The workspace URL without scheme (`adb-<id>.<n>.azuredatabricks.net`), usually from a data source lookup. */
  readonly workspaceUrl: string;
  /** Runtime of the job clusters Data Factory starts, e.g. `15.4.x-scala2.12`. */
  readonly clusterVersion: string;
  /** VM size of their nodes. */
  readonly nodeType: string;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /**
   * Name of the Databricks job that processes a domain's data after each copy into bronze: every pipeline
   * runs it (Databricks Job activity, found by name at run time) once its copy succeeded.
   * @default - the pipelines end with the copy
   */
  readonly processingJobName?: string;
}

/** Azure's fixed role names: the factory writes bronze (and its working data) and reads secrets, nothing more. */
const STORAGE_BLOB_DATA_CONTRIBUTOR = 'Storage Blob Data Contributor';
const KEY_VAULT_SECRETS_USER = 'Key Vault Secrets User';
const DATABRICKS_MANAGED_IDENTITY_ROLE = 'Contributor';

/**
 * Batch ingestion into bronze with Azure Data Factory: a factory with a system-assigned identity and no
 * public network access, a managed virtual network with a managed integration runtime, managed private
 * endpoints to the lake (dfs, blob) and the Key Vault, linked services for the lake (managed identity)
 * and the vault, and per dataset a `DatasetCopyPipeline` landing in `bronze/<domain>/<dataset>/` with a
 * schedule trigger from its cron expression (the source's credentials referenced by secret name, never
 * in code). Adding a dataset adds its pipeline and trigger. The factory's identity may write the bronze
 * filesystem, where it only adds files, and bronze's working data (`bronze-work`), where it replaces its
 * watermarks: Storage Blob Data Contributor on those two containers, nothing else in the lake.
 */
export class IngestionFactory extends Construct {
  readonly factory: DataFactory;
  readonly integrationRuntime: DataFactoryIntegrationRuntimeAzure;
  private readonly copies = new Map<string, DatasetCopyPipeline>();
  private readonly lakeLinkedService: DataFactoryLinkedServiceDataLakeStorageGen2;
  private readonly keyVaultLinkedService: DataFactoryLinkedServiceKeyVault;
  private readonly triggersActivated: boolean;
  private readonly lakeAccountName: string;
  private processing?: { readonly jobName: string; readonly workspaceUrl: string; readonly linkedService: string };

  constructor(scope: Construct, id: string, props: IngestionFactoryProps) {
    super(scope, id);
    const datasets = props.datasets ?? [];
    datasets.forEach((dataset) => requireCopySource('IngestionFactory', dataset));
    // Convert every schedule before creating anything, so one bad dataset fails the synth with its name.
    datasets.forEach((dataset) => dataFactoryRecurrence(dataset.schedule, dataset.name));
    this.triggersActivated = props.triggersActivated ?? true;
    this.lakeAccountName = props.lake.accountName;

    this.factory = new DataFactory(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      identity: { type: 'SystemAssigned' },
      managedVirtualNetworkEnabled: true,
      publicNetworkEnabled: false,
    });
    skipCheckov(this.factory, {
      id: 'CKV_AZURE_103',
      reason: 'Pipelines are generated from the platform definition in this repository; a Data Factory Git integration would hold a second, hand-edited copy',
    });
    const factoryId = this.factory.id;

    this.integrationRuntime = new DataFactoryIntegrationRuntimeAzure(this, 'ManagedRuntime', {
      name: 'managed-vnet-runtime',
      dataFactoryId: factoryId,
      location: 'AutoResolve',
      virtualNetworkEnabled: true,
      timeToLiveMin: props.integrationRuntimeTimeToLiveMinutes ?? 10,
    });
    const runtime = this.integrationRuntime.name;
    const privateTargets: Array<readonly [string, string, string]> = [
      ['lake-dfs', props.lake.accountId, 'dfs'],
      ['lake-blob', props.lake.accountId, 'blob'],
      ['key-vault', props.keyVaultId, 'vault'],
    ];
    if (props.warehouse) privateTargets.push(['warehouse', props.warehouse.serverId, 'sqlServer']);
    if (props.databricks) privateTargets.push(['databricks', props.databricks.workspaceId, 'databricks_ui_api']);
    for (const [name, targetResourceId, subresourceName] of privateTargets) {
      new DataFactoryManagedPrivateEndpoint(this, `${name}-endpoint`, { name, dataFactoryId: factoryId, targetResourceId, subresourceName });
    }

    new RoleAssignment(this, 'BronzeWriter', {
      scope: `${props.lake.accountId}/blobServices/default/containers/${BRONZE_FILESYSTEM}`,
      roleDefinitionName: STORAGE_BLOB_DATA_CONTRIBUTOR,
      principalId: this.factory.identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'Lets Data Factory land data in bronze',
    });
    new RoleAssignment(this, 'BronzeWorkWriter', {
      scope: `${props.lake.accountId}/blobServices/default/containers/${BRONZE_WORK_FILESYSTEM}`,
      roleDefinitionName: STORAGE_BLOB_DATA_CONTRIBUTOR,
      principalId: this.factory.identity.principalId,
      principalType: 'ServicePrincipal',
      description: "Lets Data Factory keep its watermarks in bronze's working data",
    });
    new RoleAssignment(this, 'SecretReader', {
      scope: props.keyVaultId,
      roleDefinitionName: KEY_VAULT_SECRETS_USER,
      principalId: this.factory.identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'Lets Data Factory read the connection secrets the definition names',
    });

    this.lakeLinkedService = new DataFactoryLinkedServiceDataLakeStorageGen2(this, 'LakeLinkedService', {
      name: 'ls_lake',
      dataFactoryId: factoryId,
      url: `https://${props.lake.accountName}.dfs.core.windows.net`,
      useManagedIdentity: true,
      integrationRuntimeName: runtime,
    });
    this.keyVaultLinkedService = new DataFactoryLinkedServiceKeyVault(this, 'KeyVaultLinkedService', {
      name: 'ls_key_vault',
      dataFactoryId: factoryId,
      keyVaultId: props.keyVaultId,
      integrationRuntimeName: runtime,
    });

    if (props.warehouse) {
      new DataFactoryLinkedServiceAzureSqlDatabase(this, 'WarehouseLinkedService', {
        name: 'ls_warehouse',
        dataFactoryId: factoryId,
        connectionString:
          `Data Source=tcp:${props.warehouse.serverName}.database.windows.net,1433;` +
          `Initial Catalog=${props.warehouse.databaseName};Encrypt=True;Connection Timeout=30`,
        useManagedIdentity: true,
        integrationRuntimeName: runtime,
      });
    }

    if (props.databricks) this.linkDatabricks(props.databricks, runtime);

    datasets.forEach((dataset) => this.addDatasetCopy(dataset));
  }

  /**
   * Adds the copy pipeline of a dataset (its datasets, pipeline and trigger) under the id of its name,
   * so its Terraform addresses are `<factory path>/<name>/...`.
   */
  addDatasetCopy(dataset: DatasetCopyOptions): DatasetCopyPipeline {
    if (this.copies.has(dataset.name))
      throw new Error(`IngestionFactory: dataset "${dataset.name}" is already copied by this factory; dataset names must be unique`);
    const copy = new DatasetCopyPipeline(this, dataset.name, {
      ...dataset,
      triggerActivated: dataset.triggerActivated ?? this.triggersActivated,
      factory: this.factory,
      integrationRuntime: this.integrationRuntime,
      lakeLinkedService: this.lakeLinkedService,
      keyVaultLinkedService: this.keyVaultLinkedService,
      lakeAccountName: this.lakeAccountName,
      processing: this.processing,
    });
    this.copies.set(dataset.name, copy);
    return copy;
  }

  private linkDatabricks(databricks: IngestionDatabricksProps, integrationRuntimeName: string): void {
    const { minWorkers, maxWorkers } = databricks;
    if (!Number.isInteger(minWorkers) || minWorkers < 1 || !Number.isInteger(maxWorkers) || maxWorkers < minWorkers) {
      throw new Error(
        `IngestionFactory: databricks.minWorkers (${minWorkers}) and maxWorkers (${maxWorkers}) must be whole numbers with 1 <= minWorkers <= maxWorkers`,
      );
    }
    new RoleAssignment(this, 'DatabricksAccess', {
      scope: databricks.workspaceId,
      roleDefinitionName: DATABRICKS_MANAGED_IDENTITY_ROLE,
      principalId: this.factory.identity.principalId,
      principalType: 'ServicePrincipal',
      description:
        'Lets Data Factory sign in to this Databricks workspace with its managed identity (Azure Databricks ' +
        'requires Contributor on the workspace for that); scoped to the workspace only',
    });
    const linkedService = new DataFactoryLinkedServiceAzureDatabricks(this, 'DatabricksLinkedService', {
      name: 'ls_databricks',
      dataFactoryId: this.factory.id,
      description: "The environment's Databricks workspace, signed in with the factory's managed identity",
      adbDomain: `https://${databricks.workspaceUrl}`,
      msiWorkSpaceResourceId: databricks.workspaceId,
      integrationRuntimeName,
      newClusterConfig: {
        clusterVersion: databricks.clusterVersion,
        nodeType: databricks.nodeType,
        minNumberOfWorkers: minWorkers,
        maxNumberOfWorkers: maxWorkers,
      },
    });
    if (databricks.processingJobName) {
      this.processing = { jobName: databricks.processingJobName, workspaceUrl: databricks.workspaceUrl, linkedService: linkedService.name };
    }
  }

  /** The pipeline of a dataset; throws when the factory does not ingest it. */
  pipelineFor(dataset: string): DataFactoryPipeline {
    const copy = this.copies.get(dataset);
    if (!copy)
      throw new Error(`pipelineFor: dataset "${dataset}" has no pipeline in this factory; datasets: ${[...this.copies.keys()].join(', ') || '(none)'}`);
    return copy.pipeline;
  }

  /** Sends pipeline, activity and trigger runs to Log Analytics (resource-specific ADF tables). */
  addDiagnostics(logAnalyticsWorkspaceId: string): DiagnosticSettings {
    return new DiagnosticSettings(this, 'Diagnostics', { targetResourceId: this.factory.id, logAnalyticsWorkspaceId, resourceSpecificTables: true });
  }

  /**
   * Alerts the action group whenever an activity fails, per pipeline, activity type and failure type
   * (the factory's ActivityFailedRuns metric, one time series each): which step of which dataset's
   * pipeline failed (the watermark, the copy, the watermark store or the processing job), even when a
   * retry of the pipeline later succeeds.
   */
  addActivityFailureAlert(name: string, actionGroupId: string): MonitorMetricAlert {
    return new MonitorMetricAlert(this, 'FailedActivitiesAlert', {
      name,
      resourceGroupName: this.factory.resourceGroupName,
      scopes: [this.factory.id],
      description: 'A step of a Data Factory ingestion pipeline failed; the pipeline, the step and its error are in the ADFActivityRun table',
      severity: 2,
      frequency: 'PT5M',
      windowSize: 'PT5M',
      criteria: [
        {
          metricNamespace: 'Microsoft.DataFactory/factories',
          metricName: 'ActivityFailedRuns',
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold: 0,
          dimension: [
            { name: 'PipelineName', operator: 'Include', values: ['*'] },
            { name: 'ActivityType', operator: 'Include', values: ['*'] },
            { name: 'FailureType', operator: 'Include', values: ['*'] },
          ],
        },
      ],
      action: [{ actionGroupId }],
    });
  }

  /** Alerts the action group whenever a pipeline run fails (the factory's PipelineFailedRuns metric). */
  addFailureAlert(name: string, actionGroupId: string): MonitorMetricAlert {
    return new MonitorMetricAlert(this, 'FailedRunsAlert', {
      name,
      resourceGroupName: this.factory.resourceGroupName,
      scopes: [this.factory.id],
      description: 'A Data Factory ingestion pipeline failed; the run and its error are in the ADFPipelineRun table',
      severity: 1,
      frequency: 'PT5M',
      windowSize: 'PT5M',
      criteria: [
        { metricNamespace: 'Microsoft.DataFactory/factories', metricName: 'PipelineFailedRuns', aggregation: 'Total', operator: 'GreaterThan', threshold: 0 },
      ],
      action: [{ actionGroupId }],
    });
  }
}
