import type {
  ApiEndpointType,
  ApiPagination,
  AzureReplication,
  BronzeLockMode,
  Classification,
  Cloud,
  DatabaseEngine,
  DatabaseLoad,
  DmsCapacityUnits,
  EventHubsSku,
  SchemaCompatibility,
  Format,
  Layer,
  ScdType,
  SparkRuntime,
  Stage,
} from './vocabulary';

/** Where a database dataset comes from: a table read over JDBC. */
export interface DatabaseSource {
  readonly kind: 'database';
  readonly engine: DatabaseEngine;
  /** Name of the secret that holds the connection; the value is never in the definition. */
  readonly connectionSecret: string;
  /** `schema.table`. */
  readonly table: string;
  /**
   * Without CDC: the column the source sets on every insert and update to a value strictly greater than
   * any committed before (a sequence, a row version, a commit timestamp); the incremental bookmark.
   */
  readonly changeTrackingColumn?: string;
  /** Without CDC: `incremental` (on changeTrackingColumn) or `snapshot` (the whole table each run). Default: incremental. */
  readonly load?: DatabaseLoad;
}

/** Where an API dataset comes from: an https resource. */
export interface ApiSource {
  readonly kind: 'api';
  readonly baseUrl: string;
  readonly path: string;
  readonly authSecret?: string;
  readonly pagination?: ApiPagination;
}

/** Where a stream dataset comes from: a Kafka topic (an event hub on Azure). */
export interface StreamSource {
  readonly kind: 'stream';
  readonly topic: string;
  /** Topic partitions; resolved from the definition's default (4) when it gives none. */
  readonly partitions: number;
  /** Hours the broker keeps messages; resolved from the definition's default (168) when it gives none. */
  readonly retentionHours: number;
  /**
   * How each new version of the message schema must relate to the registered ones (schema registry and
   * the compatibility gate, lib/schema-registry); resolved from the default (BACKWARD) when it gives none.
   */
  readonly compatibility: SchemaCompatibility;
}

/** Where a files dataset comes from: files arriving under the landing area. */
export interface FilesSource {
  readonly kind: 'files';
  readonly pathPattern: string;
  readonly header?: boolean;
  readonly delimiter?: string;
  /**
   * Binary datasets only: the largest file whose content the manifest row keeps, in bytes; a larger
   * file is listed (hash, size, type) with `content_omitted` and stays only as the object. Always set
   * for `format: binary` (resolved with its default), never for the record formats.
   */
  readonly maxContentBytes?: number;
}

export type DatasetSource = DatabaseSource | ApiSource | StreamSource | FilesSource;

/** A data quality rule of a dataset, evaluated on each load. */
export type QualityRule =
  | { readonly rule: 'not_null'; readonly column: string }
  | { readonly rule: 'unique'; readonly columns: readonly string[] }
  | { readonly rule: 'accepted_values'; readonly column: string; readonly values: readonly string[] }
  | { readonly rule: 'range'; readonly column: string; readonly min?: number; readonly max?: number }
  | { readonly rule: 'row_count'; readonly min: number; readonly max?: number };

/** The recorded shards of each multi-stack domain: per domain, the dataset names of each shard, shard 0 first. */
export type ShardLock = Readonly<Record<string, readonly (readonly string[])[]>>;

/**
 * The resolved platform definition: validated, defaults applied, environment overrides merged, frozen.
 * Every consumer (CDK app, CDKTF app, dbt source generator, CLI) receives this and nothing else.
 */
