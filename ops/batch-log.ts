import type { AthenaClient } from '@aws-sdk/client-athena';
import { athenaWorkgroupName } from '../lib/naming';
import type { Pipeline } from '../lib/pipelines/pipelines';
import { sparkBatchLog, type SparkBatchLogColumn } from '../lib/pipelines/spark-batch-log';
import { type AthenaQuery, athenaIdentifier, type AthenaRow, athenaTextParameter, runAthenaQuery } from './athena-queries';
import { awsExitCode, describeAwsError } from './aws-errors';
import type { AwsTarget } from './aws-target';
import type { Clock } from './clock';
import { formatDuration } from './duration';
import { EXIT_CODES } from './exit-codes';
import type { BatchReconciliation, Reconciliation, ReconciliationRead, UnrecordedReconciliation } from './pipeline-results';
import type { RetryOptions } from './retry';
import { DEADLINE_GRACE_MS } from './wait';

/**
 * The per-batch reconciliation of `platform status` on AWS: one Athena query, in the environment's
 * workgroup, reads the latest batch of every dataset asked for from the Spark application's batch log
 * (`<silver db>._batches`), and each pipeline gets its datasets' batches.
 */

/** How the batch log was read; every pipeline's reconciliation comes from this one read. */
export interface BatchLogRead extends ReconciliationRead {
  /** `<silver db>._batches` (also the source). */
  readonly table: string;
  /** The Athena workgroup the query ran in. */
  readonly workgroup: string;
  /** The Athena query execution id, once started. */
  readonly queryId?: string;
  /**
   * `read`; `not-written-yet` when the table does not exist (no Spark run has written it yet);
   * `failed` (refused, unreachable, or the query failed) or `timeout` (still running at --query-timeout).
   */
  readonly outcome: 'read' | 'not-written-yet' | 'failed' | 'timeout';
}

export interface BatchLog {
  readonly read: BatchLogRead;
  /** The reconciliation of each pipeline, by pipeline name. */
  readonly reconciliations: ReadonlyMap<string, Reconciliation>;
}

export interface BatchLogOptions {
  readonly clock: Clock;
  /** How long to wait for the query to end; then the reconciliation says so and the query keeps running in Athena. */
  readonly timeoutMs: number;
  /** Time between two polls of the query. */
  readonly pollIntervalMs: number;
  readonly retry?: RetryOptions;
}

/** What status reads of each batch, in the SELECT's order. */
const READ_COLUMNS = [
  'dataset',
  'batch_id',
  'status',
  'bronze_rows',
  'accepted_rows',
  'quarantined_rows',
  'quality',
  'ingested_at',
  'processed_at',
  'run_id',
] as const satisfies readonly SparkBatchLogColumn[];

/** Athena's error when the table is not in the catalog, e.g. `TABLE_NOT_FOUND: line 5:8: Table 'awsdatacatalog.db._batches' does not exist`. */
const TABLE_NOT_FOUND = /\bTABLE_NOT_FOUND\b|\bTable '[^']*' does not exist/i;

/** A batch log row that does not hold what the Spark application writes. */
class BatchLogFormatError extends Error {}

/** The datasets of a pipeline whose batches the Spark step processes: all of them, batch and stream, in definition order. */
function datasetsOf(pipeline: Pipeline, definitionOrder: ReadonlyMap<string, number>): string[] {
  return [...pipeline.batchDatasets, ...pipeline.streamDatasets]
    .map((dataset) => dataset.name)
    .sort((a, b) => (definitionOrder.get(a) ?? 0) - (definitionOrder.get(b) ?? 0));
}

/**
 * The query of the latest batch of each of `datasets`: the one processed last (then the one landed
 * last, then the highest batch id, so a rebuild, which processes every batch at once, shows the newest).
 * Dataset names are values (ExecutionParameters), never SQL text; the identifiers are quoted.
 */
