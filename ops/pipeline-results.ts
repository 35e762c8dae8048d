import type { ExitCode } from './exit-codes';

/**
 * What a pipeline run produced besides its runs' states, as `platform run` and `platform status`
 * report it on every cloud: the data-quality result per dataset, where the run failed, and the
 * per-batch reconciliation of bronze against what silver accepted and quarantined.
 */

/** The data-quality result of one dataset's batch, as the pipeline recorded it. */
export interface DataQualityResult {
  /** The dataset; on Databricks the dbt job's task (`dbt_build`), whose tests cover every dataset at once. */
  readonly dataset: string;
  readonly result: 'passed' | 'failed';
  /** The share of rules that passed (Glue Data Quality's Score, 0 to 1), when recorded. */
  readonly score?: number;
  /** `<rule> <result>: <message>` of each rule that did not pass. */
  readonly failedRules: readonly string[];
}

/** Where a pipeline run failed: the state, activity or task, and the service's error and cause. */
export interface PipelineFailure {
  /** The state machine state (e.g. "Quality rules failed"), Data Factory activity or Databricks task that failed. */
  readonly state: string;
  readonly error?: string;
  readonly cause?: string;
}

/** The latest batch of one dataset, as the Spark application recorded it in its batch log (`<silver db>._batches`). */
export interface BatchReconciliation {
  readonly dataset: string;
  /** The bronze `_batch_id`: the ingestion run that landed the batch. */
  readonly batchId: string;
  /** `accepted`, or `rejected` when a load-level rule (row_count) quarantined the whole load; as the log spells it. */
  readonly status: string;
  readonly bronze: number;
  readonly accepted: number;
  readonly quarantined: number;
  /** bronze === accepted + quarantined. */
  readonly balanced: boolean;
  /** Quarantined rows per rejection reason (a load-level reason may count 0 rows: the load had none to quarantine). */
  readonly quarantineReasons: Readonly<Record<string, number>>;
  /** When the batch landed in bronze. */
  readonly ingestedAt?: Date;
  /** When the Spark run that published it started. */
  readonly processedAt?: Date;
  /** The Spark run that processed it (its quarantined rows carry the same id). */
  readonly runId?: string;
}

/**
 * The per-batch reconciliation: every bronze row of a batch is either accepted into silver or
 * quarantined, so bronze = accepted + quarantined. Reported where the data path records the three
 * counts (the Spark path, in its batch log), per dataset of the pipeline; elsewhere, or when the log
 * cannot be read, `recorded: false` says why, and no number is made up.
 */
export type Reconciliation = RecordedReconciliation | UnrecordedReconciliation;

export interface RecordedReconciliation {
  readonly recorded: true;
  /** Where it was read, e.g. `acme_dev_silver._batches`. */
  readonly source: string;
  /** The latest batch of each of the pipeline's datasets that has one, in the pipeline's dataset order. */
  readonly batches: readonly BatchReconciliation[];
  /** The pipeline's datasets with no batch in the log: no Spark run has processed one yet. */
  readonly unprocessed: readonly string[];
  /** Every batch balances. */
  readonly balanced: boolean;
}

export interface UnrecordedReconciliation {
  readonly recorded: false;
  /** A few words for a table cell: `not recorded`, `not recorded yet`, `not read`. */
  readonly summary: string;
  /** The whole sentence, e.g. `not recorded yet: no Spark run has written acme_dev_silver._batches`. */
  readonly reason: string;
  /** What kept a recorded reconciliation from being read (Athena refused, the query failed or did not finish in time). */
  readonly error?: string;
}

/**
 * How `platform status` read the records its reconciliations come from (`batchLog` in its --json): the
 * Spark batch log on AWS, the copy activity runs on Data Factory; `not-recorded` where the data path
 * records no per-batch counts (Databricks).
 */
export interface ReconciliationRead {
  /** What was read, e.g. `acme_dev_silver._batches`, `Data Factory adf-acme-dev-55d6 copy activity runs`. */
  readonly source: string;
  /**
   * `read`; `not-written-yet` when no run has written the log yet; `not-recorded` when the data path
   * records no counts; `failed` (refused, unreachable, or the query failed) or `timeout`.
   */
  readonly outcome: 'read' | 'not-written-yet' | 'not-recorded' | 'failed' | 'timeout';
  /** Why it could not be read (failed, timeout). */
  readonly error?: string;
  /** What the read means for the exit code of `platform status` (EXIT_CODES.ok unless failed or timeout). */
  readonly exitCode: ExitCode;
}

