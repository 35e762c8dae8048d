/**
 * `platform status` on AWS, the reconciliation: the latest batch of each dataset from the Spark batch
 * log `<silver db>._batches`, read with one Athena query (start, poll, page through the results).
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { GetJobRunsCommand, GlueClient } from '@aws-sdk/client-glue';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { athenaIdentifier, athenaTextParameter } from '../../ops/athena-queries';
import { athenaTimestamp, batchOf } from '../../ops/batch-log';
import { reconciliationText } from '../../ops/pipeline-results';
import { batchLogHolds, type LoggedBatch, noBatchLog, QUERY_ID, queryLife, resultsPage } from './fake-athena';
import { awsError, FakeClock, runCli } from './harness';

const glueMock = mockClient(GlueClient);
const emrMock = mockClient(EMRClient);
const sfnMock = mockClient(SFNClient);
const athenaMock = mockClient(AthenaClient);

const SALES = ['customers', 'orders', 'order_items', 'products', 'exchange_rates'];
const MARKETING = ['web_events', 'campaigns', 'newsletter_signups'];
const COLUMNS = '"dataset", "batch_id", "status", "bronze_rows", "accepted_rows", "quarantined_rows", "quality", "ingested_at", "processed_at", "run_id"';

function expectedQuery(datasets: number): string {
  return [
    `SELECT ${COLUMNS}`,
    'FROM (',
    `  SELECT ${COLUMNS},`,
    '    row_number() OVER (PARTITION BY "dataset" ORDER BY "processed_at" DESC NULLS LAST, "ingested_at" DESC NULLS LAST, "batch_id" DESC) AS "newest"',
    '  FROM "acme_dev_silver"."_batches"',
    `  WHERE "dataset" IN (${Array(datasets).fill('?').join(', ')})`,
    ')',
    'WHERE "newest" = 1',
  ].join('\n');
}

const CLEAN: LoggedBatch = { dataset: 'customers', batch_id: 'jr_customers_2', bronze_rows: 120, accepted_rows: 120, quarantined_rows: 0 };
const WITH_REJECTS: LoggedBatch = {
  dataset: 'orders',
  batch_id: 'jr_orders_7',
  bronze_rows: 100,
  accepted_rows: 97,
  quarantined_rows: 3,
  quality: { 'customer_id is null (not_null rule)': 2, 'order_total outside range >= 0': 1 },
  processed_at: '2026-11-28 02:30:00.000000 UTC',
};
const REJECTED_LOAD: LoggedBatch = {
  dataset: 'campaigns',
  batch_id: 'jr_campaigns_3',
  status: 'rejected',
  bronze_rows: 0,
  accepted_rows: 0,
  quarantined_rows: 0,
  quality: { 'load has fewer accepted rows than the row_count minimum 1': 0 },
};

/** The lines of the per-dataset table, by dataset. */
function batchLines(stdout: string): Map<string, string> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^PIPELINE +DATASET /.test(line));
  if (header < 0) throw new Error(`no batch table in:\n${stdout}`);
  const rows = [];
  for (let i = header + 1; i < lines.length && lines[i] !== ''; i++) rows.push(lines[i]);
  return new Map(rows.map((line) => [line.split(/ +/)[1], line]));
}

beforeEach(() => {
  for (const mock of [glueMock, emrMock, sfnMock, athenaMock]) mock.reset();
  glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
  emrMock.on(ListClustersCommand).resolves({ Clusters: [] });
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
});

