import { z } from 'zod';
import {
  API_ENDPOINT_TYPES,
  API_PAGINATION,
  AWS_REGIONS,
  awsPartition,
  awsRegionsOf,
  AZURE_LOCATIONS,
  AZURE_REPLICATION,
  BRONZE_LOCK_MODES,
  CLASSIFICATIONS,
  CLOUDS,
  CONTINUOUS,
  DATABASE_ENGINES,
  DATABASE_LOADS,
  type DatasetSource,
  DEFAULT_DMS_MAX_CAPACITY_UNITS,
  DMS_CAPACITY_UNITS,
  type StreamSource,
  EVENT_HUBS_SKUS,
  FORMATS,
  ML_SERVING_WORKLOAD_SIZES,
  type MlServingConfig,
  type QualityRule,
  type ScdType,
  SCD_TYPES,
  SCHEMA_COMPATIBILITIES,
  SOURCE_KINDS,
  SPARK_RUNTIMES,
  STAGES,
} from '../definition';
import { cronProblem } from '../schedules/cron';
import { DEFAULT_MAX_CONTENT_BYTES, MAX_CONTENT_BYTES_LIMIT } from '../lake/binary-manifest';
import { days, knownName, oneOf, pattern, strictObject, uniqueList, wholeNumber } from './schema-helpers';

/**
 * The schema of `platform.yaml`: the one definition every stack, grant, job, dbt source and CLI command
 * is derived from. Shape and per-object rules live here; rules that relate distant parts of the
 * definition (references, composed names) live in `rules.ts`. The JSON Schema that editors use is
 * generated from this file (`npm run schema`).
 */

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
const identifier = (what: string) => pattern(IDENTIFIER, 'lowercase snake_case (a-z, 0-9, _), starting with a letter, at most 63 characters', what);
const groupName = pattern(/^[a-z][a-z0-9-]{0,39}$/, 'a group name: lowercase letters, digits and hyphens, at most 40 characters');
/** A five-field cron expression in UTC (jobs turn it into Quartz). */
const cronSchedule = (what: string) =>
  z
    .string({ error: () => 'must be a five-field cron expression' })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" ${problem}` });
    })
    .describe(what);
const uuid = (what: string) =>
  pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a lowercase GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)', what);
const nonEmpty = (what: string) =>
  z
    .string({ error: () => 'must be a non-empty string' })
    .min(1, { error: () => 'must be a non-empty string' })
    .describe(what);

// ---------------------------------------------------------------------------------------------
// Lifecycle

const layerLifecycleFields = {
  infrequentAccessAfterDays: days(
    30,
    36500,
    'Days after creation before objects move to S3 Standard-IA / the Azure cool tier (S3 requires at least 30).',
  ).optional(),
  archiveAfterDays: days(
    1,
    36500,
    'Days after creation before objects move to S3 Glacier Flexible Retrieval / the Azure archive tier; must be later than infrequentAccessAfterDays.',
  ).optional(),
  expireAfterDays: days(
    1,
    36500,
    'Days after creation before objects are deleted; must be later than every transition. Omit to keep data until deleted by hand.',
  ).optional(),
  noncurrentVersionExpireAfterDays: days(
    1,
    36500,
    'Days after an object version becomes noncurrent (S3) or a snapshot is taken (Azure) before it is deleted.',
  ).optional(),
};

/** Lifecycle of one layer, as given in the definition (every field optional so that overrides can be partial). */
export const layerLifecycleSchema = strictObject(layerLifecycleFields, 'Storage lifecycle of one medallion layer.');

/** Bronze's lifecycle adds how long every object stays locked: bronze is the immutable record. */
export const bronzeLifecycleSchema = strictObject(
  {
    ...layerLifecycleFields,
    retainDays: days(
      1,
      36500,
      'Days every bronze object stays locked against deletion and overwrite after it is written (S3 Object Lock default ' +
        'retention, Azure time-based immutability policy on the bronze filesystem); expireAfterDays may not come earlier. ' +
        'Default: 90.',
    ).optional(),
  },
  'Storage lifecycle of the bronze layer, with its retention lock.',
);
export type LayerLifecycleInput = z.infer<typeof bronzeLifecycleSchema>;

const lifecycleByLayerSchema = strictObject(
  {
    bronze: bronzeLifecycleSchema.optional(),
    silver: layerLifecycleSchema.optional(),
    gold: layerLifecycleSchema.optional(),
  },
  'Lifecycle per medallion layer.',
);

// ---------------------------------------------------------------------------------------------
// Environments

const email = pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address', 'Email address that receives alerts.');

const awsMonitoringSchema = strictObject(
  {
    alertEmails: uniqueList(email, 'email addresses')
      .describe(
        'Who the AWS alert topic emails: failed pipelines and Glue jobs, pipeline starts that could not be made. Default: none; production needs at least one.',
      )
      .optional(),
  },
  'Alerting of the AWS side of the environment (a KMS-encrypted SNS topic with CloudWatch alarms).',
);

const awsPipelinesSchema = strictObject(
  {
    schedules: oneOf(
      ['enabled', 'paused'] as const,
      'Whether the ingestion schedules start pipelines. "paused" deploys them disabled (e.g. a development ' +
        'account nobody feeds); pipelines still run on demand. Default: enabled.',
    ).optional(),
    sparkRuntime: oneOf(
      SPARK_RUNTIMES,
      'Where the Spark step of the pipelines (silver and gold) runs when an execution does not say ' +
        '(input sparkRuntime, platform run --on): "emr", the environment\'s EMR cluster; "kubernetes", the ' +
        'EMR on EKS virtual cluster (needs kubernetes.enabled). Either may be chosen per execution where ' +
        'both exist. Default: emr.',
    ).optional(),
  },
  'Scheduled pipelines of the AWS side of the environment (EventBridge Scheduler starting Step Functions).',
);

