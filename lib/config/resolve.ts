import { BINARY_MANIFEST_COLUMNS, BINARY_MANIFEST_KEY, DEFAULT_MAX_CONTENT_BYTES } from '../lake/binary-manifest';
import { initialStreamSchemas } from '../schema-registry/stream-schemas';
import {
  DEFAULT_AZURE_REPLICATION,
  DEFAULT_EVENT_HUBS_CAPACITY,
  DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_SIZING,
  DEFAULT_STREAM_PARTITIONS,
  DEFAULT_STREAM_RETENTION_HOURS,
  DEFAULT_SCHEMA_COMPATIBILITY,
  DEFAULT_VPC_CIDR,
} from './defaults';
import { STAGE_DEFAULTS, STAGE_POLICY } from './stage-policy';
import {
  DEFAULT_DATABRICKS_NODE_TYPES,
  DEFAULT_DATABRICKS_RUNTIME,
  DEFAULT_DBT_BRANCH,
  DEFAULT_DBT_PROJECT_DIRECTORY,
  DEFAULT_DBT_SCHEDULE,
  DEFAULT_ML_SERVING_WORKLOAD_SIZE,
} from './defaults';
import { DATABRICKS_AUDIT_SYSTEM_SCHEMAS, DEFAULT_CICD_BRANCH, DEFAULT_PIPELINE_SCHEDULES, DEFAULT_SPARK_RUNTIME } from './defaults';
import { DEFAULT_ANOMALY_SHARE_OF_BUDGET, DEFAULT_BUDGET_CURRENCY, DEFAULT_BUDGET_FORECAST_THRESHOLDS, DEFAULT_BUDGET_THRESHOLDS } from './defaults';
import { DEFAULT_API_BURST_LIMIT, DEFAULT_API_ENDPOINT_TYPE, DEFAULT_API_MAX_PAGE_SIZE, DEFAULT_API_RATE_LIMIT } from './defaults';
import { mergeLifecycle } from './lifecycle';
import { changeDataOf, type EnvironmentInput, type PlatformDefinition } from './schema';
import { DEFAULT_DMS_MAX_CAPACITY_UNITS, DEFAULT_SCD_TYPE, type DmsCapacityUnits, LAYERS, type Layer } from '../definition';
import type { AccessGroup, AzureEnvironment, ConsumersConfig, DatasetConfig, EnvironmentConfig, LayerLifecycle, PlatformConfig } from '../definition';