export interface PlatformConfig {
  readonly prefix: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly description?: string;
  readonly groups: Readonly<Record<string, AccessGroup>>;
  /** Environments in definition order. */
  readonly environments: readonly EnvironmentConfig[];
  readonly datasets: readonly DatasetConfig[];
  /** The dbt project of the Databricks dbt job; absent when the definition deploys none. */
  readonly dbt?: DbtProjectConfig;
  /** Machine-learning use cases, in definition order. */
  readonly mlUseCases: readonly MlUseCaseConfig[];
  /** Delivery from GitHub Actions and its workload identities; absent when the definition deploys none. */
  readonly cicd?: CicdConfig;
  /** Who consumes gold beyond SQL endpoints: the API, dashboards and Delta Sharing (each empty or absent when none). */
  readonly consumers: ConsumersConfig;
  /**
   * Service quotas raised for the platform's accounts and subscriptions, by limit id of lib/limits (`serviceQuotas:`).
   * @default - none: every limit at its documented default
   */
  readonly serviceQuotas: Readonly<Record<string, number>>;
  /**
   * The registered versions of each stream dataset's message schema, by dataset name, oldest first
   * (lib/schema-registry): read from `schema/streams/` beside the definition file and checked by
   * `loadPlatformConfig`; a definition validated without its folder (`validateDefinition`) registers
   * each stream's columns as its v1.
   */
  readonly streamSchemas: Readonly<Record<string, readonly StreamSchemaVersion[]>>;
  /**
   * The recorded shard of each dataset of the domains that span several per-domain stacks, by domain:
   * one list of dataset names per shard, shard 0 first (`platform.shards.yaml` beside the definition,
   * written by `npm run shards`, read by `loadPlatformConfig`). A domain without entries gets a fresh
   * assignment (lib/limits/domain-shards.ts).
   * @default - no entries (a definition validated without its folder)
   */
  readonly shardLock?: ShardLock;
  /** Path of the definition file this was loaded from. */
  readonly source: string;
}

/** One registered version of a stream's message schema: an Avro schema, never changed once registered. */
export interface StreamSchemaVersion {
  /** 1, 2, 3, ...: the order of registration. */
  readonly version: number;
  /** Where the version is kept, relative to the definition's folder (`schema/streams/<domain>/<dataset>/v<N>.avsc`). */
  readonly file: string;
  /** The Avro schema as compact JSON text: what the registries hold and the decoders read with. */
  readonly definition: string;
}

export interface AccessGroup {
  readonly name: string;
  readonly description: string;
  readonly awsRoleName: string;
  readonly entraObjectId?: string;
  readonly databricksGroup: string;
}

export interface LayerLifecycle {
  readonly infrequentAccessAfterDays?: number;
  readonly archiveAfterDays?: number;
  readonly expireAfterDays?: number;
  readonly noncurrentVersionExpireAfterDays: number;
  /**
   * Days each object stays locked against deletion and overwrite after it is written (bronze only:
   * S3 Object Lock default retention, Azure time-based immutability). Absent: no retention lock.
   */
  readonly retainDays?: number;
  /** Always set: incomplete multipart uploads are aborted after this many days. */
  readonly abortIncompleteMultipartUploadAfterDays: number;
}

export interface AwsEnvironment {
  readonly account: string;
  readonly region: string;
  /** Address range of the environment's VPC. */
  readonly vpcCidr: string;
  /** Kubernetes job orchestration (EKS and EMR on EKS). */
  readonly kubernetes: {
    readonly enabled: boolean;
    /** Kubernetes minor version, e.g. "1.33". */
    readonly version: string;
    /** Access group whose role administers the cluster; absent when only deployments do. */
    readonly adminGroup?: string;
  };
  /** Who the alert topic emails. */
  readonly monitoring: { readonly alertEmails: readonly string[] };
  /** Whether the ingestion schedules start pipelines (false: deployed, but paused). */
  readonly schedulesEnabled: boolean;
  /** Where the pipelines' Spark step runs when an execution does not say (`kubernetes` only with `kubernetes.enabled`). */
  readonly sparkRuntime: SparkRuntime;
  /** Access group whose role administers Lake Formation besides the CloudFormation execution role. */
  readonly lakeAdminGroup?: string;
  /** CDC capture of the `cdc: true` database datasets with AWS DMS Serverless. */
  readonly changeCapture: AwsChangeCapture;
}

/** How the environment captures database changes with AWS DMS Serverless (one replication per source database). */
export interface AwsChangeCapture {
  /** Whether this environment creates the account-wide roles `dms-vpc-role` and `dms-cloudwatch-logs-role` (default false). */
  readonly createAccountRoles: boolean;
  /** Most capacity units a source's replication scales to (default `DEFAULT_DMS_MAX_CAPACITY_UNITS`). */
  readonly maxCapacityUnits: DmsCapacityUnits;
}

export interface AzureEnvironment {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly location: string;
  readonly storageReplication: AzureReplication;
  readonly stateBackend: {
    readonly resourceGroupName: string;
    readonly storageAccountName: string;
    readonly containerName: string;
  };
  readonly network: {
    /** IPv4 CIDR block of the virtual network, /16 to /22. */
    readonly addressSpace: string;
  };
  readonly monitoring: {
    readonly alertEmails: readonly string[];
    readonly logRetentionDays: number;
  };
  readonly streaming: {
    readonly sku: EventHubsSku;
    readonly capacity: number;
  };
  /** The SQL warehouse; absent when the environment has none. */
  readonly warehouse?: {
    readonly adminGroup: string;
    readonly defender: boolean;
    readonly shortTermRetentionDays: number;
    readonly longTermRetentionWeeks: number;
  };
  /** The Synapse workspace; absent when the environment has none. */
  readonly analytics?: {
    readonly adminGroup: string;
  };
}

