import type { DatasetConfig, Layer } from '../definition';
import { resourceGroupName } from './azure-names';
import { checkedAgainst, type NameRule } from './name-rules';
import { type NamingScope, shortHash } from './stack-names';

/**
 * Names of the Databricks lakehouse: the Azure resources of the workspace and the workspace objects
 * (Unity Catalog schemas, pipelines, jobs, policies, the SQL warehouse, MLflow). The workspace and
 * lakehouse stacks create them under these names; stacks of other concerns (Data Factory's linked
 * service) find the workspace by the same name, so nothing is configured twice.
 */

/** Limits of the lakehouse names, from the Azure and Databricks API references. */
export const DATABRICKS_NAME_RULES = {
  unityCatalogIdentifier: {
    kind: 'Unity Catalog identifier',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z_][a-z0-9_]*$/,
    allowed: 'lowercase letters, digits and underscores, not starting with a digit',
  },
  databricksWorkspace: {
    kind: 'Azure Databricks workspace',
    minLength: 3,
    maxLength: 64,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits, underscores and hyphens, starting and ending with a letter or digit',
  },
  databricksAccessConnector: {
    kind: 'Azure Databricks access connector',
    minLength: 3,
    maxLength: 64,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits, ., _ and -, starting and ending with a letter or digit',
  },
  dbfsStorageAccount: {
    kind: 'Azure storage account (DBFS root)',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z0-9]+$/,
    allowed: 'lowercase letters and digits only',
  },
  databricksObject: {
    kind: 'Databricks pipeline, job, policy or SQL warehouse',
    minLength: 1,
    maxLength: 100,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    allowed: 'letters, digits, ., _ and -, starting with a letter or digit',
  },
  servingEndpoint: {
    kind: 'Databricks model-serving endpoint',
    minLength: 1,
    maxLength: 63,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    allowed: 'letters, digits, _ and -, starting with a letter or digit',
  },
  databricksSecretScope: {
    kind: 'Databricks secret scope',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z0-9_.-]+$/,
    allowed: 'letters, digits, ., _ and -',
  },
} as const satisfies Record<string, NameRule>;

const checked = checkedAgainst;

/** `dbw-<prefix>-<env>`: the environment's Azure Databricks workspace. */
export function databricksWorkspaceName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksWorkspace, `dbw-${scope.prefix}-${scope.environment}`);
}

/** `dbac-<prefix>-<env>`: the access connector whose managed identity Unity Catalog reaches the lake with. */
export function databricksAccessConnectorName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksAccessConnector, `dbac-${scope.prefix}-${scope.environment}`);
}

/** `rg-<prefix>-<env>-databricks-managed`: the resource group Azure Databricks manages for the workspace. */
export function databricksManagedResourceGroupName(scope: NamingScope): string {
  return resourceGroupName(scope, 'databricks-managed');
}

/**
 * `<prefix><env>dbfs<hash>`: the workspace's DBFS root storage account (in the managed resource group).
 * Named here so that it is known before deployment and fits Azure's 24-character global name.
 */
export function dbfsStorageAccountName(scope: NamingScope, subscriptionId: string): string {
  return checked(DATABRICKS_NAME_RULES.dbfsStorageAccount, `${scope.prefix}${scope.environment}dbfs${shortHash(subscriptionId)}`);
}

/** `<prefix>-<env>-dlt-<domain>`: the Delta Live Tables pipeline of a stream domain. */
export function dltPipelineName(scope: NamingScope, domain: string): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-dlt-${domain}`);
}

/** `<prefix>-<env>-dbt`: the job that runs the dbt project. */
export function dbtJobName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-dbt`);
}

/**
 * The task keys of the dbt job, in run order: the bronze refresh (bronze_tables.py), then `dbt build`,
 * whose tests are the data-quality gate on Databricks (`platform status` reads both by these keys).
 */
export const DBT_JOB_TASKS = { bronzeTables: 'bronze_tables', dbtBuild: 'dbt_build' } as const;

/** `<prefix>-<env>-<purpose>-compute`: a cluster policy (job or interactive). */
export function clusterPolicyName(scope: NamingScope, purpose: string): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-${purpose}-compute`);
}

/** `<prefix>-<env>-sql`: the serverless SQL warehouse. */
export function sqlWarehouseName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-sql`);
}

/** `<prefix>-<env>-cost`: the account's budget policy that tags the workspace's serverless usage with the cost-allocation tags. */
export function budgetPolicyName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-cost`);
}

/** `<prefix>-<env>-serverless`: the account's network connectivity configuration for the workspace's serverless compute. */
export function serverlessConnectivityName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-serverless`);
}

/** `<prefix>-<env>-key-vault`: the Key Vault-backed secret scope. */
export function keyVaultSecretScopeName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksSecretScope, `${scope.prefix}-${scope.environment}-key-vault`);
}

/** `/Shared/<prefix>-<env>/<folder>`: where the platform deploys workspace files and experiments. */
export function workspaceFolder(scope: NamingScope, folder: string): string {
  return `/Shared/${scope.prefix}-${scope.environment}/${folder}`;
}

/** `/Shared/<prefix>-<env>/ml/<use case>`: the MLflow experiment of an ML use case. */
export function mlflowExperimentPath(scope: NamingScope, useCase: string): string {
  return `${workspaceFolder(scope, 'ml')}/${useCase}`;
}

