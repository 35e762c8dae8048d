import { createHash } from 'node:crypto';
import { checkedName } from './name-rules';

/**
 * The one set of functions that names resources. Stacks, constructs, the dbt source generator and the
 * CLI all call these, so a name is composed in exactly one place and always fits its cloud's limits.
 */
export interface NamingScope {
  /** Platform prefix from the definition, e.g. "acme". */
  readonly prefix: string;
  /** Environment name, e.g. "prod". */
  readonly environment: string;
}

/** Concerns that get a stack of their own per environment. */
export const STACK_CONCERNS = ['storage', 'network', 'catalog', 'ingestion', 'processing', 'orchestration', 'streaming', 'analytics', 'lakehouse', 'security', 'monitoring', 'warehouse', 'kubernetes', 'schedules', 'workspace'] as const;
export type StackConcern = (typeof STACK_CONCERNS)[number];

/** `<prefix>-<env>-<concern>`: a CloudFormation stack (the AWS CDK app). */
export function stackName(scope: NamingScope, concern: StackConcern): string {
  return checkedName('cloudFormationStack', `${scope.prefix}-${scope.environment}-${concern}`);
}

/**
 * `<prefix>-<env>-<concern>-<part>`: one of several CloudFormation stacks of a concern, split so that
 * no template outgrows CloudFormation's limits (e.g. a domain's pipeline, a shard of schedules). The
 * part's underscores become hyphens (domains are snake_case, stack names allow no underscore).
 */
export function stackPartName(scope: NamingScope, concern: StackConcern, part: string): string {
  return checkedName('cloudFormationStack', `${scope.prefix}-${scope.environment}-${concern}-${part.replace(/_/g, '-')}`);
}

/**
 * `<prefix>-<env>-<cloud>-<concern>`: a Terraform stack (the CDKTF app). The cloud is part of the name
 * so that `cdktf deploy` and `cdk deploy` targets can never be confused.
 */
export function terraformStackName(scope: NamingScope, cloud: 'azure' | 'databricks', concern: StackConcern): string {
  return checkedName('terraformStack', `${scope.prefix}-${scope.environment}-${cloud}-${concern}`);
}

/**
 * A globally unique S3 bucket name: `<prefix>-<env>-<purpose>-<account>-<region>`. The account and
 * region make it unique without random suffixes, so the name is known before deployment.
 */
export function s3BucketName(scope: NamingScope, purpose: string, account: string, region: string): string {
  return checkedName('s3Bucket', `${scope.prefix}-${scope.environment}-${purpose}-${account}-${region}`);
}

/** `alias/<prefix>-<env>-<purpose>`. */
export function kmsAliasName(scope: NamingScope, purpose: string): string {
  return checkedName('kmsAlias', `alias/${scope.prefix}-${scope.environment}-${purpose}`);
}

/** `<prefix>_<env>_<layer>`: the Glue Data Catalog database of a layer. */
export function glueDatabaseName(scope: NamingScope, layer: string): string {
  return checkedName('glueDatabase', `${scope.prefix}_${scope.environment}_${layer}`);
}

/** `rg-<prefix>-<env>-<purpose>`. */
export function resourceGroupName(scope: NamingScope, purpose: string): string {
  return checkedName('azureResourceGroup', `rg-${scope.prefix}-${scope.environment}-${purpose}`);
}

/** Four hex characters derived from `seed`: short, stable, and enough to avoid global-name clashes. */
export function shortHash(seed: string, length = 4): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/**
 * `<prefix><env>dl<hash>`: the lake storage account. Storage account names are global across Azure;
 * the hash of the subscription keeps two organisations with the same prefix apart.
 */
export function storageAccountName(scope: NamingScope, subscriptionId: string): string {
  return checkedName('azureStorageAccount', `${scope.prefix}${scope.environment}dl${shortHash(subscriptionId)}`);
}

/** The ADLS Gen2 filesystem (container) of a layer. */
export function adlsFilesystemName(layer: string): string {
  return checkedName('adlsFilesystem', layer);
}

/** `<prefix>_<env>`: the Unity Catalog catalog of an environment. */
export function unityCatalogName(scope: NamingScope): string {
  return checkedName('unityCatalogIdentifier', `${scope.prefix}_${scope.environment}`);
}

/** Abbreviations of the Azure resources named by `azureResourceName`, after the Cloud Adoption Framework. */
export const AZURE_ABBREVIATIONS = {
  virtualNetwork: 'vnet',
  subnet: 'snet',
  networkSecurityGroup: 'nsg',
  privateEndpoint: 'pep',
  userAssignedIdentity: 'id',
  actionGroup: 'ag',
  alert: 'alert',
  diagnosticSetting: 'diag',
  natGateway: 'ng',
  publicIp: 'pip',
} as const;
export type AzureAbbreviatedKind = keyof typeof AZURE_ABBREVIATIONS;

/** `<abbreviation>-<prefix>-<env>[-<purpose>]`: a resource whose name is unique within its resource group. */
export function azureResourceName(scope: NamingScope, kind: AzureAbbreviatedKind, purpose?: string): string {
  return checkedName('azureResource', [AZURE_ABBREVIATIONS[kind], scope.prefix, scope.environment, purpose].filter(Boolean).join('-'));
}

/**
 * `kv-<prefix>-<env>-<hash>`: the environment's Key Vault. Vault names are global across Azure (and
 * stay reserved while a purge-protected vault is soft-deleted), hence the hash of the subscription.
 */
export function keyVaultName(scope: NamingScope, subscriptionId: string): string {
  return checkedName('azureKeyVault', `kv-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/** `log-<prefix>-<env>`: the environment's Log Analytics workspace. */
export function logAnalyticsWorkspaceName(scope: NamingScope): string {
  return checkedName('logAnalyticsWorkspace', `log-${scope.prefix}-${scope.environment}`);
}

/** `evhns-<prefix>-<env>-<hash>`: the Event Hubs namespace (its name is a global DNS name). */
export function eventHubsNamespaceName(scope: NamingScope, subscriptionId: string): string {
  return checkedName('eventHubsNamespace', `evhns-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/** The event hub of a stream dataset: its Kafka topic, so producers keep the topic name they know. */
export function eventHubName(topic: string): string {
  return checkedName('eventHub', topic);
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
  return checkedName('dataFactory', `adf-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/**
 * The Key Vault secret that holds a secret the definition names (`sales/crm-replica` becomes
 * `sales-crm-replica`): Key Vault allows letters, digits and hyphens only, while the definition's
 * secret names also serve AWS Secrets Manager, which allows paths.
 */
export function keyVaultSecretName(secret: string): string {
  return checkedName('keyVaultSecret', secret.replace(/[^A-Za-z0-9-]+/g, '-'));
}

/** `<prefix>-<env>-analytics`: the environment's Athena workgroup. */
export function athenaWorkgroupName(scope: NamingScope): string {
  return checkedName('athenaWorkgroup', `${scope.prefix}-${scope.environment}-analytics`);
}

/** `sql-<prefix>-<env>-<hash>`: the warehouse's logical SQL server (a global DNS name). */
export function sqlServerName(scope: NamingScope, subscriptionId: string): string {
  return checkedName('sqlServer', `sql-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}

/** `synw-<prefix>-<env>-<hash>`: the environment's Synapse workspace (a global DNS name). */
export function synapseWorkspaceName(scope: NamingScope, subscriptionId: string): string {
  return checkedName('synapseWorkspace', `synw-${scope.prefix}-${scope.environment}-${shortHash(subscriptionId)}`);
}