describe('platform status: the reconciliation from the batch log', () => {
  test('runs one query in the environment workgroup: quoted identifiers, every dataset of every pipeline as a parameter', async () => {
    noBatchLog(athenaMock);
    expect((await runCli(['status', '--env', 'dev'])).code).toBe(0);
    const starts = athenaMock.commandCalls(StartQueryExecutionCommand);
    expect(starts).toHaveLength(1);
    const { ClientRequestToken, ...input } = starts[0].args[0].input;
    expect(input).toEqual({
      QueryString: expectedQuery(8),
      ExecutionParameters: [...SALES, ...MARKETING].map((name) => `'${name}'`),
      WorkGroup: 'acme-dev-analytics',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'acme_dev_silver' },
    });
    expect(ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);

    athenaMock.resetHistory();
    expect((await runCli(['status', 'marketing', '--env', 'dev'])).code).toBe(0);
    const [marketing] = athenaMock.commandCalls(StartQueryExecutionCommand);
    expect(marketing.args[0].input.QueryString).toBe(expectedQuery(3));
    expect(marketing.args[0].input.ExecutionParameters).toEqual(["'web_events'", "'campaigns'", "'newsletter_signups'"]);
  });

  test('values are SQL literals and identifiers are double-quoted, whatever they hold', () => {
    expect(athenaTextParameter("o'brien")).toBe("'o''brien'");
    expect(athenaTextParameter("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'");
    expect(athenaIdentifier('_batches')).toBe('"_batches"');
    expect(athenaIdentifier('we"ird')).toBe('"we""ird"');
  });

  test('a throttled start is retried with the same ClientRequestToken, so it cannot start a second query', async () => {
    noBatchLog(athenaMock);
    athenaMock.on(StartQueryExecutionCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({ QueryExecutionId: QUERY_ID });
    expect((await runCli(['status', '--env', 'dev'])).code).toBe(0);
    const tokens = athenaMock.commandCalls(StartQueryExecutionCommand).map((call) => call.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
  });

  test('shows the latest batch of every dataset: balanced, with its quarantined rows by reason, and the datasets not processed yet', async () => {
    batchLogHolds(athenaMock, [CLEAN, WITH_REJECTS]);
    const clock = new FakeClock();

    const run = await runCli(['status', '--env', 'dev'], { clock });

    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toMatch(/^sales +- +NO_RUNS +- +- +- +balanced \(2 datasets\); not processed yet: order_items, products, exchange_rates *$/);
    expect(lines[2]).toMatch(/^marketing +- +NO_RUNS +- +- +- +no batch processed yet *$/);
    expect(run.stdout).toMatch(/^PIPELINE +DATASET +LATEST BATCH +STATUS +PROCESSED \(UTC\) +BRONZE = ACCEPTED \+ QUARANTINED +QUARANTINED BY REASON$/m);
    const rows = batchLines(run.stdout);
    expect(rows.get('customers')).toMatch(/^sales +customers +jr_customers_2 +accepted +2026-11-28T02:00:00Z +120 = 120 \+ 0 +-$/);
    expect(rows.get('orders')).toMatch(
      new RegExp(
        String.raw`^sales +orders +jr_orders_7 +accepted +2026-11-28T02:30:00Z +100 = 97 \+ 3 +` +
          String.raw`customer_id is null \(not_null rule\): 2, order_total outside range >= 0: 1$`,
      ),
    );
    expect(rows.get('order_items')).toMatch(/^sales +order_items +none yet +- +- +- +-$/);
    expect(rows.get('web_events')).toMatch(/^marketing +web_events +none yet/);
    expect([...rows.keys()]).toEqual([...SALES, ...MARKETING]);
    expect(run.stdout).not.toContain('reconciliation not');
    // Polled until it ended, then read.
    expect(athenaMock.commandCalls(GetQueryExecutionCommand)).toHaveLength(2);
    expect(clock.sleeps).toEqual([500]);
    expect(athenaMock.commandCalls(GetQueryResultsCommand)[0].args[0].input).toEqual({ QueryExecutionId: QUERY_ID, MaxResults: 1000 });
  });

  test('a batch that does not balance is named, in the table and in the pipeline line; the exit code stays 0', async () => {
    batchLogHolds(athenaMock, [{ ...WITH_REJECTS, accepted_rows: 90 }]);
    const run = await runCli(['status', 'sales', '--env', 'dev']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toContain('DOES NOT BALANCE: orders (bronze 100 != accepted 90 + quarantined 3)');
    expect(batchLines(run.stdout).get('orders')).toContain('100 != 90 + 3 (does not balance)');
  });

  test('a load rejected by a load-level rule shows its status and reason', async () => {
    batchLogHolds(athenaMock, [REJECTED_LOAD]);
    const run = await runCli(['status', 'marketing', '--env', 'dev']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toMatch(
      /balanced \(1 dataset\); load not accepted: campaigns \(rejected\); not processed yet: web_events, newsletter_signups/,
    );
    expect(batchLines(run.stdout).get('campaigns')).toMatch(
      /^marketing +campaigns +jr_campaigns_3 +rejected +2026-11-28T02:00:00Z +0 = 0 \+ 0 +load has fewer accepted rows than the row_count minimum 1: 0$/,
    );
  });

  test('pages through the results: the header row only on the first page, NextToken to the end', async () => {
    queryLife(athenaMock);
    athenaMock
      .on(GetQueryResultsCommand)
      .resolvesOnce(resultsPage([CLEAN], { nextToken: 'page-2' }))
      .resolvesOnce(resultsPage([WITH_REJECTS], { first: false, nextToken: 'page-3' }))
      .resolvesOnce(resultsPage([REJECTED_LOAD], { first: false }));
    const json = JSON.parse((await runCli(['status', '--env', 'dev', '--json'])).stdout);
    const pages = athenaMock.commandCalls(GetQueryResultsCommand).map((call) => call.args[0].input.NextToken);
    expect(pages).toEqual([undefined, 'page-2', 'page-3']);
    expect(json.pipelines.map((entry: any) => entry.reconciliation.batches.map((batch: any) => batch.dataset))).toEqual([
      ['customers', 'orders'],
      ['campaigns'],
    ]);
  });

  test('--json: each pipeline its batches and unprocessed datasets, the read of the log and the exit code', async () => {
    batchLogHolds(athenaMock, [CLEAN, WITH_REJECTS]);
    const json = JSON.parse((await runCli(['status', 'sales', '--env', 'dev', '--json'])).stdout);
    expect(json.exitCode).toBe(0);
    expect(json.batchLog).toEqual({
      source: 'acme_dev_silver._batches',
      table: 'acme_dev_silver._batches',
      workgroup: 'acme-dev-analytics',
      queryId: QUERY_ID,
      outcome: 'read',
      exitCode: 0,
    });
    expect(json.pipelines[0].reconciliation).toEqual({
      recorded: true,
      source: 'acme_dev_silver._batches',
      balanced: true,
      unprocessed: ['order_items', 'products', 'exchange_rates'],
      batches: [
        {
          dataset: 'customers',
          batchId: 'jr_customers_2',
          status: 'accepted',
          bronze: 120,
          accepted: 120,
          quarantined: 0,
          balanced: true,
          quarantineReasons: {},
          ingestedAt: '2026-11-28T01:00:00.000Z',
          processedAt: '2026-11-28T02:00:00.000Z',
          runId: 'run-1',
        },
        expect.objectContaining({
          dataset: 'orders',
          bronze: 100,
          accepted: 97,
          quarantined: 3,
          balanced: true,
          quarantineReasons: { 'customer_id is null (not_null rule)': 2, 'order_total outside range >= 0': 1 },
        }),
      ],
    });
  });

  test('no Spark run yet (no such table): "not recorded yet", exit 0', async () => {
    noBatchLog(athenaMock);
    const run = await runCli(['status', '--env', 'dev']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toMatch(/^sales +- +NO_RUNS +- +- +- +not recorded yet *$/);
    expect(run.stdout).not.toMatch(/^PIPELINE +DATASET /m);
    expect(run.stdout).toContain('\nreconciliation not recorded yet: no Spark run has written acme_dev_silver._batches (Athena found no such table');

    const json = JSON.parse((await runCli(['status', '--env', 'dev', '--json'])).stdout);
    expect(json.exitCode).toBe(0);
    expect(json.batchLog).toMatchObject({ outcome: 'not-written-yet', queryId: QUERY_ID });
    expect(json.pipelines[0].reconciliation).toEqual({
      recorded: false,
      summary: 'not recorded yet',
      reason: expect.stringMatching(/^not recorded yet: no Spark run has written acme_dev_silver\._batches/),
    });
  });

  test('access denied: the rest is shown, the reconciliation names the error, exit 1', async () => {
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejects(
        awsError('AccessDeniedException', 'User: arn:aws:sts::111111111111:assumed-role/oncall/x is not authorized to perform: athena:StartQueryExecution'),
      );
    const run = await runCli(['status', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[1]).toMatch(
      /^sales +- +NO_RUNS +- +- +- +not read: access denied by AWS: User: arn:aws:sts::111111111111:assumed-role\/oncall\/x is not authorized/,
    );
    expect(run.stdout).toContain('EMR cluster acme-dev-spark: none active');
    expect(run.stdout).toContain('reconciliation not read: the batch log acme_dev_silver._batches could not be read: access denied by AWS:');
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);

    const json = JSON.parse((await runCli(['status', '--env', 'dev', '--json'])).stdout);
    expect(json.exitCode).toBe(1);
    expect(json.batchLog).toMatchObject({ outcome: 'failed', exitCode: 1, error: expect.stringContaining('access denied by AWS') });
  });

  test('a query that Lake Formation refuses fails in Athena: its reason is shown, exit 1', async () => {
    queryLife(athenaMock, 'FAILED', 'Insufficient Lake Formation permission(s) on _batches (Service: AmazonDataCatalog; Status Code: 400)');
    const run = await runCli(['status', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[1]).toContain(`not read: Athena query ${QUERY_ID} FAILED: Insufficient Lake Formation permission(s) on _batches`);
    expect(athenaMock.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  test('a query still running at --query-timeout: named with its id, exit 124, the rest still shown', async () => {
    queryLife(athenaMock, 'SUCCEEDED', undefined, Infinity);
    const clock = new FakeClock();
    const run = await runCli(['status', '--env', 'dev', '--query-timeout', '5s'], { clock });
    expect(run.code).toBe(124);
    expect(run.stdout).toContain(
      `reconciliation not read: the batch log acme_dev_silver._batches could not be read: Athena query ${QUERY_ID} was still RUNNING after 5s`,
    );
    expect(run.stdout).toContain('EMR cluster acme-dev-spark');
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(5_000);
    expect((await runCli(['status', '--env', 'dev', '--query-timeout', 'soon'])).stderr).toContain('--query-timeout "soon" is not a duration');
  });

  test('a row that is not what the application writes is named, with the column and the value (exit 1)', async () => {
    batchLogHolds(athenaMock, [{ dataset: 'orders', batch_id: 'jr_1', status: 'accepted', bronze_rows: 'many', accepted_rows: '1', quarantined_rows: '0' }]);
    const run = await runCli(['status', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('acme_dev_silver._batches, dataset orders, batch jr_1: bronze_rows is "many", not a row count');
  });

  test('when the rest of status fails, the query is no longer waited for and that failure is reported', async () => {
    queryLife(athenaMock, 'SUCCEEDED', undefined, Infinity);
    emrMock.on(ListClustersCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: elasticmapreduce:ListClusters'));
    const run = await runCli(['status', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('platform: access denied by AWS: not authorized to perform: elasticmapreduce:ListClusters\n');
    expect(athenaMock.commandCalls(GetQueryExecutionCommand).length).toBeLessThan(5);
  });
});

describe('batch log rows', () => {
  const table = 'acme_dev_silver._batches';

  test('timestamps as Athena prints them, with or without a time zone, are UTC', () => {
    expect(athenaTimestamp('2026-11-28 02:00:00.123456 UTC')?.toISOString()).toBe('2026-11-28T02:00:00.123Z');
    expect(athenaTimestamp('2026-11-28 02:00:00.000')?.toISOString()).toBe('2026-11-28T02:00:00.000Z');
    expect(athenaTimestamp('2026-11-28T02:00:00Z')?.toISOString()).toBe('2026-11-28T02:00:00.000Z');
    expect(athenaTimestamp('yesterday')).toBeUndefined();
  });

  test('a NULL quality is a clean batch; a quality that is not reason -> rows is refused', () => {
    const row = { dataset: 'orders', batch_id: 'b', status: 'accepted', bronze_rows: '1', accepted_rows: '1', quarantined_rows: '0' };
    expect(batchOf(row, table)).toMatchObject({ quarantineReasons: {}, balanced: true, ingestedAt: undefined });
    expect(() => batchOf({ ...row, quality: '["x"]' }, table)).toThrow(
      'dataset orders, batch b: quality is "[\\"x\\"]", not a JSON object of rejection reason -> rows',
    );
    expect(() => batchOf({ ...row, quality: '{"x": -1}' }, table)).toThrow('quality is "{\\"x\\": -1}"');
    expect(() => batchOf({ ...row, processed_at: 'soon' }, table)).toThrow('processed_at is "soon", not a timestamp');
    expect(() => batchOf({ ...row, status: undefined }, table)).toThrow('status is null, not accepted or rejected');
  });

  test('the one-line summary of a reconciliation that was not read names the error', () => {
    expect(reconciliationText({ recorded: false, summary: 'not read', reason: 'x', error: 'access denied by AWS: no' })).toBe(
      'not read: access denied by AWS: no',
    );
  });
});