const awsChangeCaptureSchema = strictObject(
  {
    createAccountRoles: z
      .boolean({ error: () => 'must be true or false' })
      .describe(
        'Whether this environment creates the account-wide IAM roles AWS DMS requires, dms-vpc-role and ' +
          'dms-cloudwatch-logs-role (fixed names: one per account). Turn it on in exactly one environment per ' +
          'account, and only when no other stack or person created them. Default: false.',
      )
      .optional(),
    maxCapacityUnits: z
      .number({ error: () => `must be one of: ${DMS_CAPACITY_UNITS.join(', ')}` })
      .refine((value) => (DMS_CAPACITY_UNITS as readonly number[]).includes(value), {
        error: (issue) => `${String(issue.input)} is not a DMS capacity; must be one of: ${DMS_CAPACITY_UNITS.join(', ')}`,
      })
      .describe(
        "Most DMS capacity units (1 DCU = 2 GB of memory) a source's serverless replication scales to: " +
          `one of ${DMS_CAPACITY_UNITS.join(', ')}. Default: ${DEFAULT_DMS_MAX_CAPACITY_UNITS}.`,
      )
      .optional(),
  },
  'CDC capture of the cdc: true database datasets with AWS DMS Serverless (one replication per source database).',
);

/** The regions of the suggested region's partition (the commercial `aws` without a suggestion): the list a typo most likely meant. */
function regionsOfPartition(suggestion: string | undefined): string {
  const partition = suggestion ? awsPartition(suggestion) : 'aws';
  return `regions in partition ${partition}: ${awsRegionsOf(partition).join(', ')}`;
}

const awsEnvironmentSchema = strictObject(
  {
    account: pattern(/^[0-9]{12}$/, 'a 12-digit AWS account id', 'AWS account the environment deploys to.'),
    region: knownName(
      AWS_REGIONS,
      'an AWS region',
      'eu-west-1',
      regionsOfPartition,
      "AWS region the environment deploys to (one of aws-cdk-lib's region facts); its partition (aws, aws-cn, aws-us-gov, ...) is that of its ARNs.",
    ),
    vpcCidr: pattern(
      /^(10|172|192)\.[0-9]{1,3}\.[0-9]{1,3}\.0\/(1[6-9]|2[0-2])$/,
      'a private IPv4 range from /16 to /22, such as 10.20.0.0/16',
      "Address range of the environment's VPC. Default: 10.0.0.0/16.",
    ).optional(),
    kubernetes: strictObject(
      {
        enabled: z
          .boolean({ error: () => 'must be true or false' })
          .describe(
            'Whether the environment gets an EKS cluster with an EMR on EKS virtual cluster for Spark jobs. ' +
              'Default: false in development, true in staging and production.',
          )
          .optional(),
        version: pattern(/^1\.[0-9]{2}$/, 'a Kubernetes minor version such as 1.33', 'Kubernetes version of the EKS cluster. Default: 1.33.').optional(),
        adminGroup: groupName
          .describe(
            'Access group whose IAM role (awsRoleName) administers the EKS cluster (an access entry with ' +
              'AmazonEKSClusterAdminPolicy). Default: none (only deployments administer it).',
          )
          .optional(),
      },
      'Kubernetes job orchestration on AWS: an EKS cluster (private endpoint, Auto Mode) and EMR on EKS.',
    ).optional(),
    monitoring: awsMonitoringSchema.optional(),
    pipelines: awsPipelinesSchema.optional(),
    changeCapture: awsChangeCaptureSchema.optional(),
    lakeAdminGroup: groupName
      .describe(
        'Access group whose IAM role (awsRoleName) administers Lake Formation next to the CloudFormation ' +
          'execution role, to manage grants and tags outside deployments. Default: none (only deployments ' +
          'administer).',
      )
      .optional(),
  },
  'Where the AWS side of this environment lives.',
);

const stateBackendSchema = strictObject(
  {
    resourceGroupName: pattern(
      /^[A-Za-z0-9._()-]{1,90}$/,
      'an Azure resource group name (1-90 letters, digits, ._-())',
      'Resource group of the Terraform state storage account.',
    ),
    storageAccountName: pattern(
      /^[a-z0-9]{3,24}$/,
      'an Azure storage account name (3-24 lowercase letters and digits)',
      'Storage account holding Terraform state.',
    ),
    containerName: pattern(
      /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
      'a blob container name (3-63 lowercase letters, digits, single hyphens)',
      'Blob container holding Terraform state.',
    ),
  },
  'azurerm remote-state backend; each stack stores its state under the key <stack>.tfstate.',
);

/** Why `value` is not an IPv4 CIDR block with a prefix from /16 to /22 and no host bits, or undefined. */
export function addressSpaceProblem(value: string): string | undefined {
  const match = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\/([0-9]{1,2})$/.exec(value);
  if (!match) return 'must be an IPv4 CIDR block such as 10.10.0.0/16';
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return 'must be an IPv4 CIDR block such as 10.10.0.0/16 (each octet 0-255)';
  if (prefixLength < 16 || prefixLength > 22)
    return `has prefix /${prefixLength}; allowed: /16 to /22 (the network is split into four subnets of at least /24)`;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  if (address % 2 ** (32 - prefixLength) !== 0)
    return `has host bits set; the network address of /${prefixLength} must be a multiple of ${2 ** (32 - prefixLength)} addresses`;
  return undefined;
}

const addressSpace = z
  .string({ error: () => 'must be an IPv4 CIDR block such as 10.10.0.0/16' })
  .superRefine((value, ctx) => {
    const problem = addressSpaceProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" ${problem}` });
  })
  .describe(
    "Address space of the environment's virtual network, /16 to /22. Default: 10.10.0.0/16 (development), 10.20.0.0/16 (staging), 10.30.0.0/16 (production).",
  );

const azureNetworkSchema = strictObject(
  { addressSpace: addressSpace.optional() },
  "The environment's virtual network: private endpoints and compute subnets, carved from the address space.",
);

const azureMonitoringSchema = strictObject(
  {
    alertEmails: uniqueList(email, 'email addresses')
      .describe("Who receives the environment's alerts (failed pipelines, service health). Default: none; production needs at least one.")
      .optional(),
    logRetentionDays: wholeNumber(
      30,
      730,
      'Days the Log Analytics workspace keeps logs; at least audit.retentionDays, because the audit logs go there too. ' +
        'Default: audit.retentionDays (90, or 365 in production).',
    ).optional(),
  },
  'Monitoring of the environment: the Log Analytics workspace and who is alerted.',
);

const azureStreamingSchema = strictObject(
  {
    sku: oneOf(EVENT_HUBS_SKUS, 'Event Hubs tier; both expose the Kafka endpoint. Default: Standard, or Premium in production.').optional(),
    capacity: wholeNumber(1, 40, 'Throughput units (Standard) or processing units (Premium). Default: 1.').optional(),
  },
  'Event Hubs namespace of the environment (one event hub per stream dataset).',
);