export interface DatabricksEnvironment {
  readonly metastoreId: string;
  readonly accountId: string;
  /** Object id of the AzureDatabricks application in the tenant; set in production (customer-managed keys). */
  readonly azureDatabricksObjectId?: string;
  /** Object id of the application the stream pipelines authenticate to Event Hubs as; it gets Data Receiver. */
  readonly streamReaderObjectId?: string;
  /** Runtime of job and interactive clusters, e.g. "15.4.x-scala2.12". */
  readonly runtimeVersion: string;
  /** VM sizes clusters may use; the first is the default. */
  readonly nodeTypes: readonly string[];
  /** When the dbt job runs: a five-field cron expression (UTC). */
  readonly dbtSchedule: string;
}

/** Delivery from GitHub Actions: the repository whose workflows deploy, with OIDC, and the environments they deploy. */
export interface CicdConfig {
  /** `owner/name` of the GitHub repository; the only repository the deploy identities trust. */
  readonly repository: string;
  /** The branch changes are promoted from (default `main`). */
  readonly branch: string;
  /** The environments the pipeline deploys, in promotion order (definition order of `cicd.environments`). */
  readonly environments: readonly CicdEnvironmentConfig[];
}

/** How the pipeline deploys one platform environment. */
export interface CicdEnvironmentConfig {
  /** The platform environment (a name of `environments`). */
  readonly environment: string;
  /** The GitHub environment the deploy job runs in (default: the platform environment's name). */
  readonly githubEnvironment: string;
  /** Required reviewers of the GitHub environment: users or `org/team-slug`s; empty deploys without approval. */
  readonly approvers: readonly string[];
}

/** The dbt project the Databricks dbt job runs. */
export interface DbtProjectConfig {
  readonly repositoryUrl: string;
  readonly branch: string;
  readonly projectDirectory: string;
}

/** A machine-learning use case: an MLflow experiment and a registered model per Databricks environment. */
export interface MlUseCaseConfig {
  readonly name: string;
  readonly description: string;
  /** Gold dbt models the model is trained on. */
  readonly featureTables: readonly string[];
  /** The feature tables' column the model predicts: a boolean (or 0/1 integer) column, never a feature. */
  readonly label: string;
  /** Columns that identify a row (the feature tables are joined on them); never features. */
  readonly keys: readonly string[];
  /** When the training job runs (five-field cron, UTC); undefined: only when someone runs it. */
  readonly trainingSchedule?: string;
  readonly owners: readonly string[];
  readonly readers: readonly string[];
  /** A serverless model-serving endpoint of the model; undefined: the model is only scored in batch. */
  readonly serving?: MlServingConfig;
}

/** Compute sizes of a serverless model-serving endpoint (concurrent requests: Small 4, Medium 16, Large 64). */
export const ML_SERVING_WORKLOAD_SIZES = ['Small', 'Medium', 'Large'] as const;
export type MlServingWorkloadSize = (typeof ML_SERVING_WORKLOAD_SIZES)[number];

/** Where and how an ML use case's model is served online. */
export interface MlServingConfig {
  /** Environments that deploy the endpoint (each deploys the databricks cloud). */
  readonly environments: readonly string[];
  readonly workloadSize: MlServingWorkloadSize;
  /** Whether the endpoint scales to zero when idle (first request after idling waits for a cold start). */
  readonly scaleToZero: boolean;
}

/** Who consumes gold beyond SQL endpoints (`consumers:` of the definition). */
export interface ConsumersConfig {
  /** The gold API on AWS; absent when the definition deploys none. */
  readonly api?: ApiConsumerConfig;
  /** Dashboards over gold, in definition order. */
  readonly dashboards: readonly DashboardConfig[];
  /** Delta Sharing shares of gold, in definition order. */
  readonly shares: readonly ShareConfig[];
}