export function latestBatchesQuery(target: AwsTarget, datasets: readonly string[]): AthenaQuery {
  if (datasets.length === 0) throw new Error('latestBatchesQuery needs at least one dataset');
  const { database, table } = sparkBatchLog(target.scope);
  const column = (name: SparkBatchLogColumn) => athenaIdentifier(name);
  const columns = READ_COLUMNS.map(column).join(', ');
  const sql = [
    `SELECT ${columns}`,
    'FROM (',
    `  SELECT ${columns},`,
    `    row_number() OVER (PARTITION BY ${column('dataset')} ORDER BY ${column('processed_at')} DESC NULLS LAST, ` +
      `${column('ingested_at')} DESC NULLS LAST, ${column('batch_id')} DESC) AS "newest"`,
    `  FROM ${athenaIdentifier(database)}.${athenaIdentifier(table)}`,
    `  WHERE ${column('dataset')} IN (${datasets.map(() => '?').join(', ')})`,
    ')',
    'WHERE "newest" = 1',
  ].join('\n');
  return { sql, parameters: datasets.map(athenaTextParameter), workgroup: athenaWorkgroupName(target.scope), database };
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?: ?(?:Z|UTC))?$/;

/** An Athena timestamp (`2026-11-28 02:00:00.000000`, with ` UTC` for a timestamp with time zone) as a Date; the application writes UTC. */
export function athenaTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, fraction = ''] = match;
  return new Date(`${date}T${time}${fraction.slice(0, 4)}Z`);
}

/**
 * One batch of the log as status shows it; a BatchLogFormatError naming the dataset, the column and the
 * value when a row is not what the application writes.
 */
export function batchOf(row: AthenaRow, table: string): BatchReconciliation {
  const dataset = row.dataset ?? '(null)';
  const batchId = row.batch_id ?? '(null)';
  const where = `${table}, dataset ${dataset}, batch ${batchId}`;
  const wrong = (name: SparkBatchLogColumn, expected: string) =>
    new BatchLogFormatError(`${where}: ${name} is ${row[name] === undefined ? 'null' : JSON.stringify(row[name])}, not ${expected}`);
  if (row.dataset === undefined) throw wrong('dataset', 'a dataset name');
  if (row.batch_id === undefined) throw wrong('batch_id', 'a batch id');
  const count = (name: 'bronze_rows' | 'accepted_rows' | 'quarantined_rows') => {
    const text = row[name]?.trim();
    if (text === undefined || !/^\d+$/.test(text)) throw wrong(name, 'a row count');
    return Number(text);
  };
  const time = (name: 'ingested_at' | 'processed_at') => {
    const text = row[name];
    if (text === undefined) return undefined;
    const parsed = athenaTimestamp(text);
    if (!parsed) throw wrong(name, 'a timestamp');
    return parsed;
  };
  let quality: unknown;
  try {
    quality = row.quality === undefined ? {} : JSON.parse(row.quality);
  } catch {
    throw wrong('quality', 'a JSON object of rejection reason -> rows');
  }
  const reasons = quality as Record<string, unknown>;
  if (
    typeof reasons !== 'object' ||
    reasons === null ||
    Array.isArray(reasons) ||
    !Object.values(reasons).every((rows) => Number.isInteger(rows) && (rows as number) >= 0)
  )
    throw wrong('quality', 'a JSON object of rejection reason -> rows');
  if (row.status === undefined) throw wrong('status', 'accepted or rejected');
  const [bronze, accepted, quarantined] = [count('bronze_rows'), count('accepted_rows'), count('quarantined_rows')];
  return {
    dataset: row.dataset,
    batchId: row.batch_id,
    status: row.status,
    bronze,
    accepted,
    quarantined,
    balanced: bronze === accepted + quarantined,
    quarantineReasons: reasons as Record<string, number>,
    ingestedAt: time('ingested_at'),
    processedAt: time('processed_at'),
    runId: row.run_id,
  };
}

/**
 * Reads the latest batch of every dataset of `pipelines` from the batch log, with one Athena query,
 * and gives each pipeline its reconciliation. Never throws for what AWS answers: a missing table is
 * "not recorded yet", a refusal, a failed query or a timeout is "not read" with the error, both for
 * every pipeline, and `read` says what happened. Errors that are not AWS's (bugs) propagate.
 */