const azureWarehouseSchema = strictObject(
  {
    adminGroup: groupName.describe('Access group (with an entraObjectId) that administers the SQL warehouse; Entra ID is the only way in.'),
    defender: z
      .boolean({ error: () => 'must be true or false' })
      .describe('Whether Microsoft Defender for SQL watches the warehouse. Default: false, or true in production.')
      .optional(),
    shortTermRetentionDays: wholeNumber(1, 35, 'Days of point-in-time restore. Default: 7, or 35 in production.').optional(),
    longTermRetentionWeeks: wholeNumber(
      0,
      520,
      'Weeks a weekly full backup is kept (long-term retention); 0 keeps none. Default: 0, or 12 in production.',
    ).optional(),
  },
  'The Azure SQL Database warehouse of the environment: serverless and auto-pausing outside production, provisioned in production. ' +
    'Where the environment has Databricks and the definition a dbt project, the dbt job loads the gold tables into it after each ' +
    'build (schema gold, tables from the gold contracts).',
);

const azureAnalyticsSchema = strictObject(
  {
    adminGroup: groupName.describe('Access group (with an entraObjectId) that administers the Synapse workspace; Entra ID is the only way in.'),
  },
  'The Synapse Analytics workspace of the environment on the lake, for ad hoc queries through its built-in serverless SQL endpoint; ' +
    'the platform runs no job on it (no Spark or dedicated SQL pool).',
);

const azureEnvironmentSchema = strictObject(
  {
    subscriptionId: uuid('Azure subscription the environment deploys to.'),
    tenantId: uuid('Entra ID tenant of the subscription.'),
    location: knownName(
      AZURE_LOCATIONS,
      'an Azure location',
      'westeurope',
      () => "locations: lib/definition/azure-locations.ts (the public cloud's, as `az account list-locations` names them)",
      'Azure region, as its API name, e.g. westeurope (the public-cloud locations of lib/definition/azure-locations.ts).',
    ),
    storageReplication: oneOf(
      AZURE_REPLICATION,
      'Replication of the lake storage account. Default: LRS. The archive tier is skipped on zone-redundant ' +
        '(ZRS/GZRS/RAGZRS) accounts, which do not support it.',
    ).optional(),
    stateBackend: stateBackendSchema,
    network: azureNetworkSchema.optional(),
    monitoring: azureMonitoringSchema.optional(),
    streaming: azureStreamingSchema.optional(),
    warehouse: azureWarehouseSchema.optional(),
    analytics: azureAnalyticsSchema.optional(),
  },
  'Where the Azure side of this environment lives.',
);

const databricksEnvironmentSchema = strictObject(
  {
    metastoreId: uuid('Unity Catalog metastore the workspace is assigned to.'),
    accountId: uuid('Databricks account id.'),
    azureDatabricksObjectId: uuid(
      'Object id, in this tenant, of the AzureDatabricks first-party enterprise application (application ' +
        'id 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d); it wraps the managed-services customer-managed key. ' +
        'Required in production, where the workspace uses customer-managed keys.',
    ).optional(),
    streamReaderObjectId: uuid(
      'Object id of the Entra ID application (service principal) whose client id and secret the stream ' +
        'pipelines read from the Key Vault (databricks-kafka-client-id, databricks-kafka-client-secret); ' +
        'it gets Azure Event Hubs Data Receiver on the namespace. Default: none (grant it yourself).',
    ).optional(),
    runtimeVersion: pattern(
      /^[0-9]{1,2}\.[0-9]{1,2}\.x-(scala2\.1[23]|gpu-ml-scala2\.1[23]|cpu-ml-scala2\.1[23])$/,
      'a Databricks runtime key such as 15.4.x-scala2.12',
      'Databricks runtime of job and interactive clusters (the cluster policies pin it); 15.4 or later where the dbt job loads the Azure SQL ' +
        'warehouse (azure.warehouse). Default: 15.4.x-scala2.12 (LTS).',
    ).optional(),
    nodeTypes: uniqueList(pattern(/^Standard_[A-Za-z0-9_]+$/, 'an Azure VM size such as Standard_D4ds_v5'), 'VM sizes', 1)
      .describe('VM sizes clusters may use (the cluster policies allow these only); the first is the default. Default: Standard_D4ds_v5, Standard_D8ds_v5.')
      .optional(),
    dbtSchedule: cronSchedule(
      'When the dbt job runs in this environment: a five-field cron expression in UTC. Default: 0 5 * * * (daily at 05:00).',
    ).optional(),
  },
  'Databricks settings of this environment (the workspace itself runs on Azure).',
);

const dataProtectionSchema = strictObject(
  {
    onDelete: oneOf(
      ['retain', 'destroy'] as const,
      'What happens to stateful resources (buckets, keys, storage accounts) when their stack is deleted. Production must retain.',
    ),
    softDeleteDays: days(1, 365, 'Days deleted blobs and containers stay recoverable (Azure soft delete). Default: 7, or 30 in production.').optional(),
    kmsKeyDeletionWindowDays: days(7, 30, 'Waiting period before a scheduled KMS key deletion takes effect. Default: 30.').optional(),
    bronzeLockMode: oneOf(
      BRONZE_LOCK_MODES,
      'How the bronze retention lock (lifecycle.bronze.retainDays) binds. "governance": platform roles cannot shorten or lift ' +
        'it, but an administrator with the bypass permission can, and the Azure policy stays unlocked; "compliance": nobody, ' +
        'not even the account root user, can delete a locked object or shorten its retention, and the Azure policy is ' +
        'locked. Default: governance, or compliance in production.',
    ).optional(),
  },
  'Data protection of the environment.',
);

const sizingSchema = strictObject(
  {
    sparkMinWorkers: wholeNumber(1, 500, "Minimum Spark workers of the environment's clusters and pools. Default: 1.").optional(),
    sparkMaxWorkers: wholeNumber(1, 1000, 'Maximum Spark workers (autoscaling ceiling). Default: 4.').optional(),
    idleTimeoutMinutes: wholeNumber(10, 1440, 'Minutes of inactivity before clusters terminate or pause. Default: 30.').optional(),
  },
  'Compute sizing of the environment.',
);