/** Deep-freezes a plain data tree so no consumer can change the shared configuration. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function resolveEnvironment(definition: PlatformDefinition, name: string): EnvironmentConfig {
  const env = definition.environments[name];
  const isProduction = env.stage === 'production';
  const stageDefaults = STAGE_DEFAULTS[env.stage];
  const lifecycle = Object.fromEntries(LAYERS.map((layer) => [layer, mergeLifecycle(definition, name, env, layer).value])) as Record<Layer, LayerLifecycle>;
  const auditRetentionDays = env.audit?.retentionDays ?? stageDefaults.auditRetentionDays;
  return {
    name,
    stage: env.stage,
    isProduction,
    policy: STAGE_POLICY[env.stage],
    description: env.description,
    clouds: env.clouds,
    aws: env.aws && {
      account: env.aws.account,
      region: env.aws.region,
      vpcCidr: env.aws.vpcCidr ?? DEFAULT_VPC_CIDR,
      kubernetes: {
        enabled: env.aws.kubernetes?.enabled ?? stageDefaults.kubernetesEnabled,
        version: env.aws.kubernetes?.version ?? DEFAULT_KUBERNETES_VERSION,
        adminGroup: env.aws.kubernetes?.adminGroup,
      },
      monitoring: { alertEmails: env.aws.monitoring?.alertEmails ?? [] },
      schedulesEnabled: (env.aws.pipelines?.schedules ?? DEFAULT_PIPELINE_SCHEDULES) === 'enabled',
      sparkRuntime: env.aws.pipelines?.sparkRuntime ?? DEFAULT_SPARK_RUNTIME,
      lakeAdminGroup: env.aws.lakeAdminGroup,
      changeCapture: {
        createAccountRoles: env.aws.changeCapture?.createAccountRoles ?? false,
        maxCapacityUnits: (env.aws.changeCapture?.maxCapacityUnits ?? DEFAULT_DMS_MAX_CAPACITY_UNITS) as DmsCapacityUnits,
      },
    },
    azure: env.azure && resolveAzure(env.azure, env.stage, auditRetentionDays),
    databricks: env.databricks && {
      metastoreId: env.databricks.metastoreId,
      accountId: env.databricks.accountId,
      azureDatabricksObjectId: env.databricks.azureDatabricksObjectId,
      streamReaderObjectId: env.databricks.streamReaderObjectId,
      runtimeVersion: env.databricks.runtimeVersion ?? DEFAULT_DATABRICKS_RUNTIME,
      nodeTypes: env.databricks.nodeTypes ?? DEFAULT_DATABRICKS_NODE_TYPES,
      dbtSchedule: env.databricks.dbtSchedule ?? DEFAULT_DBT_SCHEDULE,
    },
    dataProtection: {
      retainOnDelete: isProduction || env.dataProtection.onDelete === 'retain',
      softDeleteDays: env.dataProtection.softDeleteDays ?? stageDefaults.softDeleteDays,
      kmsKeyDeletionWindowDays: env.dataProtection.kmsKeyDeletionWindowDays ?? DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
      bronzeLockMode: env.dataProtection.bronzeLockMode ?? stageDefaults.bronzeLockMode,
    },
    sizing: { ...DEFAULT_SIZING, ...env.sizing },
    lifecycle,
    audit: {
      retentionDays: auditRetentionDays,
      organizationTrail: env.clouds.includes('aws') ? env.audit?.organizationTrail : undefined,
      databricksSystemSchemas: enablesMetastoreSystemSchemas(definition, name) ? DATABRICKS_AUDIT_SYSTEM_SCHEMAS : [],
    },
    budget: env.budget && {
      amount: env.budget.amount,
      currency: env.budget.currency ?? DEFAULT_BUDGET_CURRENCY,
      thresholds: env.budget.thresholds ?? DEFAULT_BUDGET_THRESHOLDS,
      forecastThresholds: env.budget.forecastThresholds ?? DEFAULT_BUDGET_FORECAST_THRESHOLDS,
      recipients: env.budget.recipients ?? [],
      startDate: env.budget.startDate,
      anomalyThreshold: env.budget.anomalyThreshold ?? env.budget.amount * DEFAULT_ANOMALY_SHARE_OF_BUDGET,
    },
  };
}

/**
 * Whether environment `name` is the first Databricks environment of its metastore (definition order):
 * a system schema belongs to the metastore, so enabling it from two environments' stacks would have two
 * Terraform states fight over one object.
 */
function enablesMetastoreSystemSchemas(definition: PlatformDefinition, name: string): boolean {
  const usesDatabricks = ([, env]: [string, EnvironmentInput]) => env.clouds.includes('databricks') && env.databricks !== undefined;
  const metastoreId = definition.environments[name].databricks?.metastoreId;
  if (!usesDatabricks([name, definition.environments[name]])) return false;
  const first = Object.entries(definition.environments).find((entry) => usesDatabricks(entry) && entry[1].databricks?.metastoreId === metastoreId);
  return first?.[0] === name;
}

