/**
 * The batch log as Athena answers it, for the tests of `platform status` with aws-sdk-client-mock:
 * GetQueryResults pages shaped as Athena sends them (the header row first on the first page only,
 * every value as text, NULL as a Datum without VarCharValue) and the life of the query.
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryResultsOutput,
  GetQueryResultsCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type AthenaMock = AwsClientStub<AthenaClient>;

export const QUERY_ID = '6b1d1f6e-0000-4000-8000-000000000001';

/** The columns status selects, in its order. */
const COLUMNS = [
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
] as const;

/** One row of `_batches` as the Spark application writes it (counts as numbers, quality as the object it serialises). */
export interface LoggedBatch {
  readonly dataset: string;
  readonly batch_id: string;
  readonly status?: string;
  readonly bronze_rows: number;
  readonly accepted_rows: number;
  readonly quarantined_rows: number;
  readonly quality?: Record<string, number>;
  /** Athena's text, e.g. `2026-11-28 02:00:00.000000 UTC`. */
  readonly ingested_at?: string;
  readonly processed_at?: string;
  readonly run_id?: string;
}

/** A row of raw values, for rows the application would never write. */
export type RawRow = Readonly<Partial<Record<(typeof COLUMNS)[number], string>>>;

function text(batch: LoggedBatch): RawRow {
  return {
    dataset: batch.dataset,
    batch_id: batch.batch_id,
    status: batch.status ?? 'accepted',
    bronze_rows: String(batch.bronze_rows),
    accepted_rows: String(batch.accepted_rows),
    quarantined_rows: String(batch.quarantined_rows),
    quality: JSON.stringify(batch.quality ?? {}),
    ingested_at: batch.ingested_at ?? '2026-11-28 01:00:00.000000 UTC',
    processed_at: batch.processed_at ?? '2026-11-28 02:00:00.000000 UTC',
    run_id: batch.run_id ?? 'run-1',
  };
}

/** A GetQueryResults page; `first` adds the header row Athena puts before the data of a SELECT. */
export function resultsPage(rows: readonly (LoggedBatch | RawRow)[], options: { first?: boolean; nextToken?: string } = {}): GetQueryResultsOutput {
  const raw = rows.map((row) => ('bronze_rows' in row && typeof row.bronze_rows === 'number' ? text(row as LoggedBatch) : (row as RawRow)));
  const data = raw.map((row) => ({ Data: COLUMNS.map((column) => (row[column] === undefined ? {} : { VarCharValue: row[column] })) }));
  const header = { Data: COLUMNS.map((column) => ({ VarCharValue: column })) };
  return {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: COLUMNS.map((column) => ({ Name: column, Label: column, Type: 'varchar' })) },
      Rows: options.first === false ? data : [header, ...data],
    },
    NextToken: options.nextToken,
  };
}

/** The query starts, is RUNNING for `runningPolls` polls, then ends in `state` (with `reason` when it did not succeed). */
export function queryLife(athena: AthenaMock, state: QueryExecutionState = 'SUCCEEDED', reason?: string, runningPolls = 1): void {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
  let polls = 0;
  athena.on(GetQueryExecutionCommand).callsFake(() => ({
    QueryExecution: {
      QueryExecutionId: QUERY_ID,
      Status: polls++ < runningPolls ? { State: 'RUNNING' } : { State: state, StateChangeReason: reason },
    },
  }));
}

/** The batch log holds `batches` (one page). */
export function batchLogHolds(athena: AthenaMock, batches: readonly (LoggedBatch | RawRow)[]): void {
  queryLife(athena);
  athena.on(GetQueryResultsCommand).resolves(resultsPage(batches));
}

/** No Spark run has written the batch log: Athena does not find the table (the first poll says so: no wait). */
export function noBatchLog(athena: AthenaMock): void {
  queryLife(athena, 'FAILED', "TABLE_NOT_FOUND: line 5:8: Table 'awsdatacatalog.acme_dev_silver._batches' does not exist", 0);
}