export async function readBatchLog(target: AwsTarget, athena: AthenaClient, pipelines: readonly Pipeline[], options: BatchLogOptions): Promise<BatchLog> {
  const location = sparkBatchLog(target.scope);
  const table = `${location.database}.${location.table}`;
  const workgroup = athenaWorkgroupName(target.scope);
  const definitionOrder = new Map(target.config.datasets.map((dataset, index) => [dataset.name, index]));
  const everyPipeline = (reconciliation: Reconciliation) => new Map(pipelines.map((pipeline) => [pipeline.name, reconciliation]));
  const notRead = (read: Omit<BatchLogRead, 'table' | 'workgroup' | 'source'> & { readonly error: string }): BatchLog => ({
    read: { source: table, table, workgroup, ...read },
    reconciliations: everyPipeline({
      recorded: false,
      summary: 'not read',
      reason: `not read: the batch log ${table} could not be read: ${read.error}`,
      error: read.error,
    }),
  });
  const reconciled = (latest: ReadonlyMap<string, BatchReconciliation>, queryId?: string): BatchLog => {
    const reconciliations = new Map<string, Reconciliation>();
    for (const pipeline of pipelines) {
      const names = datasetsOf(pipeline, definitionOrder);
      const batches = names.flatMap((name) => latest.get(name) ?? []);
      const unprocessed = names.filter((name) => !latest.has(name));
      reconciliations.set(pipeline.name, { recorded: true, source: table, batches, unprocessed, balanced: batches.every((batch) => batch.balanced) });
    }
    return { read: { source: table, table, workgroup, queryId, outcome: 'read', exitCode: EXIT_CODES.ok }, reconciliations };
  };
  const datasets = pipelines.flatMap((pipeline) => datasetsOf(pipeline, definitionOrder));
  if (datasets.length === 0) return reconciled(new Map());

  const { clock, timeoutMs } = options;
  const deadline = clock.now() + timeoutMs;
  // A call that has not answered at the deadline is abandoned, so that an endpoint that never answers cannot hold status.
  const calls = new AbortController();
  const timer = setTimeout(() => calls.abort(new Error('--query-timeout expired')), timeoutMs + DEADLINE_GRACE_MS);
  timer.unref?.();
  const signal = options.retry?.signal ? AbortSignal.any([options.retry.signal, calls.signal]) : calls.signal;
  let result;
  try {
    result = await runAthenaQuery(athena, latestBatchesQuery(target, datasets), {
      clock,
      pollIntervalMs: options.pollIntervalMs,
      deadline,
      retry: { ...options.retry, signal },
    });
  } catch (error) {
    const description = describeAwsError(error);
    if (description === undefined) throw error;
    return notRead({ outcome: 'failed', error: description, exitCode: awsExitCode(error) });
  } finally {
    clearTimeout(timer);
  }
  const { queryId } = result;
  switch (result.outcome) {
    case 'timeout':
      return notRead({
        queryId,
        outcome: 'timeout',
        error: `Athena query ${queryId} was still ${result.state} after ${formatDuration(timeoutMs)} (--query-timeout); it keeps running in Athena`,
        exitCode: EXIT_CODES.timeout,
      });
    case 'failed': {
      if (TABLE_NOT_FOUND.test(result.reason)) {
        const notYet: UnrecordedReconciliation = {
          recorded: false,
          summary: 'not recorded yet',
          reason:
            `not recorded yet: no Spark run has written ${table} (Athena found no such table in workgroup ${workgroup}; ` +
            'if a run did write it, check that Lake Formation lets you describe and select it)',
        };
        return {
          read: { source: table, table, workgroup, queryId, outcome: 'not-written-yet', exitCode: EXIT_CODES.ok },
          reconciliations: everyPipeline(notYet),
        };
      }
      return notRead({ queryId, outcome: 'failed', error: `Athena query ${queryId} ${result.state}: ${result.reason}`, exitCode: EXIT_CODES.failed });
    }
    case 'succeeded':
      try {
        return reconciled(new Map(result.rows.map((row) => batchOf(row, table)).map((batch) => [batch.dataset, batch])), queryId);
      } catch (error) {
        if (!(error instanceof BatchLogFormatError)) throw error;
        return notRead({ queryId, outcome: 'failed', error: error.message, exitCode: EXIT_CODES.failed });
      }
  }
}