/** The IAM-authorised REST API over gold tables (AWS: API Gateway, a Lambda function, Athena). */
export interface ApiConsumerConfig {
  /** Environments that deploy it (default: every environment whose clouds include aws), in definition order. */
  readonly environments: readonly string[];
  /** `private` (only through the VPC's execute-api endpoint) or `regional` (default private). */
  readonly endpointType: ApiEndpointType;
  /** Stage-wide throttling: steady requests per second (default 10) and burst (default 20). */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Most rows a caller may ask for in one page (default 100, at most 1,000). */
  readonly maxPageSize: number;
  /** The exposed gold tables, in definition order. */
  readonly tables: readonly ApiTableConfig[];
}

/** One gold table of the API and who may query it. */
export interface ApiTableConfig {
  /** The dataset whose gold table is queried. */
  readonly dataset: string;
  /** Columns a caller may filter on (default: the dataset's keys). */
  readonly filters: readonly string[];
  /** Groups of the definition whose IAM roles may query it (default none). */
  readonly groups: readonly string[];
  /** Other IAM role or user ARNs that may query it (default none). */
  readonly principals: readonly string[];
  /** True when the definition explicitly allows exposing a pii dataset here (default false). */
  readonly allowPersonalData: boolean;
}

/** A dashboard over gold dbt models. */
export interface DashboardConfig {
  readonly name: string;
  readonly description: string;
  /** Gold dbt models it reads. */
  readonly tables: readonly string[];
  readonly owners: readonly string[];
  /** Default none. */
  readonly readers: readonly string[];
  /** Default false. */
  readonly allowPersonalData: boolean;
}

/** A Delta Sharing share of gold dbt models. */
export interface ShareConfig {
  readonly name: string;
  readonly description: string;
  /** Gold dbt models shared. */
  readonly tables: readonly string[];
  readonly recipients: readonly ShareRecipientConfig[];
  /** Environments that create it (default: every environment whose clouds include databricks), in definition order. */
  readonly environments: readonly string[];
  /** Default false. */
  readonly allowPersonalData: boolean;
}

/** A share's recipient: another Databricks metastore, or an open-sharing client with a token. */
export type ShareRecipientConfig =
  | { readonly name: string; readonly description?: string; readonly kind: 'databricks'; readonly sharingIdentifier: string }
  | { readonly name: string; readonly description?: string; readonly kind: 'open'; readonly ipAccessList: readonly string[] };

export interface DataProtection {
  /** True when stateful resources survive the deletion of their stack. Always true in production. */
  readonly retainOnDelete: boolean;
  readonly softDeleteDays: number;
  readonly kmsKeyDeletionWindowDays: number;
  /** How bronze's retention lock (`lifecycle.bronze.retainDays`) binds: governance, or compliance (nobody may lift it). */
  readonly bronzeLockMode: BronzeLockMode;
}

export interface Sizing {
  readonly sparkMinWorkers: number;
  readonly sparkMaxWorkers: number;
  readonly idleTimeoutMinutes: number;
}

/**
 * What an environment's stage decides beyond its definition: sizes, zone counts, retention, SKUs and
 * protections. One table in lib/config (stage-policy.ts) holds them per stage; stacks read them from
 * here and pass constructs plain values.
 */
export interface StagePolicy {
  /** Availability zones of the AWS VPC. */
  readonly awsAvailabilityZones: number;
  /** Whether CloudFormation refuses to delete the environment's stacks. */
  readonly terminationProtection: boolean;
  /** G.1X workers of each Glue streaming job. */
  readonly streamingJobWorkers: number;
  /** Whether the Databricks workspace, its disks and DBFS, and the SQL warehouse's TDE use customer-managed keys. */
  readonly customerManagedKeys: boolean;
  /** Bounds of the Key Vault's soft-delete retention; the environment's dataProtection.softDeleteDays is clamped to them. */
  readonly keyVaultSoftDeleteDays: { readonly min: number; readonly max: number };
  /** Compute of the Azure SQL warehouse: provisioned, or serverless and auto-pausing. */
  readonly sqlWarehouseCompute: 'provisioned' | 'serverless';
  /** The Databricks lakehouse's compute. */
  readonly databricks: {
    /** Whether job clusters use spot workers (with fallback to on-demand). */
    readonly spotWorkers: boolean;
    /** Size of the serverless SQL warehouse. */
    readonly sqlWarehouseSize: '2X-Small' | 'X-Small' | 'Small' | 'Medium' | 'Large';
    /** Most clusters the SQL warehouse scales to. */
    readonly sqlWarehouseMaxClusters: number;
    /** Whether Delta Live Tables pipelines run continuously (else triggered). */
    readonly continuousPipelines: boolean;
    /** Whether pipelines run in development mode (no retries, cluster kept for reuse). */
    readonly developmentPipelines: boolean;
    /** Whether the workspace writes verbose audit logs (every notebook command and SQL query text). */
    readonly verboseAuditLogs: boolean;
  };
}

