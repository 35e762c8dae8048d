import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { exposedTable, type GoldApiConfig, nextToken, pageSize, parseConfig, plannedQuery, queryId, RequestError, selectFrom } from './requests';

/**
 * The gold API's Lambda function (API Gateway REST, proxy integration): runs allow-listed, parameterised
 * Athena queries on the exposed gold tables in the environment's enforced workgroup.
 *
 *   POST /tables/{table}/queries          { "filters": { ... }, "pageSize": 100 }
 *        -> 200 with the first page when the query ends within the wait, else 202 with its queryId
 *   GET  /tables/{table}/queries/{queryId}?pageSize=100&nextToken=...
 *        -> 202 while it runs, 200 with a page of rows (and nextToken while more remain) once it succeeded
 *
 * Requests the caller got wrong get 400 or 404 with the reason; a failed query 502 with Athena's reason.
 */

/** The event of an API Gateway REST proxy integration, as far as the function reads it. */
export interface ProxyEvent {
  readonly httpMethod: string;
  readonly resource: string;
  readonly pathParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly requestId?: string };
}

export interface ProxyResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the function needs from Lambda's context: how long it may still run. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** How long a POST waits for its query before answering 202: well inside API Gateway's 29-second integration timeout. */
export const WAIT_FOR_QUERY_MS = 20_000;
/** Time kept back from the function's own timeout to read the first page and answer. */
const ANSWER_RESERVE_MS = 3_000;
/** Largest request body accepted: filters on at most a few columns. */
const MAX_BODY_BYTES = 16 * 1024;
/** Athena returns at most this many rows per GetQueryResults call. */
const ATHENA_MAX_RESULTS = 1000;

export const QUERIES_RESOURCE = '/tables/{table}/queries';
export const QUERY_RESOURCE = '/tables/{table}/queries/{queryId}';

const RUNNING_STATES = new Set(['QUEUED', 'RUNNING']);

export interface Dependencies {
  readonly athena: AthenaClient;
  readonly config: GoldApiConfig;
  readonly sleep: (ms: number) => Promise<void>;
}

let defaults: Dependencies | undefined;

/** The Lambda entry point. */
export async function handler(event: ProxyEvent, context: InvocationContext): Promise<ProxyResult> {
  defaults ??= {
    athena: new AthenaClient({}),
    config: parseConfig(process.env.GOLD_API_CONFIG),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return handle(event, context, defaults);
}

/** The request handling, with its dependencies passed in (tests pass a mocked client and no sleep). */
export async function handle(event: ProxyEvent, context: InvocationContext, deps: Dependencies): Promise<ProxyResult> {
  try {
    if (event.httpMethod === 'POST' && event.resource === QUERIES_RESOURCE) return await startQuery(event, context, deps);
    if (event.httpMethod === 'GET' && event.resource === QUERY_RESOURCE) return await queryStatus(event, deps);
    throw new RequestError(`${event.httpMethod} ${event.resource} is not a route of this API; routes: POST ${QUERIES_RESOURCE}, GET ${QUERY_RESOURCE}`, 404);
  } catch (error) {
    if (error instanceof RequestError) return json(error.statusCode, { message: error.message });
    console.error(JSON.stringify({ requestId: event.requestContext?.requestId, error: String(error) }));
    return json(500, { message: 'internal error', requestId: event.requestContext?.requestId });
  }
}

function requestBody(event: ProxyEvent): Record<string, unknown> {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new RequestError(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError('the request body must be JSON: { "filters": { "<column>": <value> }, "pageSize": <n> }');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError('the request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => key !== 'filters' && key !== 'pageSize');
  if (unknown.length > 0) throw new RequestError(`unknown field ${JSON.stringify(unknown[0].slice(0, 64))} in the request body; fields: filters, pageSize`);
  return body as Record<string, unknown>;
}

async function startQuery(event: ProxyEvent, context: InvocationContext, deps: Dependencies): Promise<ProxyResult> {
  const tableName = event.pathParameters?.table;
  const table = exposedTable(deps.config, tableName);
  const body = requestBody(event);
  const size = pageSize(deps.config, body.pageSize);
  const query = plannedQuery(table, body.filters);
  const started = await deps.athena.send(
    new StartQueryExecutionCommand({
      QueryString: query.sql,
      WorkGroup: deps.config.workgroup,
      ...(query.parameters.length > 0 && { ExecutionParameters: [...query.parameters] }),
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena started no query (no QueryExecutionId)');
  const deadline = Math.min(WAIT_FOR_QUERY_MS, context.getRemainingTimeInMillis() - ANSWER_RESERVE_MS);
  let waited = 0;
  let interval = 250;
  for (;;) {
    const execution = await queryExecution(deps, id);
    const state = execution.Status?.State ?? 'QUEUED';
    if (!RUNNING_STATES.has(state) || waited + interval > deadline) return answer(deps, tableName as string, id, execution, size, undefined);
    await deps.sleep(interval);
    waited += interval;
    interval = Math.min(interval * 2, 2_000);
  }
}

async function queryStatus(event: ProxyEvent, deps: Dependencies): Promise<ProxyResult> {
  const tableName = event.pathParameters?.table;
  const table = exposedTable(deps.config, tableName);
  const id = queryId(event.pathParameters?.queryId);
  const size = pageSize(deps.config, event.queryStringParameters?.pageSize);
  const token = nextToken(event.queryStringParameters?.nextToken);
  let execution: QueryExecution;
  try {
    execution = await queryExecution(deps, id);
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidRequestException') throw notFound(id, tableName as string);
    throw error;
  }
  // A query id is answered only on its own table's route, so a caller allowed one table cannot read another's results.
  if (execution.WorkGroup !== deps.config.workgroup || !execution.Query?.startsWith(selectFrom(table))) throw notFound(id, tableName as string);
  return answer(deps, tableName as string, id, execution, size, token);
}

function notFound(id: string, table: string): RequestError {
  return new RequestError(`query ${id} is not a query of table ${table}`, 404);
}

async function queryExecution(deps: Dependencies, id: string): Promise<QueryExecution> {
  const output = await deps.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
  if (!output.QueryExecution) throw new Error(`Athena returned no execution for query ${id}`);
  return output.QueryExecution;
}

async function answer(deps: Dependencies, table: string, id: string, execution: QueryExecution, size: number, token: string | undefined): Promise<ProxyResult> {
  const state = execution.Status?.State ?? 'QUEUED';
  const poll = `/tables/${table}/queries/${id}`;
  if (RUNNING_STATES.has(state)) return json(202, { queryId: id, state, poll });
  if (state !== 'SUCCEEDED') return json(502, { queryId: id, state, reason: execution.Status?.StateChangeReason ?? 'the query did not succeed' });
  // The first page of a SELECT starts with the header row: ask for one more row and drop it.
  const first = token === undefined;
  const results: GetQueryResultsCommandOutput = await deps.athena.send(
    new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: Math.min(first ? size + 1 : size, ATHENA_MAX_RESULTS) }),
  );
  const columns = (results.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => ({ name: column.Name ?? '', type: column.Type ?? '' }));
  const rows = (results.ResultSet?.Rows ?? [])
    .slice(first ? 1 : 0)
    .map((row) => Object.fromEntries(columns.map((column, index) => [column.name, row.Data?.[index]?.VarCharValue ?? null])));
  return json(200, { queryId: id, state, columns, rows, ...(results.NextToken && { nextToken: results.NextToken, poll }) });
}

function json(statusCode: number, body: unknown): ProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}