/**
 * Databricks: the bronze refresh (bronze_tables.py) logs only the rows it loads per dataset, and dbt's
 * `rows_reconcile` tests check bronze = accepted + quarantined over whole tables, not per batch, with
 * their result only in the dbt_build task's outcome (the data-quality result). No per-batch count is
 * readable over the REST API, so none is shown.
 */
export const RECONCILIATION_NOT_RECORDED_ON_DATABRICKS: UnrecordedReconciliation = {
  recorded: false,
  summary: 'not recorded',
  reason:
    'not recorded per batch on Databricks: the bronze_tables task logs only the rows it loads, and the dbt rows_reconcile tests check ' +
    "bronze = accepted + quarantined over whole tables (their result is the dbt_build task's, shown as data quality); " +
    'no per-batch bronze, accepted and quarantined counts are readable over the Databricks REST API',
};

/** `platform run` on Azure: each copy activity records its counts in its output, which `platform status` reads. */
export const RECONCILIATION_IN_COPY_OUTPUT: UnrecordedReconciliation = {
  recorded: false,
  summary: 'see platform status',
  reason: 'not read by platform run: each copy activity records the rows it read, copied and skipped (quarantined) in its output, which platform status shows',
};

/** `platform run` on AWS: the Spark step records the counts in its batch log, which `platform status` reads. */
export const RECONCILIATION_IN_BATCH_LOG: UnrecordedReconciliation = {
  recorded: false,
  summary: 'see platform status',
  reason: 'not read by platform run: the Spark step records every batch in the batch log <silver db>._batches, which platform status shows',
};

/** `passed`, `failed (orders: IsComplete "id" FAIL)`, or `not recorded`, for tables and summaries. */
export function dataQualityText(results: readonly DataQualityResult[] | undefined): string {
  if (!results || results.length === 0) return 'not recorded';
  const failed = results.filter((result) => result.result === 'failed');
  if (failed.length === 0) return `passed (${results.map((result) => result.dataset).join(', ')})`;
  return `failed (${failed.map((result) => `${result.dataset}: ${result.failedRules.join('; ')}`).join(' | ')})`;
}

/** `100 = 98 + 2`, or `100 != 90 + 5 (does not balance)`. */
export function balanceText(batch: Pick<BatchReconciliation, 'bronze' | 'accepted' | 'quarantined' | 'balanced'>): string {
  const { bronze, accepted, quarantined, balanced } = batch;
  return `${bronze} ${balanced ? '=' : '!='} ${accepted} + ${quarantined}${balanced ? '' : ' (does not balance)'}`;
}

/** `email is null (not_null rule): 2, key customer_id missing: 1` (most rows first), or `-` when nothing was quarantined. */
export function quarantineReasonsText(reasons: Readonly<Record<string, number>>): string {
  const entries = Object.entries(reasons).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return entries.length === 0 ? '-' : entries.map(([reason, rows]) => `${reason}: ${rows}`).join(', ');
}

/**
 * One line for a table cell or a summary: `balanced (3 datasets)`, or `DOES NOT BALANCE: orders (bronze 100 !=
 * accepted 90 + quarantined 5)`, then the rejected loads and the datasets not processed yet; or why nothing
 * is shown (`not recorded yet`, `not read: <error>`).
 */
export function reconciliationText(reconciliation: Reconciliation): string {
  if (!reconciliation.recorded) return reconciliation.error ? `${reconciliation.summary}: ${reconciliation.error}` : reconciliation.summary;
  const { batches, unprocessed } = reconciliation;
  if (batches.length === 0) return 'no batch processed yet';
  const unbalanced = batches.filter((batch) => !batch.balanced);
  const rejected = batches.filter((batch) => batch.status !== 'accepted').map((batch) => `${batch.dataset} (${batch.status})`);
  const count = `${batches.length} ${batches.length === 1 ? 'dataset' : 'datasets'}`;
  return [
    unbalanced.length === 0
      ? `balanced (${count})`
      : `DOES NOT BALANCE: ${unbalanced.map((b) => `${b.dataset} (bronze ${b.bronze} != accepted ${b.accepted} + quarantined ${b.quarantined})`).join(', ')}`,
    ...(rejected.length > 0 ? [`load not accepted: ${rejected.join(', ')}`] : []),
    ...(unprocessed.length > 0 ? [`not processed yet: ${unprocessed.join(', ')}`] : []),
  ].join('; ');
}
