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
export const STACK_CONCERNS = ['storage', 'network', 'catalog', 'ingestion', 'processing', 'orchestration', 'streaming', 'analytics', 'lakehouse', 'security', 'monitoring', 'warehouse'] as const;
export type StackConcern = (typeof STACK_CONCERNS)[number];

/** `<prefix>-<env>-<concern>`: a CloudFormation stack (the AWS CDK app). */
export function stackName(scope: NamingScope, concern: StackConcern): string {
  return checkedName('cloudFormationStack', `${scope.prefix}-${scope.environment}-${concern}`);
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
