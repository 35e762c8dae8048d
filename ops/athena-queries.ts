import { randomUUID } from 'node:crypto';
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { Clock } from './clock';
import { CallAbortedError, type RetryOptions, withRetry } from './retry';
import { waitForAll } from './wait';
import type { WorkStatus } from './work-status';

/**
 * One Athena query, start → poll → results: started in a workgroup (whose enforced configuration
 * decides where the results go and how they are encrypted), polled until it ends or the deadline
 * passes, then read page by page. Every call goes through withRetry; StartQueryExecution carries a
 * ClientRequestToken, which makes a retried start return the same query instead of a second one.
 */

/** A SQL identifier for Athena's engine (Trino): double-quoted, any double quote doubled. */
export function athenaIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A text value for ExecutionParameters. Athena substitutes each parameter as a SQL literal (like
 * `EXECUTE ... USING 'usa'`), so text goes in single quotes, with any single quote doubled.
 */
export function athenaTextParameter(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface AthenaQuery {
  /** The statement, with a `?` (allowed in WHERE clauses only) for each of `parameters`, in order. */
  readonly sql: string;
  /** ExecutionParameters: SQL literals (see athenaTextParameter). */
  readonly parameters: readonly string[];
  readonly workgroup: string;
  /** Database of the names the statement does not qualify. */
  readonly database: string;
  /** @default AwsDataCatalog (the Glue Data Catalog of the account) */
  readonly catalog?: string;
}

export interface AthenaQueryOptions {
  readonly clock: Clock;
  /** Time between two GetQueryExecution calls. */
  readonly pollIntervalMs: number;
  /** Epoch milliseconds after which waiting stops with outcome "timeout"; the query keeps running in Athena. */
  readonly deadline?: number;
  /** Retries of each call; its `signal` abandons a call in flight (e.g. one that has not answered by the deadline). */
  readonly retry?: RetryOptions;
  /** Rows asked for per GetQueryResults call. @default 1000 (Athena's most) */
  readonly pageSize?: number;
}

/** A result row by column name; undefined for NULL. */
export type AthenaRow = Readonly<Record<string, string | undefined>>;

export type AthenaQueryResult =
  | { readonly outcome: 'succeeded'; readonly queryId: string; readonly rows: readonly AthenaRow[] }
  /** Athena ran the query and it FAILED (or was CANCELLED): `reason` is its StateChangeReason (e.g. `TABLE_NOT_FOUND: ...`). */
  | { readonly outcome: 'failed'; readonly queryId: string; readonly state: string; readonly reason: string }
  /** The deadline passed first; `state` is the last one seen (QUEUED, RUNNING). */
  | { readonly outcome: 'timeout'; readonly queryId: string; readonly state: string };

const ATHENA = 'Athena';

function queryStatus(workgroup: string, execution: QueryExecution | undefined, queryId: string): WorkStatus {
  const status = execution?.Status;
  return {
    kind: 'athena-query',
    name: workgroup,
    id: queryId,
    state: status?.State ?? 'UNKNOWN',
    startedAt: status?.SubmissionDateTime,
    endedAt: status?.CompletionDateTime,
    error: status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage,
  };
}

async function queryExecution(athena: AthenaClient, workgroup: string, queryId: string, retry: RetryOptions): Promise<WorkStatus> {
  const { QueryExecution } = await withRetry(
    (signal) => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: signal }),
    'read',
    retry,
    { service: ATHENA, operation: 'GetQueryExecution' },
  );
  return queryStatus(workgroup, QueryExecution, queryId);
}

/** The rows of a query that SUCCEEDED, every page, without the header row Athena puts first for a SELECT. */
async function queryRows(athena: AthenaClient, queryId: string, pageSize: number, retry: RetryOptions): Promise<AthenaRow[]> {
  const rows: AthenaRow[] = [];
  let columns: string[] | undefined;
  let nextToken: string | undefined;
  let first = true;
  do {
    const page: GetQueryResultsOutput = await withRetry(
      (signal) => athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: pageSize, NextToken: nextToken }), { abortSignal: signal }),
      'read',
      retry,
      { service: ATHENA, operation: 'GetQueryResults' },
    );
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? column.Label ?? '');
    const names = columns;
    const values = (page.ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((datum) => datum.VarCharValue));
    const isHeader = (row: (string | undefined)[]) => row.length === names.length && row.every((value, index) => value === names[index]);
    const data = first && values.length > 0 && isHeader(values[0]) ? values.slice(1) : values;
    rows.push(...data.map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]]))));
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return rows;
}

/**
 * Runs `query` and returns its rows, or how it ended without them (failed in Athena, or still running
 * at the deadline). A call that fails after its retries throws (see withRetry); so does one abandoned
 * through the retry signal, except at or after the deadline, which is a timeout.
 */
export async function runAthenaQuery(athena: AthenaClient, query: AthenaQuery, options: AthenaQueryOptions): Promise<AthenaQueryResult> {
  const retry: RetryOptions = { clock: options.clock, ...options.retry };
  // The same token on every attempt: a start whose answer was lost returns the same query when retried.
  const token = randomUUID();
  const { QueryExecutionId: queryId } = await withRetry(
    (signal) =>
      athena.send(
        new StartQueryExecutionCommand({
          QueryString: query.sql,
          ...(query.parameters.length > 0 ? { ExecutionParameters: [...query.parameters] } : {}),
          WorkGroup: query.workgroup,
          QueryExecutionContext: { Catalog: query.catalog ?? 'AwsDataCatalog', Database: query.database },
          ClientRequestToken: token,
        }),
        { abortSignal: signal },
      ),
    'read',
    retry,
    { service: ATHENA, operation: 'StartQueryExecution' },
  );
  if (!queryId) throw new Error(`Athena StartQueryExecution in workgroup ${query.workgroup} returned no QueryExecutionId`);
  const started: WorkStatus = { kind: 'athena-query', name: query.workgroup, id: queryId, state: 'QUEUED' };
  let last = started;
  let ended;
  try {
    ended = await waitForAll([started], (status) => queryExecution(athena, query.workgroup, status.id as string, retry), {
      clock: options.clock,
      pollIntervalMs: options.pollIntervalMs,
      deadline: options.deadline,
      onUpdate: ([status]) => (last = status),
    });
  } catch (error) {
    if (error instanceof CallAbortedError && options.deadline !== undefined && options.clock.now() >= options.deadline) {
      return { outcome: 'timeout', queryId, state: last.state };
    }
    throw error;
  }
  const [status] = ended.statuses;
  if (ended.outcome !== 'finished') return { outcome: 'timeout', queryId, state: status.state };
  if (status.state !== 'SUCCEEDED') return { outcome: 'failed', queryId, state: status.state, reason: status.error ?? '(Athena gave no reason)' };
  return { outcome: 'succeeded', queryId, rows: await queryRows(athena, queryId, options.pageSize ?? 1000, retry) };
}