/**
 * Who did what, kept how long: the environment's audit trails on every cloud it uses (AWS CloudTrail,
 * the Azure Activity Log and blob logs in Log Analytics, Unity Catalog's `system.access` tables).
 */
export interface AuditConfig {
  /** Days audit logs are kept, at least 90 (the Object Lock retention of the trail's bucket, the Log Analytics retention). */
  readonly retentionDays: number;
  /**
   * AWS: an existing organisation trail (ARN or name) that logs this environment's account; the
   * environment then creates no trail of its own. Absent: the environment creates its trail.
   */
  readonly organizationTrail?: string;
  /**
   * Databricks: the system schemas this environment enables on its metastore. A metastore is shared by
   * environments (and a system schema is enabled once per metastore), so only the first Databricks
   * environment of each metastore, in definition order, enables them; the others get [].
   */
  readonly databricksSystemSchemas: readonly string[];
}

/** The environment's monthly cost guard: budget alerts on every cloud it uses, anomaly alerts on AWS. */
export interface BudgetConfig {
  /** Monthly amount, in currency. */
  readonly amount: number;
  /** Currency of amount and anomalyThreshold (USD wherever the environment uses AWS). */
  readonly currency: string;
  /** Percentages of amount at which actual spend alerts, strictly increasing. */
  readonly thresholds: readonly number[];
  /** Percentages of amount at which forecasted month-end spend alerts, strictly increasing. */
  readonly forecastThresholds: readonly number[];
  /** Email addresses that receive the alerts (at least one in production). */
  readonly recipients: readonly string[];
  /** First month the budget counts, YYYY-MM-01. */
  readonly startDate: string;
  /** AWS Cost Anomaly Detection alerts on anomalies whose total impact reaches this amount, in currency. */
  readonly anomalyThreshold: number;
}

export interface EnvironmentConfig {
  readonly name: string;
  readonly stage: Stage;
  readonly isProduction: boolean;
  /** What the stage decides (lib/config/stage-policy.ts). */
  readonly policy: StagePolicy;
  readonly description?: string;
  readonly clouds: readonly Cloud[];
  readonly aws?: AwsEnvironment;
  readonly azure?: AzureEnvironment;
  readonly databricks?: DatabricksEnvironment;
  readonly dataProtection: DataProtection;
  readonly sizing: Sizing;
  readonly lifecycle: Readonly<Record<Layer, LayerLifecycle>>;
  /** Audit trails and their retention. */
  readonly audit: AuditConfig;
  /** Monthly budget and cost alerts; absent: the environment has no budget. */
  readonly budget?: BudgetConfig;
}

/** What every per-environment stack, on every cloud, receives: the resolved definition and one of its environments. */
export interface EnvironmentScope {
  /** The resolved platform definition. */
  readonly config: PlatformConfig;
  /** The environment the stack deploys. */
  readonly environment: EnvironmentConfig;
}

export interface ColumnConfig {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly description?: string;
  readonly pii: boolean;
}

export interface DatasetConfig {
  readonly name: string;
  readonly domain: string;
  readonly description: string;
  readonly source: DatasetSource;
  readonly format: Format;
  /** The declared columns; for `format: binary`, the manifest's columns (lib/lake/binary-manifest.ts), which the platform defines. */
  readonly columns: readonly ColumnConfig[];
  /** The key columns; for `format: binary`, `path` (one manifest row per object). */
  readonly keys: readonly string[];
  readonly cdc: boolean;
  /**
   * How silver keeps the changes of a CDC dataset (`cdc.scdType`); undefined when the dataset is not CDC.
   * Type 2 is kept by the Databricks stream pipeline (AUTO CDC); validation refuses it elsewhere.
   */
  readonly scdType?: ScdType;
  readonly classification: Classification;
  readonly owners: readonly string[];
  readonly readers: Readonly<Record<Layer, readonly string[]>>;
  /** A five-field cron expression (UTC), or "continuous". */
  readonly schedule: string;
  readonly quality: readonly QualityRule[];
}