/** `<prefix>-<env>-train-<use case>`: the job that trains an ML use case's model and registers a version. */
export function mlTrainingJobName(scope: NamingScope, useCase: string): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-train-${useCase}`);
}

/** `<prefix>-<env>-<use case>` (underscores as hyphens) unchecked: see `servingEndpointName`. */
export function servingEndpointNameOf(scope: NamingScope, useCase: string): string {
  return `${scope.prefix}-${scope.environment}-${useCase.replace(/_/g, '-')}`;
}

/** `<prefix>-<env>-<use case>`: the serverless model-serving endpoint of an ML use case (its URL path). */
export function servingEndpointName(scope: NamingScope, useCase: string): string {
  return checked(DATABRICKS_NAME_RULES.servingEndpoint, servingEndpointNameOf(scope, useCase));
}

/** `<prefix>_<env>`: the Unity Catalog catalog of an environment. */
export function unityCatalogName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, `${scope.prefix}_${scope.environment}`);
}

/** The Unity Catalog schema of a layer in every environment's catalog: the layer's name (`bronze`, `silver`, `gold`). */
export function unityCatalogLayerSchema(layer: Layer): string {
  return checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, layer);
}

/** A table inside an environment's catalog (the catalog is the environment's, see `unityCatalogName`). */
export interface UnityCatalogTableName {
  readonly schema: string;
  readonly table: string;
}

/**
 * `bronze.<dataset>`: the Unity Catalog bronze table of a dataset, batch or stream: its records as
 * ingested, with the dataset's columns and the AWS bronze metadata columns (lib/lake/layout.ts
 * `bronzeMetadataColumns`), as the Glue bronze table `<dataset>` on AWS. The dbt sources read it on the
 * Databricks target (lib/dbt/sources.ts); the Databricks bronze step writes it.
 */
export function unityCatalogBronzeTable(dataset: Pick<DatasetConfig, 'name'>): UnityCatalogTableName {
  return { schema: unityCatalogLayerSchema('bronze'), table: checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, dataset.name) };
}

/** `<catalog>.<schema>.<table>`: a table's three-part name. */
export function qualifiedTableName(catalog: string, table: UnityCatalogTableName): string {
  return `${catalog}.${table.schema}.${table.table}`;
}

/**
 * `<prefix>_<env>_warehouse_load`: the Unity Catalog service credential the gold warehouse load signs in
 * to Azure SQL with (credentials share one namespace per metastore with the catalog's storage credential).
 */
export function warehouseLoadCredentialName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, `${scope.prefix}_${scope.environment}_warehouse_load`);
}

/** `<prefix>-<env>-table-grants`: the job that gives the tables the pipelines create their grants. */
export function tableGrantsJobName(scope: NamingScope): string {
  return checked(DATABRICKS_NAME_RULES.databricksObject, `${scope.prefix}-${scope.environment}-table-grants`);
}

/** The tables a stream pipeline creates for one dataset, per layer schema; the pipeline code takes these names from its configuration. */
export interface StreamPipelineTableNames {
  /** Bronze: every Kafka record as received (key, value, coordinates), kept for replay. */
  readonly raw: string;
  /**
   * Bronze: the dataset's bronze table (`unityCatalogBronzeTable`): each record decoded with the dataset's
   * columns plus the bronze metadata columns, as on AWS; the dbt sources read it.
   */
  readonly bronze: string;
  /** Silver: decoded, valid, deduplicated. */
  readonly silver: string;
  /** Silver: the records that failed a quality rule. */
  readonly quarantine: string;
  /** Gold: daily volumes (a materialized view). */
  readonly gold: string;
}

/** The layer (Unity Catalog schema) of each table a stream pipeline creates for a dataset, in the order the pipeline builds them. */
export const STREAM_PIPELINE_TABLE_LAYERS: Readonly<Record<keyof StreamPipelineTableNames, Layer>> = {
  raw: 'bronze',
  bronze: 'bronze',
  silver: 'silver',
  quarantine: 'silver',
  gold: 'gold',
};

/** `<dataset>_raw` and `<dataset>` (bronze), `<dataset>` and `<dataset>_quarantine` (silver), `<dataset>_daily` (gold). */
export function streamPipelineTableNames(dataset: string): StreamPipelineTableNames {
  const name = (table: string) => checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, table);
  return {
    raw: name(`${dataset}_raw`),
    bronze: unityCatalogBronzeTable({ name: dataset }).table,
    silver: name(dataset),
    quarantine: name(`${dataset}_quarantine`),
    gold: name(`${dataset}_daily`),
  };
}

/** `<pipeline name with _ for other characters>_event_log`: the pipeline's event log table (in silver). */
export function pipelineEventLogTableName(pipelineName: string): string {
  return checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, `${pipelineName.replace(/[^A-Za-z0-9_]/g, '_')}_event_log`);
}

/**
 * `<prefix>_<env>_<share>`: a Delta Sharing share. Shares belong to the metastore, which environments may
 * share, so the environment is part of the name; the recipient sees it as the share's name.
 */
export function deltaShareName(scope: NamingScope, share: string): string {
  return checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, `${scope.prefix}_${scope.environment}_${share}`);
}

/** `<prefix>_<env>_<recipient>`: a Delta Sharing recipient, one per environment and metastore like the shares it reads. */
export function deltaSharingRecipientName(scope: NamingScope, recipient: string): string {
  return checked(DATABRICKS_NAME_RULES.unityCatalogIdentifier, `${scope.prefix}_${scope.environment}_${recipient}`);
}

/** `/Shared/<prefix>-<env>/dashboards`: the workspace folder of the platform's dashboards. */
export function dashboardFolder(scope: NamingScope): string {
  return workspaceFolder(scope, 'dashboards');
}
