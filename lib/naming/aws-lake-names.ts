import { DATA_QUALITY_RESULTS_PREFIX } from '../lake/layout';
import { JOB_NAME_RULES } from './aws-job-names';
import { checkedAgainst, type NameRule } from './name-rules';
import { s3BucketName } from './aws-names';
import { domainShardPart, type NamingScope } from './stack-names';

/**
 * Names of the catalog, governance and ingestion resources around the Glue jobs: the security
 * configuration, the JDBC connections, the Lake Formation tags and the roles that other stacks (the
 * pipelines, the streaming job) refer to by name only.
 */
export const LAKE_NAME_RULES = {
  glueSecurityConfiguration: {
    kind: 'Glue security configuration',
    minLength: 1,
    maxLength: 255,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  dmsReplication: {
    kind: 'DMS replication configuration',
    minLength: 1,
    maxLength: 50,
    pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    allowed: 'letters, digits and single hyphens, starting with a letter and not ending in a hyphen',
  },
  glueConnection: {
    kind: 'Glue connection',
    minLength: 1,
    maxLength: 255,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  lakeFormationTagKey: {
    kind: 'Lake Formation tag key',
    minLength: 1,
    maxLength: 128,
    // Lake Formation stores tag keys in lower case; allowing only lower case keeps them as written.
    pattern: /^[a-z0-9_.:/=+\-@]+$/,
    allowed: 'lowercase letters, digits and _.:/=+-@',
  },
  restApi: {
    kind: 'API Gateway REST API',
    minLength: 1,
    maxLength: 1024,
    pattern: /^[A-Za-z0-9-]+$/,
    allowed: 'letters, digits and hyphens',
  },
  logGroup: {
    kind: 'CloudWatch log group',
    minLength: 1,
    maxLength: 512,
    pattern: /^[A-Za-z0-9_/.#-]+$/,
    allowed: 'letters, digits and _ / . # -',
  },
} as const satisfies Record<string, NameRule>;

const checked = checkedAgainst;

/** `<prefix>-<env>-glue`: the Glue security configuration (S3, CloudWatch and bookmarks encrypted with the environment key). */
export function glueSecurityConfigurationName(scope: NamingScope): string {
  return checked(LAKE_NAME_RULES.glueSecurityConfiguration, `${scope.prefix}-${scope.environment}-glue`);
}

/** `<prefix>-<env>-jdbc-<secret>`: the Glue JDBC connection of one source secret (`/` becomes `-`). */
export function glueConnectionName(scope: NamingScope, connectionSecret: string): string {
  return checked(LAKE_NAME_RULES.glueConnection, `${scope.prefix}-${scope.environment}-jdbc-${connectionSecret.replace(/\//g, '-')}`);
}

/**
 * `<prefix>-<env>-cdc-<source>`: the DMS replication configuration of one source database, `<source>` its
 * folder under `_landing/cdc/` (the secret name, lower case, other characters as `-`); its endpoints
 * add `-source` and `-target` (DMS allows 255 there).
 */
export function dmsReplicationName(scope: NamingScope, sourceFolder: string): string {
  return checked(LAKE_NAME_RULES.dmsReplication, `${scope.prefix}-${scope.environment}-cdc-${sourceFolder.replace(/-+/g, '-')}`);
}

/** `<prefix>-<env>-ingest-<domain>[-<shard>]`: the IAM role of a domain's (shard's) batch ingestion jobs. */
export function ingestionRoleName(scope: NamingScope, domain: string, shard = 0): string {
  return checked(JOB_NAME_RULES.iamRole, `${scope.prefix}-${scope.environment}-ingest-${domainShardPart(domain, shard).replace(/_/g, '-')}`);
}

/** `/aws-glue/<prefix>-<env>/ingest-<domain>[-<shard>]`: the encrypted log group of a domain's (shard's) ingestion jobs. */
export function ingestionLogGroupName(scope: NamingScope, domain: string, shard = 0): string {
  return checked(LAKE_NAME_RULES.logGroup, `/aws-glue/${scope.prefix}-${scope.environment}/ingest-${domainShardPart(domain, shard)}`);
}

/**
 * `<prefix>-<env>-quality-<domain>[-<shard>]` (underscores become hyphens): the role a domain's (shard's) Glue Data Quality
 * evaluation runs assume, scoped to that domain's rulesets and tables (its pipeline passes it by name).
 */
export function dataQualityRoleName(scope: NamingScope, domain: string, shard = 0): string {
  return checked(JOB_NAME_RULES.iamRole, `${scope.prefix}-${scope.environment}-quality-${domainShardPart(domain, shard).replace(/_/g, '-')}`);
}

/** `s3://<bronze bucket>/_data_quality/results/`: where evaluation runs write their results (SSE-KMS), one prefix per dataset. */
export function dataQualityResultsLocation(scope: NamingScope, account: string, region: string): string {
  return `s3://${s3BucketName(scope, 'bronze', account, region)}/${DATA_QUALITY_RESULTS_PREFIX}`;
}

/** `<prefix>-<env>-lake-locations`: the role Lake Formation assumes to reach the registered layer buckets. */
export function lakeLocationRoleName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.iamRole, `${scope.prefix}-${scope.environment}-lake-locations`);
}

/**
 * `<prefix>_<env>_access_<group>`: the Lake Formation tag that says what a group may do with a table
 * (value `read` or `own`). One key per group, because a table carries one value per key and several
 * groups read the same table.
 */
export function accessTagKey(scope: NamingScope, group: string): string {
  return checked(LAKE_NAME_RULES.lakeFormationTagKey, `${scope.prefix}_${scope.environment}_access_${group}`);
}

/** `<prefix>_<env>_domain`: the Lake Formation tag that records a table's business domain. */
export function domainTagKey(scope: NamingScope): string {
  return checked(LAKE_NAME_RULES.lakeFormationTagKey, `${scope.prefix}_${scope.environment}_domain`);
}

/** The CDK bootstrap's CloudFormation execution role: a Lake Formation admin, so deployments can manage tables and grants. */
export function cdkExecutionRoleName(account: string, region: string, qualifier = 'hnb659fds'): string {
  return checked(JOB_NAME_RULES.iamRole, `cdk-${qualifier}-cfn-exec-role-${account}-${region}`);
}

/**
 * `<prefix>_<env>_consumer_api`: the Lake Formation tag (value `read`) that the gold tables exposed through
 * the gold API carry, and on which the API's role alone is granted SELECT. A key of its own, not an access
 * tag of a group, so that no group called "api" could share it.
 */
export function apiAccessTagKey(scope: NamingScope): string {
  return checked(LAKE_NAME_RULES.lakeFormationTagKey, `${scope.prefix}_${scope.environment}_consumer_api`);
}

/** `<prefix>-<env>-gold-api`: the gold API (its REST API, and the stack concern `api` deploys it). */
export function goldApiName(scope: NamingScope): string {
  return checked(LAKE_NAME_RULES.restApi, `${scope.prefix}-${scope.environment}-gold-api`);
}

/**
 * `<prefix>-<env>-gold-api`: the role the gold API's function runs its queries with. Named, so that Lake
 * Formation grants, CloudTrail and the access matrix show it as what it is.
 */
export function goldApiRoleName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.iamRole, `${scope.prefix}-${scope.environment}-gold-api`);
}
