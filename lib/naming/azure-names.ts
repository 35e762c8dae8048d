import { checkedAgainst, type NameRule } from './name-rules';
import { type NamingScope, shortHash } from './stack-names';
import { isLakeArea, LAKE_AREAS, type LakeArea } from '../lake';

/** Names of the Azure resources, after the Cloud Adoption Framework's abbreviations. */

/** Limits of the Azure resource names, from the Azure naming rules. */
export const AZURE_NAME_RULES = {
  azureResourceGroup: {
    kind: 'Azure resource group',
    minLength: 1,
    maxLength: 90,
    pattern: /^[A-Za-z0-9._()-]*[A-Za-z0-9_()-]$/,
    allowed: 'letters, digits, ., _, -, ( and ), not ending with a period',
  },
  azureStorageAccount: {
    kind: 'Azure storage account',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z0-9]+$/,
    allowed: 'lowercase letters and digits only',
  },
  adlsFilesystem: {
    kind: 'ADLS Gen2 filesystem',
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits and single hyphens',
  },
  azureResource: {
    kind: 'Azure resource',
    minLength: 1,
    maxLength: 80,
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_]$/,
    allowed: 'letters, digits, ., _ and -, starting with a letter or digit and not ending with . or -',
  },
  azureKeyVault: {
    kind: 'Azure Key Vault',
    minLength: 3,
    maxLength: 24,
    pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
  },
  logAnalyticsWorkspace: {
    kind: 'Log Analytics workspace',
    minLength: 4,
    maxLength: 63,
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and hyphens, starting and ending with a letter or digit',
  },
  eventHubsNamespace: {
    kind: 'Event Hubs namespace',
    minLength: 6,
    maxLength: 50,
    pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and hyphens, starting with a letter and ending with a letter or digit',
  },
  eventHub: {
    kind: 'Event hub',
    minLength: 1,
    maxLength: 256,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    allowed: 'letters, digits, ., _ and -, starting and ending with a letter or digit',
  },
  eventHubsSchemaGroup: {
    kind: 'Event Hubs schema group',
    minLength: 1,
    maxLength: 50,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    allowed: 'letters, digits, ., _ and -, starting and ending with a letter or digit',
  },
  dataFactory: {
    kind: 'Data Factory',
    minLength: 3,
    maxLength: 63,
    pattern: /^[A-Za-z0-9](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and single hyphens, starting and ending with a letter or digit',
  },
  sqlServer: {
    kind: 'Azure SQL server',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens, not starting or ending with a hyphen',
  },
  synapseWorkspace: {
    kind: 'Synapse workspace',
    minLength: 1,
    maxLength: 50,
    pattern: /^(?!.*-ondemand)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens, not starting or ending with a hyphen, without "-ondemand"',
  },
  keyVaultSecret: {
    kind: 'Key Vault secret',
    minLength: 1,
    maxLength: 127,
    pattern: /^[A-Za-z0-9-]+$/,
    allowed: 'letters, digits and hyphens',
  },
} satisfies Record<string, NameRule>;

/** `rg-<prefix>-<env>-<purpose>`. */
export function resourceGroupName(scope: NamingScope, purpose: string): string {
  return checkedAgainst(AZURE_NAME_RULES.azureResourceGroup, `rg-${scope.prefix}-${scope.environment}-${purpose}`);
}

/**
 * `<prefix><env>dl<hash>`: the lake storage account. Storage account names are global across Azure;
 * the hash of the subscription keeps two organisations with the same prefix apart.
 */
export function storageAccountName(scope: NamingScope, subscriptionId: string): string {
  return checkedAgainst(AZURE_NAME_RULES.azureStorageAccount, `${scope.prefix}${scope.environment}dl${shortHash(subscriptionId)}`);
}

/** The ADLS Gen2 filesystem (container) of an area of the lake: a layer's, or bronze's working data (lib/lake `LAKE_AREAS`). */
export function adlsFilesystemName(area: LakeArea): string {
  if (!isLakeArea(area)) throw new Error(`adlsFilesystemName: "${String(area)}" is not an area of the lake; areas: ${LAKE_AREAS.join(', ')}`);
  return checkedAgainst(AZURE_NAME_RULES.adlsFilesystem, area);
}

/**
 * `abfss://<filesystem>@<account>.dfs.core.windows.net/`: where Spark and Unity Catalog address an area of
 * the lake (names known at synth time, so other stacks can use the URL as a plain string).
 */
export function adlsFilesystemUrl(storageAccountName: string, area: LakeArea): string {
  return `abfss://${adlsFilesystemName(area)}@${storageAccountName}.dfs.core.windows.net/`;
}

/** Abbreviations of the Azure resources named by `azureResourceName`, after the Cloud Adoption Framework. */
export const AZURE_ABBREVIATIONS = {
  virtualNetwork: 'vnet',
  subnet: 'snet',
  networkSecurityGroup: 'nsg',
  privateEndpoint: 'pep',
  userAssignedIdentity: 'id',
  actionGroup: 'ag',
  budget: 'budget',
  alert: 'alert',
  diagnosticSetting: 'diag',
  natGateway: 'ng',
  publicIp: 'pip',
} as const;