function resolveAzure(azure: NonNullable<EnvironmentInput['azure']>, stage: EnvironmentInput['stage'], auditRetentionDays: number): AzureEnvironment {
  const defaults = STAGE_DEFAULTS[stage];
  return {
    subscriptionId: azure.subscriptionId,
    tenantId: azure.tenantId,
    location: azure.location,
    storageReplication: azure.storageReplication ?? DEFAULT_AZURE_REPLICATION,
    stateBackend: azure.stateBackend,
    network: { addressSpace: azure.network?.addressSpace ?? defaults.azureAddressSpace },
    monitoring: {
      alertEmails: azure.monitoring?.alertEmails ?? [],
      logRetentionDays: azure.monitoring?.logRetentionDays ?? auditRetentionDays,
    },
    streaming: {
      sku: azure.streaming?.sku ?? defaults.eventHubsSku,
      capacity: azure.streaming?.capacity ?? DEFAULT_EVENT_HUBS_CAPACITY,
    },
    warehouse: azure.warehouse && {
      adminGroup: azure.warehouse.adminGroup,
      defender: azure.warehouse.defender ?? defaults.sqlDefender,
      shortTermRetentionDays: azure.warehouse.shortTermRetentionDays ?? defaults.warehouseShortTermRetentionDays,
      longTermRetentionWeeks: azure.warehouse.longTermRetentionWeeks ?? defaults.warehouseLongTermRetentionWeeks,
    },
    analytics: azure.analytics && { adminGroup: azure.analytics.adminGroup },
  };
}

function resolveGroups(definition: PlatformDefinition): Record<string, AccessGroup> {
  return Object.fromEntries(
    Object.entries(definition.groups).map(([name, group]) => [
      name,
      {
        name,
        description: group.description,
        awsRoleName: group.awsRoleName ?? `${definition.platform.prefix}-${name}`,
        entraObjectId: group.entraObjectId,
        databricksGroup: group.databricksGroup ?? name,
      },
    ]),
  );
}

function resolveSource(dataset: PlatformDefinition['datasets'][number]): DatasetConfig['source'] {
  const source = dataset.source;
  if (source.kind === 'stream')
    return {
      ...source,
      partitions: source.partitions ?? DEFAULT_STREAM_PARTITIONS,
      retentionHours: source.retentionHours ?? DEFAULT_STREAM_RETENTION_HOURS,
      compatibility: source.compatibility ?? DEFAULT_SCHEMA_COMPATIBILITY,
    };
  if (source.kind === 'files' && dataset.format === 'binary') return { ...source, maxContentBytes: source.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES };
  return source;
}

/** The declared columns and keys; a binary dataset's are its manifest's (validation refused any declared ones). */
function resolveColumns(dataset: PlatformDefinition['datasets'][number]): Pick<DatasetConfig, 'columns' | 'keys'> {
  if (dataset.format === 'binary') return { columns: BINARY_MANIFEST_COLUMNS, keys: [BINARY_MANIFEST_KEY] };
  const keys = dataset.keys ?? [];
  return {
    columns: (dataset.columns ?? []).map((column) => ({
      name: column.name,
      type: column.type,
      nullable: keys.includes(column.name) ? false : (column.nullable ?? true),
      description: column.description,
      pii: column.pii ?? false,
    })),
    keys,
  };
}

function resolveDataset(dataset: PlatformDefinition['datasets'][number]): DatasetConfig {
  const changes = changeDataOf(dataset);
  return {
    name: dataset.name,
    domain: dataset.domain,
    description: dataset.description,
    source: resolveSource(dataset),
    format: dataset.format,
    ...resolveColumns(dataset),
    cdc: changes !== undefined,
    ...(changes && { scdType: changes.scdType ?? DEFAULT_SCD_TYPE }),
    classification: dataset.classification,
    owners: dataset.owners,
    readers: { bronze: dataset.readers?.bronze ?? [], silver: dataset.readers?.silver ?? [], gold: dataset.readers?.gold ?? [] },
    schedule: dataset.schedule,
    quality: dataset.quality ?? [],
  };
}

/** The environments whose clouds include `cloud`, in definition order: where a consumer that names none is deployed. */
function environmentsUsing(definition: PlatformDefinition, cloud: 'aws' | 'databricks'): string[] {
  return Object.entries(definition.environments)
    .filter(([, env]) => env.clouds.includes(cloud))
    .map(([name]) => name);
}