const auditSchema = strictObject(
  {
    retentionDays: days(
      90,
      3653,
      'Days audit logs are kept: the Object Lock retention and expiry of the CloudTrail bucket, and the least the Log Analytics ' +
        'workspace keeps logs. Default: 90, or 365 in production.',
    ).optional(),
    organizationTrail: pattern(
      /^(arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:[0-9]{12}:trail\/)?[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/,
      'a CloudTrail trail ARN or name (3-128 letters, digits, ._-)',
      "AWS: an existing organisation trail that already logs this environment's account; the environment then creates no " +
        'trail of its own. It must log management events and S3 data events (read and write) of the lake buckets. Default: none ' +
        '(the environment creates its trail, <prefix>-<env>-audit).',
    ).optional(),
  },
  'Audit trails of the environment: CloudTrail on AWS, the Activity Log and blob logs in Log Analytics on Azure, system.access on Databricks.',
);

/** Currencies a budget may be stated in: AWS Budgets accepts USD for cost budgets (most accounts); Azure budgets are in the billing currency. */
export const BUDGET_CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
/** The highest alert threshold a budget accepts, in percent of its amount. */
export const BUDGET_MAX_THRESHOLD_PERCENT = 1000;

const budgetSchema = strictObject(
  {
    amount: z
      .number({ error: () => 'must be a positive number' })
      .positive({ error: () => 'must be a positive number' })
      .describe('Monthly budget of the environment, in currency.'),
    currency: oneOf(
      BUDGET_CURRENCIES,
      'Currency of amount and anomalyThreshold. AWS Budgets accepts only USD (an environment using aws must say USD); ' +
        'Azure uses the billing currency of the subscription. Default: USD.',
    ).optional(),
    thresholds: z
      .array(
        z
          .number({ error: () => `must be a percentage above 0 and at most ${BUDGET_MAX_THRESHOLD_PERCENT}` })
          .positive({ error: () => `must be a percentage above 0 and at most ${BUDGET_MAX_THRESHOLD_PERCENT}` })
          .max(BUDGET_MAX_THRESHOLD_PERCENT, { error: () => `must be a percentage above 0 and at most ${BUDGET_MAX_THRESHOLD_PERCENT}` }),
        { error: () => 'must be a list of percentages' },
      )
      .min(1, { error: () => 'must name at least 1 percentage' })
      .describe('Percentages of amount at which actual spend alerts (e.g. [50, 80, 100]); strictly increasing. Default: [50, 80, 100].')
      .optional(),
    forecastThresholds: z
      .array(
        z
          .number({ error: () => `must be a percentage above 0 and at most ${BUDGET_MAX_THRESHOLD_PERCENT}` })
          .positive({ error: () => `must be a percentage above 0 and at most ${BUDGET_MAX_THRESHOLD_PERCENT}` })
          .max(BUDGET_MAX_THRESHOLD_PERCENT, { error: () => `must be a percentage above 0 and at most ${BUDGET_MAX_THRESHOLD_PERCENT}` }),
        { error: () => 'must be a list of percentages' },
      )
      .describe('Percentages of amount at which forecasted month-end spend alerts; strictly increasing. Default: [100].')
      .optional(),
    recipients: uniqueList(email, 'email addresses')
      .describe('Who receives budget and anomaly alerts; required in production. Default: none (alerts go only to the alert topic / action group).')
      .optional(),
    startDate: pattern(
      /^\d{4}-(0[1-9]|1[0-2])-01$/,
      'the first day of a month, YYYY-MM-01',
      'First month the budget counts, pinned (a computed "now" would move the budget every month); Azure requires it.',
    ),
    anomalyThreshold: z
      .number({ error: () => 'must be a positive number' })
      .positive({ error: () => 'must be a positive number' })
      .describe("AWS Cost Anomaly Detection: alert when an anomaly's total impact reaches this amount, in currency. Default: 10% of amount.")
      .optional(),
  },
  'Monthly cost guard of the environment: budgets with alerts on every cloud it uses, and cost anomaly alerts on AWS.',
);

export const environmentSchema = strictObject(
  {
    stage: oneOf(STAGES, 'Kind of environment; production forbids destroying data.'),
    description: z.string().describe('What the environment is for.').optional(),
    clouds: uniqueList(oneOf(CLOUDS), 'clouds', 1).describe('Clouds this environment deploys to: aws, azure, databricks (databricks needs azure).'),
    aws: awsEnvironmentSchema.optional(),
    azure: azureEnvironmentSchema.optional(),
    databricks: databricksEnvironmentSchema.optional(),
    dataProtection: dataProtectionSchema,
    sizing: sizingSchema.optional(),
    lifecycle: lifecycleByLayerSchema
      .describe('Per-layer lifecycle overrides for this environment; fields not given come from the top-level lifecycle.')
      .optional(),
    audit: auditSchema.optional(),
    budget: budgetSchema.describe('Monthly budget and cost alerts of the environment. Default: none (no budget, no cost alerts).').optional(),
  },
  'One deployable environment.',
);
export type EnvironmentInput = z.infer<typeof environmentSchema>;

// ---------------------------------------------------------------------------------------------
// Access groups

const accessGroupSchema = strictObject(
  {
    description: nonEmpty('Who is in the group.'),
    awsRoleName: pattern(
      /^[A-Za-z0-9+=,.@_-]{1,64}$/,
      'an IAM role name (1-64 letters, digits, +=,.@_-)',
      'IAM role (in every environment account) that members assume; Lake Formation grants target it. Default: <prefix>-<group>.',
    ).optional(),
    entraObjectId: uuid('Object id of the Entra ID group, for Azure role assignments.').optional(),
    databricksGroup: nonEmpty('Databricks account-level group name for Unity Catalog grants. Default: the group key.').optional(),
  },
  'An access group that can own or read datasets.',
);

// ---------------------------------------------------------------------------------------------
// Datasets

const columnTypePattern = /^(string|int|bigint|double|boolean|date|timestamp|decimal\((\d{1,2}),(\d{1,2})\))$/;
const columnSchema = strictObject({
  name: identifier('Column name.'),
  type: pattern(columnTypePattern, 'one of string, int, bigint, double, boolean, date, timestamp, decimal(p,s)', 'Column type.'),
  nullable: z
    .boolean({ error: () => 'must be true or false' })
    .describe('Whether the column may be null. Default: true (keys are never nullable).')
    .optional(),
  description: z.string().describe('What the column holds.').optional(),
  pii: z
    .boolean({ error: () => 'must be true or false' })
    .describe('Whether the column holds personal data. Default: false.')
    .optional(),
});

const databaseSourceSchema = strictObject({
  kind: z.literal('database'),
  engine: oneOf(DATABASE_ENGINES, 'Source database engine.'),
  connectionSecret: pattern(
    /^[A-Za-z0-9/_+=.@-]{1,512}$/,
    'a secret name (letters, digits, /_+=.@-)',
    'Name of the secret (AWS Secrets Manager / Azure Key Vault) that holds the connection; the value is never in the definition.',
  ),
  table: pattern(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/, 'a table name such as schema.table', 'Source table.'),
  changeTrackingColumn: identifier(
    'Without CDC: the column the source sets on every insert and update to a value strictly greater than any committed before ' +
      '(a sequence, a row version, a commit timestamp); incremental loads read the rows where it grew since the last run.',
  ).optional(),
  load: oneOf(
    DATABASE_LOADS,
    'Without CDC: incremental (on changeTrackingColumn) or snapshot (the whole table every run, deduplicated downstream). Default: incremental.',
  ).optional(),
});

const apiSourceSchema = strictObject({
  kind: z.literal('api'),
  baseUrl: pattern(/^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[^\s]*)?$/, 'an https:// URL', 'Base URL of the API (https only).'),
  path: pattern(/^\/[^\s]*$/, 'a path starting with /', 'Resource path.'),
  authSecret: pattern(
    /^[A-Za-z0-9/_+=.@-]{1,512}$/,
    'a secret name (letters, digits, /_+=.@-)',
    'Name of the secret that holds the API credentials.',
  ).optional(),
  pagination: oneOf(API_PAGINATION, 'How the API pages its results. Default: none.').optional(),
});

