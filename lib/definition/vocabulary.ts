/**
 * The words of the platform definition: every closed set of values `platform.yaml` may use, stated once.
 * The schema (lib/config) validates against these lists; code branches on the types.
 */

/** Medallion layers, in the order data flows through them. */
export const LAYERS = ['bronze', 'silver', 'gold'] as const;
export type Layer = (typeof LAYERS)[number];

/** How the bronze retention lock binds: governance (administrators may lift it) or compliance (nobody may). */
export const BRONZE_LOCK_MODES = ['governance', 'compliance'] as const;
export type BronzeLockMode = (typeof BRONZE_LOCK_MODES)[number];

export const CLOUDS = ['aws', 'azure', 'databricks'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Kinds of environment; production forbids destroying data. */
export const STAGES = ['development', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

export const SOURCE_KINDS = ['database', 'api', 'stream', 'files'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Source kinds landed in batches by a scheduled copy (Glue job on AWS, Data Factory on Azure); streams land continuously. */
export const BATCH_SOURCE_KINDS = ['database', 'api', 'files'] as const satisfies readonly SourceKind[];
export type BatchSourceKind = (typeof BATCH_SOURCE_KINDS)[number];

export const FORMATS = ['json', 'csv', 'avro', 'parquet', 'orc'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * How silver keeps the changes of a CDC dataset (slowly changing dimension type): `1` the current row of
 * each key, `2` every version of it with the sequence range it was current for.
 */
export const SCD_TYPES = [1, 2] as const;
export type ScdType = (typeof SCD_TYPES)[number];
export const DEFAULT_SCD_TYPE: ScdType = 1;

/** Sensitivity of a dataset, least to most sensitive. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'pii'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const DATABASE_ENGINES = ['postgres', 'mysql', 'sqlserver', 'oracle'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export const AZURE_REPLICATION = ['LRS', 'ZRS', 'GRS', 'GZRS', 'RAGRS', 'RAGZRS'] as const;
export type AzureReplication = (typeof AZURE_REPLICATION)[number];

export const EVENT_HUBS_SKUS = ['Standard', 'Premium'] as const;
export type EventHubsSku = (typeof EVENT_HUBS_SKUS)[number];

/**
 * How a database dataset without CDC is loaded: `incremental` reads the rows whose change-tracking
 * column grew since the last run; `snapshot` reads the whole table each run (deduplicated downstream).
 */
export const DATABASE_LOADS = ['incremental', 'snapshot'] as const;
export type DatabaseLoad = (typeof DATABASE_LOADS)[number];

/** How an API pages its results. */
export const API_PAGINATION = ['none', 'page', 'cursor'] as const;
export type ApiPagination = (typeof API_PAGINATION)[number];

/**
 * Where a pipeline's Spark step (silver and gold) runs on AWS: `emr`, the environment's EMR cluster (a
 * step); `kubernetes`, the EMR on EKS virtual cluster of the environment's Kubernetes stack (a job run).
 */
export const SPARK_RUNTIMES = ['emr', 'kubernetes'] as const;
export type SparkRuntime = (typeof SPARK_RUNTIMES)[number];

/**
 * How each new version of a stream's message schema must relate to the versions registered before it,
 * in AWS Glue Schema Registry's words: BACKWARD, consumers on the new version read messages written
 * with the previous one; FORWARD, consumers on the previous version read messages written with the new
 * one; FULL, both; the `_ALL` forms hold against every earlier version, not only the previous one;
 * NONE checks nothing. (Glue's DISABLED, which refuses any new version, is not offered: a version is
 * registered by changing the definition's columns, and NONE says "no check" plainly.)
 */
export const SCHEMA_COMPATIBILITIES = ['NONE', 'BACKWARD', 'BACKWARD_ALL', 'FORWARD', 'FORWARD_ALL', 'FULL', 'FULL_ALL'] as const;
export type SchemaCompatibility = (typeof SCHEMA_COMPATIBILITIES)[number];

/** The modes an Event Hubs schema group offers (None, Backward, Forward); Azure has no FULL and no transitive forms. */
export const AZURE_SCHEMA_COMPATIBILITIES = ['NONE', 'BACKWARD', 'FORWARD'] as const satisfies readonly SchemaCompatibility[];
export type AzureSchemaCompatibility = (typeof AZURE_SCHEMA_COMPATIBILITIES)[number];

/** The schedule of a stream dataset: ingested continuously rather than on a cron schedule. */
export const CONTINUOUS = 'continuous';

/** The capacities (DMS capacity units; 1 DCU = 2 GB of memory) a DMS Serverless replication can scale to. */
export const DMS_CAPACITY_UNITS = [1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384] as const;
export type DmsCapacityUnits = (typeof DMS_CAPACITY_UNITS)[number];

/** The most DMS capacity units a source's replication scales to when the definition does not say. */
export const DEFAULT_DMS_MAX_CAPACITY_UNITS: DmsCapacityUnits = 4;

/**
 * How the gold API is reached: `private`, only through the `execute-api` interface endpoint of the
 * environment's VPC (and networks connected to it); `regional`, from the internet, still only with
 * SigV4-signed requests of the principals the definition names.
 */
export const API_ENDPOINT_TYPES = ['private', 'regional'] as const;
export type ApiEndpointType = (typeof API_ENDPOINT_TYPES)[number];