/** The consumers of gold with their defaults; environment lists keep the definition's environment order. */
function resolveConsumers(definition: PlatformDefinition): ConsumersConfig {
  const consumers = definition.consumers;
  const inOrder = (names: readonly string[] | undefined, cloud: 'aws' | 'databricks') =>
    names === undefined ? environmentsUsing(definition, cloud) : Object.keys(definition.environments).filter((name) => names.includes(name));
  const api = consumers?.api;
  return {
    api: api && {
      environments: inOrder(api.environments, 'aws'),
      endpointType: api.endpointType ?? DEFAULT_API_ENDPOINT_TYPE,
      throttling: { rateLimit: api.throttling?.rateLimit ?? DEFAULT_API_RATE_LIMIT, burstLimit: api.throttling?.burstLimit ?? DEFAULT_API_BURST_LIMIT },
      maxPageSize: api.maxPageSize ?? DEFAULT_API_MAX_PAGE_SIZE,
      tables: api.tables.map((table) => ({
        dataset: table.dataset,
        filters: table.filters ?? definition.datasets.find((dataset) => dataset.name === table.dataset)?.keys ?? [],
        groups: table.groups ?? [],
        principals: table.principals ?? [],
        allowPersonalData: table.allowPersonalData ?? false,
      })),
    },
    dashboards: (consumers?.dashboards ?? []).map((dashboard) => ({
      name: dashboard.name,
      description: dashboard.description,
      tables: dashboard.tables,
      owners: dashboard.owners,
      readers: dashboard.readers ?? [],
      allowPersonalData: dashboard.allowPersonalData ?? false,
    })),
    shares: (consumers?.shares ?? []).map((share) => ({
      name: share.name,
      description: share.description,
      tables: share.tables,
      recipients: share.recipients.map((recipient) =>
        recipient.sharingIdentifier !== undefined
          ? { name: recipient.name, description: recipient.description, kind: 'databricks' as const, sharingIdentifier: recipient.sharingIdentifier }
          : { name: recipient.name, description: recipient.description, kind: 'open' as const, ipAccessList: recipient.ipAccessList ?? [] },
      ),
      environments: inOrder(share.environments, 'databricks'),
      allowPersonalData: share.allowPersonalData ?? false,
    })),
  };
}

/** Applies defaults and overrides to a definition that passed validation. */
export function resolveDefinition(definition: PlatformDefinition, source: string): PlatformConfig {
  const datasets = definition.datasets.map(resolveDataset);
  return deepFreeze({
    prefix: definition.platform.prefix,
    owner: definition.platform.owner,
    costCenter: definition.platform.costCenter,
    description: definition.platform.description,
    groups: resolveGroups(definition),
    environments: Object.keys(definition.environments).map((name) => resolveEnvironment(definition, name)),
    datasets,
    streamSchemas: initialStreamSchemas(datasets),
    dbt: definition.dbt && {
      repositoryUrl: definition.dbt.repositoryUrl,
      branch: definition.dbt.branch ?? DEFAULT_DBT_BRANCH,
      projectDirectory: definition.dbt.projectDirectory ?? DEFAULT_DBT_PROJECT_DIRECTORY,
    },
    mlUseCases: (definition.mlUseCases ?? []).map((useCase) => ({
      ...useCase,
      readers: useCase.readers ?? [],
      serving: useCase.serving && {
        environments: useCase.serving.environments,
        workloadSize: useCase.serving.workloadSize ?? DEFAULT_ML_SERVING_WORKLOAD_SIZE,
        scaleToZero: useCase.serving.scaleToZero ?? true,
      },
    })),
    cicd: definition.cicd && {
      repository: definition.cicd.repository,
      branch: definition.cicd.branch ?? DEFAULT_CICD_BRANCH,
      environments: Object.entries(definition.cicd.environments).map(([environment, delivery]) => ({
        environment,
        githubEnvironment: delivery.githubEnvironment ?? environment,
        approvers: delivery.approvers ?? [],
      })),
    },
    consumers: resolveConsumers(definition),
    serviceQuotas: { ...(definition.serviceQuotas ?? {}) },
    source,
  });
}