const streamSourceSchema = strictObject({
  kind: z.literal('stream'),
  topic: pattern(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name (letters, digits, ._-)', 'Kafka topic.'),
  partitions: wholeNumber(1, 1024, 'Topic partitions. Default: 4.').optional(),
  retentionHours: wholeNumber(1, 2160, 'Hours the broker keeps messages. Default: 168.').optional(),
  compatibility: oneOf(
    SCHEMA_COMPATIBILITIES,
    'How each new version of the message schema (schema/streams/<domain>/<dataset>/v<N>.avsc) must relate to the registered ones: ' +
      'BACKWARD (new consumers read old messages), FORWARD (old consumers read new messages), FULL (both), the _ALL forms against ' +
      'every earlier version, NONE (no check). Azure environments offer NONE, BACKWARD and FORWARD only. Default: BACKWARD.',
  ).optional(),
});

const filesSourceSchema = strictObject({
  kind: z.literal('files'),
  pathPattern: pattern(/^[^\s]+$/, 'a path pattern without spaces', 'Where files arrive, relative to the landing area, e.g. incoming/products/*.csv.'),
  header: z
    .boolean({ error: () => 'must be true or false' })
    .describe('Whether CSV files have a header row. Default: true.')
    .optional(),
  delimiter: z
    .string()
    .length(1, { error: () => 'must be a single character' })
    .describe('CSV delimiter. Default: ",".')
    .optional(),
  maxContentBytes: wholeNumber(
    0,
    MAX_CONTENT_BYTES_LIMIT,
    `format: binary only: the largest file whose content the manifest row keeps, in bytes; larger files are listed ` +
      `without content (content_omitted) and stay only as the object. Default: ${DEFAULT_MAX_CONTENT_BYTES} (16 MiB).`,
  ).optional(),
});

const sourceSchema = z.discriminatedUnion('kind', [databaseSourceSchema, apiSourceSchema, streamSourceSchema, filesSourceSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of: ${SOURCE_KINDS.join(', ')}` : undefined),
});

const qualityRuleSchema = z.discriminatedUnion(
  'rule',
  [
    strictObject({ rule: z.literal('not_null'), column: identifier('Column that must not be null.') }),
    strictObject({ rule: z.literal('unique'), columns: uniqueList(identifier('Column.'), 'columns', 1) }),
    strictObject({
      rule: z.literal('accepted_values'),
      column: identifier('Column.'),
      values: uniqueList(nonEmpty('Allowed value.'), 'values', 1),
    }),
    strictObject({
      rule: z.literal('range'),
      column: identifier('Numeric column.'),
      min: z.number({ error: () => 'must be a number' }).optional(),
      max: z.number({ error: () => 'must be a number' }).optional(),
    }),
    strictObject({
      rule: z.literal('row_count'),
      min: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'Fewest rows a load may have.'),
      max: wholeNumber(1, Number.MAX_SAFE_INTEGER, 'Most rows a load may have.').optional(),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'must be one of: not_null, unique, accepted_values, range, row_count' : undefined) },
);

const readersSchema = strictObject(
  {
    bronze: uniqueList(groupName, 'groups').optional(),
    silver: uniqueList(groupName, 'groups').optional(),
    gold: uniqueList(groupName, 'groups').optional(),
  },
  'Groups that may read the dataset in each layer (owners can always read and write).',
);

const cdcSettingsSchema = strictObject(
  {
    scdType: z
      .literal(SCD_TYPES, { error: () => `must be one of: ${SCD_TYPES.join(', ')}` })
      .describe(
        'How silver keeps the changes: 1 the current row of each key (deletes remove it), 2 every version with ' +
          '__START_AT/__END_AT (kept by the Databricks stream pipeline, for stream datasets). Default: 1.',
      )
      .optional(),
  },
  'Change-data settings of a dataset whose source delivers change events.',
);

export const datasetSchema = strictObject({
  name: identifier('Dataset name, unique across the catalogue; names tables, jobs and topics.'),
  domain: identifier('Business domain the dataset belongs to.'),
  description: nonEmpty('What the dataset holds.'),
  source: sourceSchema,
  format: oneOf(FORMATS, 'Format the data arrives in and is kept in bronze; binary: any file, kept as the object with a manifest table (no columns or keys).'),
  columns: z
    .array(columnSchema, { error: () => 'must be a list of columns' })
    .min(1, { error: () => 'must list at least one column' })
    .describe('The columns of a record; required for every format but binary (whose manifest columns the platform defines).')
    .optional(),
  keys: uniqueList(identifier('Key column.'), 'key columns', 1)
    .describe('Columns that identify a record (deduplication and CDC merge key); required for every format but binary (keyed by path).')
    .optional(),
  cdc: z
    .union([z.boolean(), cdcSettingsSchema], {
      error: (issue) => (issue.code === 'invalid_union' ? 'must be true, false or a mapping with scdType' : undefined),
    })
    .describe(
      'Whether the source delivers change events (insert/update/delete, with _op and _change_seq) rather than snapshots: ' +
        'true, or a mapping of change-data settings (which also means true). Default: false.',
    )
    .optional(),
  classification: oneOf(CLASSIFICATIONS, 'Most sensitive data the dataset holds.'),
  owners: uniqueList(groupName, 'groups', 1).describe('Groups that own the dataset.'),
  readers: readersSchema.optional(),
  schedule: z
    .string({ error: () => `must be a five-field cron expression or "${CONTINUOUS}"` })
    .superRefine((value, ctx) => {
      if (value === CONTINUOUS) return;
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" ${problem}` });
    })
    .describe(`When the dataset is ingested: a five-field cron expression in UTC, or "${CONTINUOUS}" for streams.`),
  quality: z
    .array(qualityRuleSchema, { error: () => 'must be a list of quality rules' })
    .describe('Data quality rules, evaluated on ingestion.')
    .optional(),
});
export type DatasetInput = z.infer<typeof datasetSchema>;

