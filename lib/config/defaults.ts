import type { ApiEndpointType, Layer, SchemaCompatibility } from '../definition';
import type { LayerLifecycle, Sizing } from '../definition';

/**
 * Every default of the platform definition that does not depend on the stage, in one place (the
 * stage-dependent ones are in stage-policy.ts). The schema documents them; `resolve.ts`
 * applies them with `??`.
 */

/**
 * Lifecycle when the definition gives none for a layer. Bronze is the immutable record: it is kept, and
 * every object is locked for 90 days; silver and gold are rebuilt from it, so they cool later and keep
 * fewer old versions.
 */
export const DEFAULT_LIFECYCLE: Readonly<Record<Layer, LayerLifecycle>> = {
  bronze: {
    infrequentAccessAfterDays: 30,
    archiveAfterDays: 180,
    noncurrentVersionExpireAfterDays: 30,
    retainDays: 90,
    abortIncompleteMultipartUploadAfterDays: 7,
  },
  silver: { infrequentAccessAfterDays: 60, noncurrentVersionExpireAfterDays: 14, abortIncompleteMultipartUploadAfterDays: 7 },
  gold: { infrequentAccessAfterDays: 90, noncurrentVersionExpireAfterDays: 14, abortIncompleteMultipartUploadAfterDays: 7 },
};

export const DEFAULT_SIZING: Sizing = { sparkMinWorkers: 1, sparkMaxWorkers: 4, idleTimeoutMinutes: 30 };

export const DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS = 30;
export const DEFAULT_AZURE_REPLICATION = 'LRS' as const;
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
/** Kubernetes version of the EKS cluster, and which stages get one when the definition does not say. */
export const DEFAULT_KUBERNETES_VERSION = '1.33';
/** Ingestion schedules run unless the environment pauses them (aws.pipelines.schedules). */
export const DEFAULT_PIPELINE_SCHEDULES = 'enabled' as const;
/** The pipelines' Spark step runs on the environment's EMR cluster unless the environment says otherwise (aws.pipelines.sparkRuntime). */
export const DEFAULT_SPARK_RUNTIME = 'emr' as const;

export const DEFAULT_EVENT_HUBS_CAPACITY = 1;
/** Partitions and retention of a stream dataset's topic when its source gives none. */
export const DEFAULT_STREAM_PARTITIONS = 4;
export const DEFAULT_STREAM_RETENTION_HOURS = 168;
/** Compatibility of a stream's schema versions when the definition gives none: new consumers read old messages. */
export const DEFAULT_SCHEMA_COMPATIBILITY: SchemaCompatibility = 'BACKWARD';

/** Databricks cluster settings when the environment's databricks block gives none (15.4 is an LTS runtime). */
export const DEFAULT_DATABRICKS_RUNTIME = '15.4.x-scala2.12';
export const DEFAULT_DATABRICKS_NODE_TYPES: readonly string[] = ['Standard_D4ds_v5', 'Standard_D8ds_v5'];
/** The dbt job runs daily at 05:00 UTC, after the nightly batch ingestion. */
export const DEFAULT_DBT_SCHEDULE = '0 5 * * *';
export const DEFAULT_DBT_BRANCH = 'main';
/** Compute of an ML use case's serving endpoint when `serving.workloadSize` is left out: the smallest (4 concurrent requests). */
export const DEFAULT_ML_SERVING_WORKLOAD_SIZE = 'Small' as const;

/** The branch the delivery pipeline promotes changes from (`cicd.branch`). */
export const DEFAULT_CICD_BRANCH = 'main';
export const DEFAULT_DBT_PROJECT_DIRECTORY = 'dbt';
/**
 * The Unity Catalog system schemas an environment enables for its audit trail: `access` holds
 * `system.access.audit` (every account, workspace and Unity Catalog action) and the table and column lineage.
 */
export const DATABRICKS_AUDIT_SYSTEM_SCHEMAS: readonly string[] = ['access'];

/** Budget currency when the definition names none (AWS Budgets counts cost budgets in USD). */
export const DEFAULT_BUDGET_CURRENCY = 'USD';
/** Percentages of the budget at which actual spend alerts. */
export const DEFAULT_BUDGET_THRESHOLDS: readonly number[] = [50, 80, 100];
/** Percentages of the budget at which forecasted month-end spend alerts. */
export const DEFAULT_BUDGET_FORECAST_THRESHOLDS: readonly number[] = [100];
/** Anomaly alert threshold when the definition names none: this share of the monthly amount. */
export const DEFAULT_ANOMALY_SHARE_OF_BUDGET = 0.1;

/** The gold API when `consumers.api` does not say: reachable only inside the VPC, 10 requests a second (bursts of 20), pages of up to 100 rows. */
export const DEFAULT_API_ENDPOINT_TYPE: ApiEndpointType = 'private';
export const DEFAULT_API_RATE_LIMIT = 10;
export const DEFAULT_API_BURST_LIMIT = 20;
export const DEFAULT_API_MAX_PAGE_SIZE = 100;