export type AzureAbbreviatedKind = keyof typeof AZURE_ABBREVIATIONS;

/** `<abbreviation>-<prefix>-<env>[-<purpose>]`: a resource whose name is unique within its resource group. */
export function azureResourceName(scope: NamingScope, kind: AzureAbbreviatedKind, purpose?: string): string {
  return checkedAgainst(AZURE_NAME_RULES.azureResource, [AZURE_ABBREVIATIONS[kind], scope.prefix, scope.environment, purpose].filter(Boolean).join('-'));
}

/**
 * `kv-<prefix>-<env>-<hash>`: the environment's Key Vault. Vault names are global across Azure (and
 * stay reserved while a purge-protected vault is soft-deleted), hence the hash of the subscription.
 */
export function keyVaultName(scope: NamingScope, subscriptionId: string): string {
  return checkedAgainst(AZURE_NAME_RULES.azureKeyVault, `kv-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/** `log-<prefix>-<env>`: the environment's Log Analytics workspace. */
export function logAnalyticsWorkspaceName(scope: NamingScope): string {
  return checkedAgainst(AZURE_NAME_RULES.logAnalyticsWorkspace, `log-${scope.prefix}-${scope.environment}`);
}

/** `evhns-<prefix>-<env>-<hash>`: the Event Hubs namespace (its name is a global DNS name). */
export function eventHubsNamespaceName(scope: NamingScope, subscriptionId: string): string {
  return checkedAgainst(AZURE_NAME_RULES.eventHubsNamespace, `evhns-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/** The event hub of a stream dataset: its Kafka topic, so producers keep the topic name they know. */
export function eventHubName(topic: string): string {
  return checkedAgainst(AZURE_NAME_RULES.eventHub, topic);
}

/** The Event Hubs schema group of a domain's stream schemas (Avro): the domain's name. */
export function eventHubsSchemaGroupName(domain: string): string {
  return checkedAgainst(AZURE_NAME_RULES.eventHubsSchemaGroup, domain);
}

/**
 * The Azure Resource Manager id of a resource, composed from names alone. Stacks that deploy
 * separately refer to each other's resources by these ids, so no stack reads another's state.
 */
export function azureResourceId(subscriptionId: string, resourceGroup: string, provider: string, ...typesAndNames: string[]): string {
  if (typesAndNames.length === 0 || typesAndNames.length % 2 !== 0) {
    throw new Error(`azureResourceId: expected type/name pairs after the provider, got ${typesAndNames.length} segment(s): ${typesAndNames.join('/')}`);
  }
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${provider}/${typesAndNames.join('/')}`;
}

/** `adf-<prefix>-<env>-<hash>`: the environment's Data Factory (its name is global across Azure). */
export function dataFactoryName(scope: NamingScope, subscriptionId: string): string {
  return checkedAgainst(AZURE_NAME_RULES.dataFactory, `adf-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/**
 * `ingest_<dataset>`: the Data Factory pipeline that copies one batch dataset into bronze (its schedule
 * trigger and `platform run --cloud azure` start it by this name).
 */
export function dataFactoryPipelineName(dataset: string): string {
  return `ingest_${dataset}`;
}

/**
 * `copy_<dataset>_to_bronze`: the copy activity of a dataset's `ingest_<dataset>` pipeline; its output
 * counts the rows read, copied into bronze and skipped into the quarantine (`platform status` reads them).
 */
export function dataFactoryCopyActivityName(dataset: string): string {
  return `copy_${dataset}_to_bronze`;
}

/** `copy_<dataset>_changes_to_bronze`: the copy activity of a captured (`cdc: true`) dataset, which copies its change feed. */
export function dataFactoryChangeCopyActivityName(dataset: string): string {
  return `copy_${dataset}_changes_to_bronze`;
}

/**
 * The Key Vault secret that holds a secret the definition names (`sales/crm-replica` becomes
 * `sales-crm-replica`): Key Vault allows letters, digits and hyphens only, while the definition's
 * secret names also serve AWS Secrets Manager, which allows paths.
 */
export function keyVaultSecretName(secret: string): string {
  return checkedAgainst(AZURE_NAME_RULES.keyVaultSecret, secret.replace(/[^A-Za-z0-9-]+/g, '-'));
}

/** `sql-<prefix>-<env>-<hash>`: the warehouse's logical SQL server (a global DNS name). */
export function sqlServerName(scope: NamingScope, subscriptionId: string): string {
  return checkedAgainst(AZURE_NAME_RULES.sqlServer, `sql-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/** `synw-<prefix>-<env>-<hash>`: the environment's Synapse workspace (a global DNS name). */
export function synapseWorkspaceName(scope: NamingScope, subscriptionId: string): string {
  return checkedAgainst(AZURE_NAME_RULES.synapseWorkspace, `synw-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}