/** A dataset's change-data settings as written (`cdc: true` takes every default); undefined when it is not CDC. */
export function changeDataOf(dataset: Pick<DatasetInput, 'cdc'>): { readonly scdType?: ScdType } | undefined {
  if (dataset.cdc === undefined || dataset.cdc === false) return undefined;
  return dataset.cdc === true ? {} : dataset.cdc;
}

// ---------------------------------------------------------------------------------------------
// Lakehouse: the dbt project and the ML use cases

const dbtSchema = strictObject(
  {
    repositoryUrl: pattern(
      /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?\/[^\s]+$/,
      'an https:// Git repository URL',
      'Git repository (https) that holds this dbt project; the Databricks dbt job checks it out.',
    ),
    branch: pattern(/^[A-Za-z0-9._/-]{1,250}$/, 'a Git branch name', 'Branch the dbt job runs. Default: main.').optional(),
    projectDirectory: pattern(
      /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
      'a relative path such as dbt',
      'Directory of dbt_project.yml inside the repository. Default: dbt.',
    ).optional(),
  },
  'The dbt project the Databricks dbt job runs (schedule per environment: environments.<env>.databricks.dbtSchedule). Omit to deploy no dbt job.',
);

const mlUseCaseSchema = strictObject(
  {
    name: identifier('Use case name; names its MLflow experiment and its Unity Catalog registered model.'),
    description: nonEmpty('What the model predicts and who uses it.'),
    featureTables: uniqueList(identifier('A gold dbt model.'), 'gold dbt models', 1).describe(
      'Gold dbt models (feature tables) the model is trained on; each must exist under dbt/models/gold.',
    ),
    label: identifier('The column of the feature tables the model predicts: boolean, or an integer holding 0 and 1 (binary classification). Never a feature.'),
    keys: uniqueList(identifier('A column of every feature table.'), 'columns', 1).describe(
      'Columns that identify a row of the feature tables (the tables are joined on them); never features.',
    ),
    trainingSchedule: cronSchedule(
      'When the training job runs, in every Databricks environment: a five-field cron expression in UTC. Default: only when someone runs it.',
    ).optional(),
    owners: uniqueList(groupName, 'groups', 1).describe('Groups that train and register versions of the model.'),
    readers: uniqueList(groupName, 'groups').describe('Groups that may load and score the model, and query its serving endpoint. Default: none.').optional(),
    serving: strictObject(
      {
        environments: uniqueList(pattern(/^[a-z][a-z0-9]{1,9}$/, 'an environment name'), 'environments', 1).describe(
          'Environments that deploy the serving endpoint; each must deploy the databricks cloud.',
        ),
        workloadSize: oneOf(
          ML_SERVING_WORKLOAD_SIZES,
          'Compute of the endpoint: Small (4 concurrent requests), Medium (16) or Large (64). Default: Small.',
        ).optional(),
        scaleToZero: z
          .boolean({ error: () => 'must be true or false' })
          .describe('Whether the idle endpoint scales to zero (cold start on the next request). Default: true.')
          .optional(),
      },
      'A serverless model-serving endpoint of the model version with the alias champion. Omit to score in batch only.',
    ).optional(),
  },
  'A machine-learning use case: an MLflow experiment, a Unity Catalog registered model and its training job per environment, ' +
    'and optionally a serving endpoint.',
);

// ---------------------------------------------------------------------------------------------
// Consumers: who uses gold, and how (the API on AWS, dashboards and Delta Sharing on Databricks)

/** Most rows one page of the gold API may return: Athena's GetQueryResults returns at most 1,000 rows a call. */
export const API_MAX_PAGE_SIZE_LIMIT = 1000;

const environmentList = (description: string) =>
  uniqueList(pattern(/^[a-z][a-z0-9]{1,9}$/, 'an environment name of environments'), 'environment names').describe(description);

const allowPersonalData = z
  .boolean({ error: () => 'must be true or false' })
  .describe(
    'Whether this entry may expose data of a pii-classified dataset (directly, or through a gold model built from one). ' +
      'Validation refuses such an entry without it, naming the dataset. Default: false.',
  );

const iamPrincipalArn = pattern(
  /^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)\/[A-Za-z0-9+=,.@_/-]{1,512}$/,
  'an IAM role or user ARN such as arn:aws:iam::123456789012:role/partner-reporting',
  'An IAM role or user (of any account) that may call the API with SigV4-signed requests.',
);

const apiTableSchema = strictObject(
  {
    dataset: identifier("A dataset of the catalogue: the API queries its gold table (the Spark step's Iceberg table in the gold Glue database)."),
    filters: uniqueList(identifier('A column of the dataset.'), 'columns')
      .describe(
        'Columns a caller may filter on (equality, or a from/to range), passed to Athena as execution parameters, never spliced ' +
          "into the SQL. Default: the dataset's keys.",
      )
      .optional(),
    groups: uniqueList(groupName, 'groups')
      .describe(
        'Groups of the definition whose IAM role (awsRoleName) may query the table through the API; each must read or own the dataset in gold. Default: none.',
      )
      .optional(),
    principals: uniqueList(iamPrincipalArn, 'IAM role or user ARNs')
      .describe('Other IAM principals (e.g. an application or a partner account role) that may query the table through the API. Default: none.')
      .optional(),
    allowPersonalData: allowPersonalData.optional(),
  },
  'One gold table exposed through the API, and who may query it.',
);

