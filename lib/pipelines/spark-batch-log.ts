import { glueDatabaseName, type NamingScope } from '../naming';

/**
 * The Spark application's processed-batch log and per-load audit (`BATCH_LOG_TABLE` and
 * `BATCH_LOG_COLUMNS` in `constructs/aws/jobs/spark/silver_gold.py`): an Iceberg table in the
 * environment's silver database, one row per bronze batch (`_batch_id`) and dataset, partitioned by
 * dataset, with `bronze_rows = accepted_rows + quarantined_rows` for every batch. The application
 * creates and writes it; `platform status` reads it. A test holds this description to the application's.
 */
export const SPARK_BATCH_LOG_TABLE = '_batches';

/** Its columns, in the application's order. */
export const SPARK_BATCH_LOG_COLUMNS = [
  'domain',
  'dataset',
  'batch_id',
  /** When the batch landed in bronze. */
  'ingested_at',
  'bronze_rows',
  'accepted_rows',
  'quarantined_rows',
  /** `accepted`, or `rejected` when a load-level rule quarantined the whole load. */
  'status',
  /** JSON object: rejection reason -> quarantined rows; `{}` when the batch was clean. */
  'quality',
  'run_id',
  /** The Iceberg snapshot of the dataset's silver table that published the batch. */
  'silver_snapshot_id',
  /** When the run that processed the batch started. */
  'processed_at',
] as const;

export type SparkBatchLogColumn = (typeof SPARK_BATCH_LOG_COLUMNS)[number];

/** Where an environment's batch log is: the silver Glue database and the table. */
export interface SparkBatchLogLocation {
  readonly database: string;
  readonly table: string;
}

export function sparkBatchLog(scope: NamingScope): SparkBatchLogLocation {
  return { database: glueDatabaseName(scope, 'silver'), table: SPARK_BATCH_LOG_TABLE };
}
