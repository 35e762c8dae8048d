import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { type Dependencies, handle, type ProxyEvent } from '../../../../../constructs/aws/functions/gold-api/handler';
import type { GoldApiConfig } from '../../../../../constructs/aws/functions/gold-api/requests';

const CONFIG: GoldApiConfig = {
  workgroup: 'acme-dev-queries',
  maxPageSize: 500,
  defaultPageSize: 100,
  tables: {
    orders: {
      database: 'acme_dev_gold',
      table: 'orders',
      filters: { order_id: 'bigint', order_status: 'string', ordered_at: 'timestamp', order_total: 'decimal(18,2)' },
    },
    products: { database: 'acme_dev_gold', table: 'products', filters: { product_id: 'string' } },
  },
};
const QUERY_ID = '0b7c3f3e-8d2a-4a57-9d6f-2f7f4ab1c001';
const athena = mockClient(AthenaClient);
const context = { getRemainingTimeInMillis: () => 30_000 };
let sleeps: number[];
let deps: Dependencies;

beforeEach(() => {
  athena.reset();
  sleeps = [];
  deps = { athena: new AthenaClient({ region: 'eu-west-1' }), config: CONFIG, sleep: async (ms) => void sleeps.push(ms) };
});

function post(table: string, body: unknown): ProxyEvent {
  return {
    httpMethod: 'POST',
    resource: '/tables/{table}/queries',
    pathParameters: { table },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function get(table: string, queryId: string, query: Record<string, string> = {}): ProxyEvent {
  return { httpMethod: 'GET', resource: '/tables/{table}/queries/{queryId}', pathParameters: { table, queryId }, queryStringParameters: query };
}

function execution(state: string, query = 'SELECT * FROM "acme_dev_gold"."orders" WHERE "order_id" = CAST(? AS bigint)', workgroup = CONFIG.workgroup) {
  return { QueryExecution: { QueryExecutionId: QUERY_ID, Query: query, WorkGroup: workgroup, Status: { State: state, StateChangeReason: 'boom' } } } as any;
}

const RESULTS = {
  ResultSet: {
    ResultSetMetadata: {
      ColumnInfo: [
        { Name: 'order_id', Type: 'bigint' },
        { Name: 'order_status', Type: 'varchar' },
      ],
    },
    Rows: [{ Data: [{ VarCharValue: 'order_id' }, { VarCharValue: 'order_status' }] }, { Data: [{ VarCharValue: '42' }, {}] }],
  },
  NextToken: 'AbC123==',
} as any;

async function body(event: ProxyEvent) {
  const result = await handle(event, context, deps);
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

describe('gold API handler', () => {
  test('starts a parameterised query in the workgroup and answers with the first page when it succeeds in time', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING')).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(RESULTS);

    const { status, body: answer } = await body(post('orders', { filters: { order_id: 42, order_status: "x' OR '1'='1" }, pageSize: 10 }));

    expect(status).toBe(200);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toEqual({
      QueryString: 'SELECT * FROM "acme_dev_gold"."orders" WHERE "order_id" = CAST(? AS bigint) AND "order_status" = CAST(? AS string)',
      WorkGroup: 'acme-dev-queries',
      ExecutionParameters: ["'42'", "'x'' OR ''1''=''1'"],
    });
    expect(athena.commandCalls(GetQueryResultsCommand)[0].args[0].input).toEqual({ QueryExecutionId: QUERY_ID, MaxResults: 11, NextToken: undefined });
    expect(answer).toEqual({
      queryId: QUERY_ID,
      state: 'SUCCEEDED',
      columns: [
        { name: 'order_id', type: 'bigint' },
        { name: 'order_status', type: 'varchar' },
      ],
      rows: [{ order_id: '42', order_status: null }],
      nextToken: 'AbC123==',
      poll: `/tables/orders/queries/${QUERY_ID}`,
    });
    expect(sleeps).toEqual([250]);
  });

  test('answers 202 with the query id when the query outlasts the wait, backing off up to 2 seconds', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));

    const { status, body: answer } = await body(post('products', {}));

    expect(status).toBe(202);
    expect(answer).toEqual({ queryId: QUERY_ID, state: 'RUNNING', poll: `/tables/products/queries/${QUERY_ID}` });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toEqual({
      QueryString: 'SELECT * FROM "acme_dev_gold"."products"',
      WorkGroup: 'acme-dev-queries',
    });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    expect(Math.max(...sleeps)).toBe(2_000);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  test('waits less when the function has less time left', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('QUEUED'));
    const result = await handle(post('products', {}), { getRemainingTimeInMillis: () => 4_000 }, deps);
    expect(result.statusCode).toBe(202);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_000);
  });

  test('filters on a range with both ends as parameters, timestamps in Athena literal form', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    await handle(post('orders', { filters: { ordered_at: { from: '2026-01-01T00:00:00', to: '2026-01-31' }, order_total: { from: '10.5' } } }), context, deps);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toMatchObject({
      QueryString:
        'SELECT * FROM "acme_dev_gold"."orders" WHERE "order_total" >= CAST(? AS decimal(18,2)) AND "ordered_at" >= CAST(? AS timestamp) ' +
        'AND "ordered_at" <= CAST(? AS timestamp)',
      ExecutionParameters: ["'10.5'", "'2026-01-01 00:00:00'", "'2026-01-31'"],
    });
  });

  test('answers a poll with the next page, passing the token through', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves({ ...RESULTS, NextToken: undefined });

    const { status, body: answer } = await body(get('orders', QUERY_ID, { pageSize: '2', nextToken: 'AbC123==' }));

    expect(status).toBe(200);
    expect(athena.commandCalls(GetQueryResultsCommand)[0].args[0].input).toEqual({ QueryExecutionId: QUERY_ID, MaxResults: 2, NextToken: 'AbC123==' });
    expect(answer.rows).toEqual([
      { order_id: 'order_id', order_status: 'order_status' },
      { order_id: '42', order_status: null },
    ]);
    expect(answer.nextToken).toBeUndefined();
  });

  test('answers a poll of a running query with 202, and of a failed one with 502 and the reason', async () => {
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING')).resolves(execution('FAILED'));
    expect(await body(get('orders', QUERY_ID))).toEqual({
      status: 202,
      body: { queryId: QUERY_ID, state: 'RUNNING', poll: `/tables/orders/queries/${QUERY_ID}` },
    });
    expect(await body(get('orders', QUERY_ID))).toEqual({ status: 502, body: { queryId: QUERY_ID, state: 'FAILED', reason: 'boom' } });
  });

  test("does not answer a query id on another table's route, or of another workgroup", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('SUCCEEDED'))
      .resolves(execution('SUCCEEDED', 'SELECT * FROM "acme_dev_gold"."products"', 'primary'));
    expect(await body(get('products', QUERY_ID))).toEqual({ status: 404, body: { message: `query ${QUERY_ID} is not a query of table products` } });
    expect((await body(get('products', QUERY_ID))).status).toBe(404);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  test('answers an unknown query id with 404', async () => {
    athena.on(GetQueryExecutionCommand).rejects(Object.assign(new Error('QueryExecution was not found'), { name: 'InvalidRequestException' }));
    expect((await body(get('orders', QUERY_ID))).status).toBe(404);
  });

  test('answers 500 without details when Athena fails unexpectedly', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    athena.on(StartQueryExecutionCommand).rejects(new Error('throttled'));
    const result = await body({ ...post('orders', {}), requestContext: { requestId: 'r-1' } });
    expect(result).toEqual({ status: 500, body: { message: 'internal error', requestId: 'r-1' } });
    expect(error).toHaveBeenCalledWith(expect.stringContaining('throttled'));
    error.mockRestore();
  });

  test.each<[string, ProxyEvent, number, string]>([
    ['an unknown table', post('customers', {}), 404, 'table "customers" is not exposed by this API; tables: orders, products'],
    ['a table name that is SQL', post('orders"; DROP TABLE x; --', {}), 404, 'is not exposed by this API'],
    [
      'a column that is not allow-listed',
      post('orders', { filters: { customer_email: 'a@b.c' } }),
      400,
      'filters.customer_email: not a column this table may be filtered on; columns: order_id, order_status, order_total, ordered_at',
    ],
    ['a column name carrying SQL', post('orders', { filters: { 'order_id" = 1 OR "1': '1' } }), 400, 'not a column this table may be filtered on'],
    [
      'SQL in a number parameter',
      post('orders', { filters: { order_id: '1 OR 1=1' } }),
      400,
      'filters.order_id "1 OR 1=1" must be a whole number (column order_id is bigint)',
    ],
    ['SQL in a timestamp parameter', post('orders', { filters: { ordered_at: "2026-01-01' OR '1'='1" } }), 400, 'must be a timestamp'],
    ['a control character in a string parameter', post('orders', { filters: { order_status: 'paid\u0000' } }), 400, 'must be text without control characters'],
    ['an over-long parameter', post('orders', { filters: { order_status: 'x'.repeat(257) } }), 400, 'filters.order_status is 257 characters long; at most 256'],
    ['an array parameter', post('orders', { filters: { order_id: [1, 2] } }), 400, 'filters.order_id must be a string, number or boolean, not [1,2]'],
    ['a range with an unknown bound', post('orders', { filters: { order_id: { from: 1, below: 3 } } }), 400, 'filters.order_id must be a value or a range'],
    ['an oversized page', post('orders', { pageSize: 501 }), 400, 'pageSize 501 must be a whole number from 1 to 500'],
    ['a page size of zero', get('orders', QUERY_ID, { pageSize: '0' }), 400, 'pageSize "0" must be a whole number from 1 to 500'],
    ['a fractional page size', post('orders', { pageSize: 2.5 }), 400, 'pageSize 2.5 must be a whole number'],
    ['a body that is not JSON', post('orders', 'filters=1'), 400, 'the request body must be JSON'],
    ['a body with an unknown field', post('orders', { sql: 'SELECT 1' }), 400, 'unknown field "sql" in the request body; fields: filters, pageSize'],
    ['filters that are not an object', post('orders', { filters: 'order_id = 1' }), 400, 'filters must be an object of column: value'],
    ['a bad query id', get('orders', "1' OR '1'='1"), 400, "query id \"1' OR '1'='1\" must be the queryId a POST returned (a lowercase UUID)"],
    ['a tampered page token', get('orders', QUERY_ID, { nextToken: 'abc; DROP' }), 400, 'nextToken must be the nextToken of the previous page, unchanged'],
    [
      'an unknown route',
      { httpMethod: 'DELETE', resource: '/tables/{table}/queries/{queryId}' },
      404,
      'DELETE /tables/{table}/queries/{queryId} is not a route of this API',
    ],
  ])('refuses %s without calling Athena', async (_, event, status, message) => {
    const result = await body(event);
    expect(result.status).toBe(status);
    expect(result.body.message).toContain(message);
    expect(athena.calls()).toHaveLength(0);
  });
});