const apiConsumerSchema = strictObject(
  {
    environments: environmentList(
      'Environments (using aws) that deploy the API, as <prefix>-<env>-api. Default: every environment whose clouds include aws.',
    ).optional(),
    endpointType: oneOf(
      API_ENDPOINT_TYPES,
      "private: reachable only through the environment VPC's execute-api interface endpoint; regional: a public regional endpoint " +
        '(still IAM-authorised). Default: private.',
    ).optional(),
    throttling: strictObject(
      {
        rateLimit: wholeNumber(1, 10000, 'Steady-state requests per second of the whole API stage. Default: 10.').optional(),
        burstLimit: wholeNumber(1, 5000, 'Requests the stage accepts in a burst above the rate. Default: 20.').optional(),
      },
      'Throttling of the API stage (every route).',
    ).optional(),
    maxPageSize: wholeNumber(
      1,
      API_MAX_PAGE_SIZE_LIMIT,
      `Most rows a caller may ask for in one page of results (Athena returns at most ${API_MAX_PAGE_SIZE_LIMIT}). Default: 100.`,
    ).optional(),
    tables: z
      .array(apiTableSchema, { error: () => 'must be a list of exposed tables' })
      .min(1, { error: () => 'must expose at least one table' })
      .describe('The gold tables the API serves, each with who may query it.'),
  },
  'An IAM-authorised REST API over gold tables on AWS: API Gateway, a Lambda function and Athena in the enforced workgroup.',
);

const dashboardSchema = strictObject(
  {
    name: identifier('Dashboard name, unique among the dashboards; names its file and the deployed dashboard.'),
    description: nonEmpty('What the dashboard shows and who it is for.'),
    tables: uniqueList(identifier('A gold dbt model.'), 'gold dbt models', 1).describe(
      'The gold dbt models (KPIs, facts, dimensions) the dashboard reads; each must exist under dbt/models/gold.',
    ),
    owners: uniqueList(groupName, 'groups', 1).describe('Groups that edit and publish the dashboard.'),
    readers: uniqueList(groupName, 'groups')
      .describe('Groups that may view the dashboard; each must read or own the data of every table in gold. Default: none.')
      .optional(),
    allowPersonalData: allowPersonalData.optional(),
  },
  'A dashboard over gold (a Databricks SQL / Lakeview dashboard on the environment SQL warehouse).',
);

const shareRecipientSchema = strictObject(
  {
    name: identifier('Recipient name, unique among the recipients of the definition.'),
    description: z.string().describe('Who the recipient is.').optional(),
    sharingIdentifier: pattern(
      /^(aws|azure|gcp):[a-z0-9-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'a Databricks sharing identifier <cloud>:<region>:<metastore-uuid>, such as azure:westeurope:19a84bee-54bc-43a2-87de-023d0ec16016',
      "Databricks-to-Databricks sharing: the recipient metastore's sharing identifier.",
    ).optional(),
    openSharing: z
      .boolean({ error: () => 'must be true or false' })
      .describe('Open sharing: the recipient gets an activation link and a bearer token, for any Delta Sharing client. Give this or sharingIdentifier.')
      .optional(),
    ipAccessList: uniqueList(
      pattern(/^[0-9]{1,3}(\.[0-9]{1,3}){3}(\/[0-9]{1,2})?$/, 'an IPv4 address or CIDR block', 'An address the recipient connects from.'),
      'IPv4 addresses or CIDR blocks',
      1,
    )
      .describe('Open sharing only: the addresses the recipient may connect from. Default: any.')
      .optional(),
  },
  'Who receives a share: another Databricks metastore (sharingIdentifier) or an open-sharing client (openSharing: true).',
);

const shareSchema = strictObject(
  {
    name: identifier('Share name, unique among the shares.'),
    description: nonEmpty('What is shared and why.'),
    tables: uniqueList(identifier('A gold dbt model.'), 'gold dbt models', 1).describe('The gold dbt models shared; each must exist under dbt/models/gold.'),
    recipients: z
      .array(shareRecipientSchema, { error: () => 'must be a list of recipients' })
      .min(1, { error: () => 'must name at least one recipient' })
      .describe('Who receives the share.'),
    environments: environmentList(
      'Environments (using databricks) that create the share. Default: every environment whose clouds include databricks.',
    ).optional(),
    allowPersonalData: allowPersonalData.optional(),
  },
  'A Delta Sharing share of gold tables with its recipients (Unity Catalog).',
);

const consumersSchema = strictObject(
  {
    api: apiConsumerSchema.optional(),
    dashboards: z
      .array(dashboardSchema, { error: () => 'must be a list of dashboards' })
      .describe('Dashboards over gold. Default: none.')
      .optional(),
    shares: z
      .array(shareSchema, { error: () => 'must be a list of shares' })
      .describe('Delta Sharing shares of gold. Default: none.')
      .optional(),
  },
  'Who consumes gold beyond SQL endpoints: the API, dashboards, Delta Sharing recipients. Omit to deploy none.',
);
export type ConsumersInput = z.infer<typeof consumersSchema>;

// ---------------------------------------------------------------------------------------------
// Delivery: the GitHub repository that deploys the platform, and its workload identities

/** GitHub's rules: an owner of 1-39 letters, digits and single inner hyphens; a repository of 1-100 letters, digits, ., _ and -. */
const GITHUB_OWNER = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}';
export const GITHUB_REPOSITORY = new RegExp(`^${GITHUB_OWNER}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$`);
/** A GitHub user (`alice`) or a team as `org/team-slug`. */
const GITHUB_REVIEWER = new RegExp(`^${GITHUB_OWNER}(/[A-Za-z0-9][A-Za-z0-9_-]{0,99})?$`);
/**
 * One exact name that an identity's trust is built from: a wildcard (`*`, `?`, `[`) is refused with what
 * it would open (`wouldTrust`), before the pattern's own message.
 */
function exactName(regex: RegExp, mustBe: string, wouldTrust: string, description: string) {
  return z
    .string({ error: () => `must be ${mustBe}` })
    .superRefine((value, ctx) => {
      const wildcard = /[*?[]/.exec(value);
      if (wildcard) ctx.addIssue({ code: 'custom', message: `"${value}" contains the wildcard "${wildcard[0]}": ${wouldTrust}; name exactly one` });
      else if (!regex.test(value)) ctx.addIssue({ code: 'custom', message: `"${value}" must be ${mustBe}` });
    })
    .describe(description);
}

/** GitHub's limit of required reviewers per environment protection rule. */
export const GITHUB_MAX_REQUIRED_REVIEWERS = 6;

const cicdEnvironmentSchema = strictObject(
  {
    githubEnvironment: exactName(
      /^[A-Za-z0-9_.-]{1,255}$/,
      'a GitHub environment name (1-255 letters, digits, ., _ and -)',
      'the deploy identities would trust the deploy jobs of every GitHub environment',
      'GitHub environment the deploy job runs in; its subject (repo:<owner>/<repo>:environment:<name>) is the only one the deploy identities trust. ' +
        'Default: the platform environment name.',
    ).optional(),
    approvers: uniqueList(
      pattern(GITHUB_REVIEWER, 'a GitHub user (alice) or team (org/team-slug)', 'A GitHub user or an org/team-slug.'),
      'GitHub users or org/team slugs',
    )
      .max(GITHUB_MAX_REQUIRED_REVIEWERS, { error: () => `must name at most ${GITHUB_MAX_REQUIRED_REVIEWERS} reviewers (GitHub's limit per environment)` })
      .describe(
        'Required reviewers of the GitHub environment: users or org/team slugs, one of whom approves each deploy. ' +
          'Required for a production environment; none deploys automatically. Default: none.',
      )
      .optional(),
  },
  'How the pipeline deploys one platform environment.',
);

const cicdSchema = strictObject(
  {
    repository: pattern(
      GITHUB_REPOSITORY,
      'a GitHub repository as owner/name (owner: letters, digits and single inner hyphens, at most 39; name: letters, digits, ., _ and -, at most 100)',
      'GitHub repository (owner/name) whose workflows deploy the platform; the only repository the deploy identities trust.',
    ),
    branch: exactName(
      /^(?!.*(\.\.|\/\/|@\{))[A-Za-z0-9._/-]{1,250}$/,
      'one Git branch name (letters, digits, ., _, / and -)',
      'every branch could deploy',
      'Branch changes are promoted from: merges to it deploy. Default: main.',
    ).optional(),
    environments: z
      .record(pattern(/^[a-z][a-z0-9]{1,9}$/, 'an environment name of environments'), cicdEnvironmentSchema, {
        error: () => 'must map environment names to their delivery settings',
      })
      .describe(
        'The platform environments the pipeline deploys, in promotion order (the first deploys on every merge, each next after the previous ' +
          'succeeded). Each gets a deploy identity per cloud: <prefix>-<env>-cicd (AWS) and <prefix>-<env>-azure-cicd (Azure).',
      ),
  },
  'Delivery from GitHub Actions with OIDC: the repository, the environments it deploys and who approves. Omit to create no CI/CD identities.',
);

// ---------------------------------------------------------------------------------------------
// The definition

export const platformDefinitionSchema = strictObject(
  {
    $schema: z.string().describe('Path of the JSON Schema, for editors.').optional(),
    platform: strictObject({
      prefix: pattern(/^[a-z][a-z0-9]{1,11}$/, '2-12 lowercase letters and digits, starting with a letter', 'Short name that prefixes every resource name.'),
      owner: nonEmpty('Team that owns the platform (the owner tag).'),
      costCenter: nonEmpty('Cost center billed for the platform (the cost-center tag).'),
      description: z.string().describe('What the platform is for.').optional(),
    }),
    lifecycle: lifecycleByLayerSchema,
    groups: z.record(groupName, accessGroupSchema, { error: () => 'must map group names to groups' }).describe('Access groups, by name.'),
    environments: z
      .record(pattern(/^[a-z][a-z0-9]{1,9}$/, 'an environment name: 2-10 lowercase letters and digits, starting with a letter'), environmentSchema, {
        error: () => 'must map environment names to environments',
      })
      .describe('Deployable environments, by name (e.g. dev, staging, prod).'),
    datasets: z.array(datasetSchema, { error: () => 'must be a list of datasets' }).describe('The dataset catalogue.'),
    dbt: dbtSchema.optional(),
    mlUseCases: z
      .array(mlUseCaseSchema, { error: () => 'must be a list of ML use cases' })
      .describe('Machine-learning use cases on gold feature tables (Databricks environments). Default: none.')
      .optional(),
    cicd: cicdSchema.optional(),
    consumers: consumersSchema.optional(),
    serviceQuotas: z
      .record(
        z.string(),
        z
          .number({ error: () => 'must be a whole number' })
          .int('must be a whole number')
          .positive('must be a whole number above 0'),
        { error: () => 'must map limit ids (lib/limits/service-limits.ts) to raised values' },
      )
      .describe(
        'Service quotas raised for the accounts and subscriptions of every environment, by limit id of lib/limits/service-limits.ts ' +
          '(e.g. glue.jobs-per-account: 2000); validation holds the definition to these instead of the defaults. Only raisable limits. ' +
          'Default: none (every limit at its documented default).',
      )
      .optional(),
  },
  'Cloud Platform Solutions platform definition.',
);
export type PlatformDefinition = z.infer<typeof platformDefinitionSchema>;
export type CicdInput = NonNullable<PlatformDefinition['cicd']>;

// The resolved definition's types (lib/definition) are written by hand; these fail to compile when the
// schema and them disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
type StreamSourceInput = Omit<StreamSource, 'partitions' | 'retentionHours' | 'compatibility'> &
  Partial<Pick<StreamSource, 'partitions' | 'retentionHours' | 'compatibility'>>;
const sourcesAgree: Same<z.infer<typeof sourceSchema>, Mutable<Exclude<DatasetSource, StreamSource> | StreamSourceInput>> = true;
const qualityRulesAgree: Same<z.infer<typeof qualityRuleSchema>, Mutable<QualityRule>> = true;
void sourcesAgree;
void qualityRulesAgree;
type MlServingInput = NonNullable<z.infer<typeof mlUseCaseSchema>['serving']>;
const mlServingAgrees: Same<
  MlServingInput,
  Omit<Mutable<MlServingConfig>, 'workloadSize' | 'scaleToZero'> & Partial<Pick<Mutable<MlServingConfig>, 'workloadSize' | 'scaleToZero'>>
> = true;
void mlServingAgrees;
