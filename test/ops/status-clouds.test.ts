/**
 * `platform status --cloud azure|databricks` against local fakes of Azure Resource Manager (Data Factory)
 * and of a Databricks workspace on 127.0.0.1, and the --json shape shared with AWS.
 */
import { EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { GetJobRunsCommand, GlueClient } from '@aws-sdk/client-glue';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AthenaClient } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { copyCounts } from '../../ops/azure-status';
import { noBatchLog } from './fake-athena';
import { fakeRest, type FakeRestServer, type FakeRoute, THROTTLED } from './fake-rest';
import { FakeClock, runCli } from './harness';

const FACTORY =
  '/subscriptions/2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b/resourceGroups/rg-acme-dev-ingestion/providers/Microsoft.DataFactory/factories/adf-acme-dev-55d6';
const adf = (rest: string) => new RegExp(`^${FACTORY.replace(/\./g, '\\.')}${rest}$`);

let server: FakeRestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A new fake (the previous one of the test closed first). */
async function serve(routes: FakeRoute[]): Promise<FakeRestServer> {
  await server?.close();
  server = await fakeRest(routes);
  return server;
}

async function azure(args: string[], routes: FakeRoute[], env: Record<string, string> = {}, clock = new FakeClock()) {
  const server = await serve(routes);
  const result = await runCli(['status', ...args, '--cloud', 'azure', '--endpoint', server.url], {
    clock,
    env,
    azureToken: async (scope) => `token-for-${scope}`,
  });
  return { ...result, server };
}

async function databricks(args: string[], routes: FakeRoute[], env: Record<string, string> = {}) {
  const server = await serve(routes);
  const result = await runCli(['status', ...args, '--cloud', 'databricks'], { env: { DATABRICKS_HOST: server.url, DATABRICKS_TOKEN: 'dapi-test', ...env } });
  return { ...result, server };
}

/** The pipeline that a queryPipelineRuns body filters on. */
const filtered = (body: any): string => body.filters[0].values[0];

/** queryPipelineRuns: `runs` by Data Factory pipeline name (the latest first); none for the others. */
function pipelineRuns(runs: Record<string, Array<Record<string, unknown>>>): FakeRoute {
  return ['POST', adf('/queryPipelineRuns'), (request) => ({ body: { value: runs[filtered(request.body)] ?? [] } })];
}

/** queryActivityruns: the activity runs of each pipeline run id. */
function activityRuns(runs: Record<string, Array<Record<string, unknown>>>): FakeRoute {
  return [
    'POST',
    adf('/pipelineruns/[\\w-]+/queryActivityruns'),
    (request) => ({ body: { value: runs[request.url.split('/')[request.url.split('/').length - 2]] ?? [] } }),
  ];
}

const ORDERS_RUN = {
  runId: 'run-orders',
  pipelineName: 'ingest_orders',
  status: 'Succeeded',
  runStart: '2026-11-28T02:00:00Z',
  runEnd: '2026-11-28T02:04:00Z',
};
const CUSTOMERS_RUN = {
  runId: 'run-customers',
  pipelineName: 'ingest_customers',
  status: 'Succeeded',
  runStart: '2026-11-28T01:00:00Z',
  runEnd: '2026-11-28T01:02:00Z',
};
const copy = (dataset: string, output: Record<string, unknown> | undefined, status = 'Succeeded') => ({
  activityName: `copy_${dataset}_to_bronze`,
  activityType: 'Copy',
  status,
  activityRunStart: '2026-11-28T02:01:00Z',
  activityRunEnd: '2026-11-28T02:03:00Z',
  ...(output ? { output } : {}),
});

/** The lines of a table whose header starts with `header`, up to the blank line after it. */
function table(stdout: string, header: RegExp): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => header.test(line));
  if (start < 0) throw new Error(`no table ${header} in:\n${stdout}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('platform status --cloud azure: the Data Factory runs of each dataset', () => {
  test('the latest run of each ingest_<dataset> pipeline, its copy counts as the reconciliation and its fault tolerance as data quality', async () => {
    const { code, stdout, server } = await azure(
      ['sales', '--env', 'dev'],
      [
        pipelineRuns({ ingest_orders: [ORDERS_RUN], ingest_customers: [CUSTOMERS_RUN] }),
        activityRuns({
          'run-orders': [
            copy('orders', { rowsRead: 100, rowsCopied: 97, rowsSkipped: 3, logFilePath: 'bronze/_quarantine/sales/orders/copyactivity-logs/x/run-orders/' }),
          ],
          'run-customers': [copy('customers', { rowsRead: 120, rowsCopied: 120 })],
        }),
      ],
    );
    expect(code).toBe(0);
    const [sales] = table(stdout, /^PIPELINE +LAST RUN /);
    expect(sales).toMatch(/^sales +ingest_orders +Succeeded +2026-11-28T02:00:00Z +4m00s +failed \(orders: 3 of 100 rows incompatible/);
    expect(sales).toContain('balanced (2 datasets); not processed yet: order_items, products, exchange_rates');
    const batches = table(stdout, /^PIPELINE +DATASET +LATEST BATCH/);
    expect(batches[0]).toMatch(/^sales +customers +run-customers +accepted +2026-11-28T02:01:00Z +120 = 120 \+ 0 +-$/);
    expect(batches[1]).toMatch(
      /^sales +orders +run-orders +accepted +2026-11-28T02:01:00Z +100 = 97 \+ 3 +incompatible with the declared columns \(copy fault tolerance\): 3$/,
    );
    const runs = table(stdout, /^PIPELINE +KIND +NAME /);
    expect(runs).toHaveLength(5);
    expect(runs[0]).toMatch(/^sales +adf +ingest_customers +run-customers +Succeeded +2026-11-28T01:00:00Z +2m00s/);
    expect(runs[2]).toMatch(/^sales +adf +ingest_order_items +- +NO_RUNS/);
    expect(stdout).toContain('Data Factory adf-acme-dev-55d6 (resource group rg-acme-dev-ingestion)');
    // One query per dataset pipeline, filtered on its name, newest first, with the ARM token and api-version.
    const queries = server.matching('POST', /queryPipelineRuns$/);
    expect(queries.map((query) => filtered(query.body))).toEqual([
      'ingest_customers',
      'ingest_orders',
      'ingest_order_items',
      'ingest_products',
      'ingest_exchange_rates',
    ]);
    expect(queries[0].body).toMatchObject({
      filters: [{ operand: 'PipelineName', operator: 'Equals', values: ['ingest_customers'] }],
      orderBy: [{ orderBy: 'RunStart', order: 'DESC' }],
    });
    expect(queries[0].url).toBe(`${FACTORY}/queryPipelineRuns?api-version=2018-06-01`);
    expect(queries[0].authorization).toBe('Bearer token-for-https://management.azure.com/.default');
    expect(server.matching('POST', /queryActivityruns$/)).toHaveLength(2);
  });

  test('a batch whose counts do not balance is named; --json has the batch per dataset', async () => {
    const routes = [
      pipelineRuns({ ingest_orders: [ORDERS_RUN] }),
      activityRuns({ 'run-orders': [copy('orders', { rowsRead: 100, rowsCopied: 90, rowsSkipped: 3 })] }),
    ];
    const text = await azure(['sales', '--env', 'dev'], routes);
    expect(table(text.stdout, /^PIPELINE +LAST RUN /)[0]).toContain('DOES NOT BALANCE: orders (bronze 100 != accepted 90 + quarantined 3)');
    await server?.close();
    const json = JSON.parse((await azure(['sales', '--env', 'dev', '--json'], routes)).stdout);
    expect(json.pipelines[0].reconciliation).toEqual({
      recorded: true,
      source: 'Data Factory adf-acme-dev-55d6 copy activity runs',
      balanced: false,
      unprocessed: ['customers', 'order_items', 'products', 'exchange_rates'],
      batches: [
        {
          dataset: 'orders',
          batchId: 'run-orders',
          status: 'accepted',
          bronze: 100,
          accepted: 90,
          quarantined: 3,
          balanced: false,
          quarantineReasons: { 'incompatible with the declared columns (copy fault tolerance)': 3 },
          ingestedAt: '2026-11-28T02:03:00.000Z',
          processedAt: '2026-11-28T02:01:00.000Z',
          runId: 'run-orders',
        },
      ],
    });
    expect(json.batchLog).toEqual({ source: 'Data Factory adf-acme-dev-55d6 copy activity runs', outcome: 'read', exitCode: 0 });
  });

  test('a failed last run names the activity that failed and its error; exit 0, like AWS', async () => {
    const { code, stdout } = await azure(
      ['sales', '--env', 'dev', '--json'],
      [
        pipelineRuns({
          ingest_orders: [{ ...ORDERS_RUN, runId: 'run-failed', status: 'Failed', message: 'Operation on target copy_orders_to_bronze failed' }, ORDERS_RUN],
        }),
        activityRuns({
          'run-failed': [
            { activityName: 'read_watermarks', status: 'Succeeded' },
            {
              ...copy('orders', { rowsRead: 10, rowsCopied: 4, rowsSkipped: 0 }, 'Failed'),
              error: { errorCode: '2200', message: 'ErrorCode=SqlFailedToConnect,Cannot connect to SQL Database' },
            },
          ],
        }),
      ],
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.pipelines[0].lastRun).toMatchObject({ kind: 'adf-pipeline-run', name: 'ingest_orders', id: 'run-failed', state: 'Failed' });
    expect(json.pipelines[0].failure).toEqual({
      state: 'ingest_orders/copy_orders_to_bronze',
      error: '2200',
      cause: 'ErrorCode=SqlFailedToConnect,Cannot connect to SQL Database',
    });
    expect(json.pipelines[0].lastRun.error).toBe('ingest_orders/copy_orders_to_bronze: 2200: ErrorCode=SqlFailedToConnect,Cannot connect to SQL Database');
    // The partial counts of the failed copy are shown as they are, and the load is not accepted.
    expect(json.pipelines[0].reconciliation.batches[0]).toMatchObject({ dataset: 'orders', status: 'failed', bronze: 10, accepted: 4, balanced: false });
    const text = await azure(['sales', '--env', 'dev'], [pipelineRuns({ ingest_orders: [{ ...ORDERS_RUN, status: 'Failed' }] }), activityRuns({})]);
    expect(table(text.stdout, /^PIPELINE +KIND +NAME /)[1]).toMatch(/^sales +adf +ingest_orders +run-orders +Failed .* ingest_orders: Failed$/);
  });

  test('no run yet: NO_RUNS, nothing recorded yet, exit 0', async () => {
    const { code, stdout, server } = await azure(['--env', 'dev'], [pipelineRuns({}), activityRuns({})]);
    expect(code).toBe(0);
    const [sales, marketing] = table(stdout, /^PIPELINE +LAST RUN /);
    expect(sales).toMatch(/^sales +- +NO_RUNS +- +- +- +no batch processed yet *$/);
    expect(marketing).toMatch(/^marketing +- +NO_RUNS +- +- +- +no batch processed yet *$/);
    expect(table(stdout, /^PIPELINE +DATASET /)[0]).toMatch(/^sales +customers +none yet +- +- +- +-$/);
    expect(server.matching('POST', /queryActivityruns$/)).toHaveLength(0);
  });

  test('a copy whose output Data Factory monitoring does not hold (secure output): not recorded, saying why, never a number', async () => {
    const { code, stdout } = await azure(
      ['sales', '--env', 'dev', '--json'],
      [pipelineRuns({ ingest_orders: [ORDERS_RUN] }), activityRuns({ 'run-orders': [copy('orders', undefined)] })],
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.pipelines[0].reconciliation).toEqual({
      recorded: false,
      summary: 'not recorded',
      reason: expect.stringContaining('Data Factory monitoring holds no output of the copy activity of ingest_orders run-orders (a secure output)'),
    });
    expect(json.pipelines[0].dataQuality).toEqual([]);
  });

  test('429 from Resource Manager is retried with backoff', async () => {
    const clock = new FakeClock();
    const { code, server } = await azure(
      ['sales', '--env', 'dev'],
      [
        ['POST', adf('/queryPipelineRuns'), (request, call) => (call === 1 ? THROTTLED : pipelineRuns({ ingest_orders: [ORDERS_RUN] })[2](request, call))],
        ['POST', adf('/pipelineruns/[\\w-]+/queryActivityruns'), (_request, call) => (call === 1 ? THROTTLED : { body: { value: [] } })],
      ],
      {},
      clock,
    );
    expect(code).toBe(0);
    expect(server.matching('POST', /queryPipelineRuns$/)).toHaveLength(6);
    expect(server.matching('POST', /queryActivityruns$/)).toHaveLength(2);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);

    await server.close();
    const throttled = await azure(['sales', '--env', 'dev'], [['POST', adf('/queryPipelineRuns'), () => THROTTLED]], { AWS_MAX_ATTEMPTS: '2' });
    expect(throttled.code).toBe(1);
    expect(throttled.stderr).toContain('Data Factory QueryPipelineRuns was throttled on all 2 attempts');
  });

  test('a factory that is not deployed: exit 1, saying so', async () => {
    const { code, stderr } = await azure(['sales', '--env', 'dev'], []);
    expect(code).toBe(1);
    expect(stderr).toContain('Data Factory adf-acme-dev-55d6 (resource group rg-acme-dev-ingestion) or its pipeline not found');
  });
});

const jobList: FakeRoute = ['GET', /^\/api\/2\.1\/jobs\/list$/, () => ({ body: { jobs: [{ job_id: 42, settings: { name: 'acme-dev-dbt' } }] } })];
const dltList: FakeRoute = ['GET', /^\/api\/2\.0\/pipelines$/, () => ({ body: { statuses: [{ pipeline_id: 'p-1', name: 'acme-dev-dlt-marketing' }] } })];
const dltGet: FakeRoute = [
  'GET',
  /^\/api\/2\.0\/pipelines\/p-1$/,
  () => ({
    body: {
      pipeline_id: 'p-1',
      name: 'acme-dev-dlt-marketing',
      spec: { continuous: true },
      latest_updates: [
        { update_id: 'u-2', state: 'RUNNING', creation_time: '2026-11-28T00:00:00Z' },
        { update_id: 'u-1', state: 'FAILED', creation_time: '2026-11-27T00:00:00Z' },
      ],
    },
  }),
];

function runsList(runs: unknown[]): FakeRoute {
  return ['GET', /^\/api\/2\.1\/jobs\/runs\/list$/, () => ({ body: { runs } })];
}

const task = (key: string, result: string, message?: string, runId = 100) => ({
  task_key: key,
  run_id: runId,
  start_time: Date.UTC(2026, 10, 28, 2, 0),
  end_time: Date.UTC(2026, 10, 28, 2, 10),
  state: { life_cycle_state: 'TERMINATED', result_state: result, ...(message ? { state_message: message } : {}) },
});

const SUCCEEDED_RUN = {
  run_id: 7,
  start_time: Date.UTC(2026, 10, 28, 2, 0),
  end_time: Date.UTC(2026, 10, 28, 2, 30),
  run_page_url: 'https://adb-1.azuredatabricks.net/#job/42/run/7',
  state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' },
  tasks: [task('bronze_tables', 'SUCCESS', undefined, 71), task('dbt_build', 'SUCCESS', undefined, 72)],
};

describe('platform status --cloud databricks: the dbt job and the DLT pipelines', () => {
  test("the dbt job's latest run with its tasks, dbt build's tests as data quality, and the DLT pipeline's latest update", async () => {
    const { code, stdout, server } = await databricks(['--env', 'dev'], [jobList, runsList([SUCCEEDED_RUN]), dltList, dltGet]);
    expect(code).toBe(0);
    const [sales, marketing] = table(stdout, /^PIPELINE +LAST RUN /);
    expect(sales).toMatch(/^sales +acme-dev-dbt +SUCCESS +2026-11-28T02:00:00Z +30m00s +passed \(dbt_build\) +not recorded *$/);
    expect(marketing).toMatch(/^marketing +acme-dev-dbt +SUCCESS /);
    const runs = table(stdout, /^PIPELINE +KIND +NAME /);
    expect(runs).toEqual([
      expect.stringMatching(/^sales +job +acme-dev-dbt +7 +SUCCESS +2026-11-28T02:00:00Z +30m00s/),
      expect.stringMatching(/^sales +task +acme-dev-dbt\/bronze_tables +71 +SUCCESS +2026-11-28T02:00:00Z +10m00s/),
      expect.stringMatching(/^sales +task +acme-dev-dbt\/dbt_build +72 +SUCCESS/),
      expect.stringMatching(/^marketing +job +acme-dev-dbt +7 +SUCCESS/),
      expect.stringMatching(/^marketing +task +acme-dev-dbt\/bronze_tables/),
      expect.stringMatching(/^marketing +task +acme-dev-dbt\/dbt_build/),
      expect.stringMatching(/^marketing +dlt +acme-dev-dlt-marketing +u-2 +RUNNING +2026-11-28T00:00:00Z +3h00m/),
    ]);
    expect(stdout).toContain(`Databricks workspace ${server.url}: job acme-dev-dbt (42) builds every pipeline's silver and gold`);
    expect(stdout).toContain('reconciliation not recorded per batch on Databricks: the bronze_tables task logs only the rows it loads');
    const [list] = server.matching('GET', /jobs\/runs\/list$/);
    expect(list.url).toBe('/api/2.1/jobs/runs/list?job_id=42&limit=1&expand_tasks=true');
    expect(list.authorization).toBe('Bearer dapi-test');
    // The job is read once, however many pipelines it builds.
    expect(server.matching('GET', /jobs\/list$/)).toHaveLength(1);
  });

  test('a failed last run names the task that failed and its message; the failed dbt build is the data-quality result', async () => {
    const failed = {
      ...SUCCEEDED_RUN,
      state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'Task dbt_build failed' },
      tasks: [task('bronze_tables', 'SUCCESS', undefined, 71), task('dbt_build', 'FAILED', 'dbt test failed: not_null_orders_order_id', 72)],
    };
    const { code, stdout } = await databricks(['sales', '--env', 'dev', '--json'], [jobList, runsList([failed])]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.pipelines[0].failure).toEqual({ state: 'acme-dev-dbt/dbt_build', error: 'FAILED', cause: 'dbt test failed: not_null_orders_order_id' });
    expect(json.pipelines[0].lastRun.error).toBe('acme-dev-dbt/dbt_build: FAILED: dbt test failed: not_null_orders_order_id');
    expect(json.pipelines[0].dataQuality).toEqual([{ dataset: 'dbt_build', result: 'failed', failedRules: ['dbt test failed: not_null_orders_order_id'] }]);
    expect(json.entries[2]).toMatchObject({
      kind: 'databricks-task-run',
      name: 'acme-dev-dbt/dbt_build',
      state: 'FAILED',
      error: 'dbt test failed: not_null_orders_order_id',
    });

    await server?.close();
    const upstream = {
      ...failed,
      tasks: [task('bronze_tables', 'FAILED', 'bronze_tables: 1 of 5 datasets failed: orders'), task('dbt_build', 'UPSTREAM_FAILED')],
    };
    const text = await databricks(['sales', '--env', 'dev'], [jobList, runsList([upstream])]);
    // dbt build did not run: no data-quality result, not a made-up pass.
    expect(table(text.stdout, /^PIPELINE +LAST RUN /)[0]).toMatch(
      /^sales +acme-dev-dbt +FAILED .* not recorded +not recorded +acme-dev-dbt\/bronze_tables: FAILED: bronze_tables: 1 of 5 datasets failed: orders$/,
    );
  });

  test('no run yet: NO_RUNS; a job or DLT pipeline that is not deployed: NOT_FOUND, exit 0', async () => {
    const none = await databricks(['sales', '--env', 'dev'], [jobList, runsList([])]);
    expect(none.code).toBe(0);
    expect(table(none.stdout, /^PIPELINE +LAST RUN /)[0]).toMatch(/^sales +- +NO_RUNS +- +- +- +not recorded *$/);
    await server?.close();

    const missing = await databricks(
      ['marketing', '--env', 'dev'],
      [
        ['GET', /^\/api\/2\.1\/jobs\/list$/, () => ({ body: {} })],
        ['GET', /^\/api\/2\.0\/pipelines$/, () => ({ body: {} })],
      ],
    );
    expect(missing.code).toBe(0);
    const runs = table(missing.stdout, /^PIPELINE +KIND +NAME /);
    expect(runs[0]).toMatch(
      /^marketing +job +acme-dev-dbt +- +NOT_FOUND .* the job does not exist in http:\/\/127\.0\.0\.1:\d+ \(lakehouse stack not deployed\?\)$/,
    );
    expect(runs[1]).toMatch(/^marketing +dlt +acme-dev-dlt-marketing +- +NOT_FOUND/);
    expect(missing.server.matching('GET', /runs\/list$/)).toHaveLength(0);
  });

  test('429 from the workspace is retried; throttled on every attempt: exit 1 naming the operation', async () => {
    const { code, server } = await databricks(
      ['sales', '--env', 'dev'],
      [['GET', /^\/api\/2\.1\/jobs\/list$/, (request, call) => (call === 1 ? THROTTLED : jobList[2](request, call))], runsList([SUCCEEDED_RUN])],
    );
    expect(code).toBe(0);
    expect(server.matching('GET', /jobs\/list$/)).toHaveLength(2);
    await server.close();
    const throttled = await databricks(['sales', '--env', 'dev'], [jobList, ['GET', /^\/api\/2\.1\/jobs\/runs\/list$/, () => THROTTLED]], {
      AWS_MAX_ATTEMPTS: '3',
    });
    expect(throttled.code).toBe(1);
    expect(throttled.stderr).toContain('Databricks jobs/runs/list was throttled on all 3 attempts');
  });
});

describe('platform status on any cloud', () => {
  test('an endpoint that refuses connections: exit 1, naming it; one that does not answer: exit 3', async () => {
    const closed = await fakeRest([]);
    const url = closed.url;
    await closed.close();
    const azureRun = await runCli(['status', 'sales', '--env', 'dev', '--cloud', 'azure', '--endpoint', url], {
      env: { AWS_MAX_ATTEMPTS: '2' },
      azureToken: async () => 'token',
    });
    expect(azureRun.code).toBe(1);
    expect(azureRun.stderr).toContain(`cannot reach ${url.replace('http://', '')} (ECONNREFUSED)`);
    const databricksRun = await runCli(['status', 'sales', '--env', 'dev', '--cloud', 'databricks'], {
      env: { DATABRICKS_HOST: url, DATABRICKS_TOKEN: 't', AWS_MAX_ATTEMPTS: '2' },
    });
    expect(databricksRun.code).toBe(1);
    expect(databricksRun.stderr).toContain(`cannot reach ${url.replace('http://', '')} (ECONNREFUSED)`);

    // Accepts the connection, never answers: the request timeout on every attempt is exit 3.
    const silentServer = await serve([['GET', /^\/api\/2\.1\/jobs\/list$/, () => ({ hang: true })]]);
    const silent = await runCli(['status', 'sales', '--env', 'dev', '--cloud', 'databricks', '--request-timeout', '200ms'], {
      env: { DATABRICKS_HOST: silentServer.url, DATABRICKS_TOKEN: 't', AWS_MAX_ATTEMPTS: '2' },
    });
    expect(silent.code).toBe(3);
  });

  test('--query-timeout and --endpoint are refused where they do not apply', async () => {
    const query = await runCli(['status', '--env', 'dev', '--cloud', 'azure', '--query-timeout', '1m']);
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('--query-timeout bounds the Athena query of the AWS batch log; it does not apply to --cloud azure');
    const endpoint = await runCli(['status', '--env', 'dev', '--cloud', 'aws', '--endpoint', 'http://127.0.0.1:1']);
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toContain('--endpoint is for azure and databricks; for AWS set AWS_ENDPOINT_URL');
  });

  test('--json has the same top-level keys and the same pipeline keys on AWS, Azure and Databricks', async () => {
    const glueMock = mockClient(GlueClient);
    const emrMock = mockClient(EMRClient);
    const sfnMock = mockClient(SFNClient);
    const athenaMock = mockClient(AthenaClient);
    try {
      glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
      emrMock.on(ListClustersCommand).resolves({ Clusters: [] });
      sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
      noBatchLog(athenaMock);
      const aws = JSON.parse((await runCli(['status', 'marketing', '--env', 'dev', '--cloud', 'aws', '--json'])).stdout);
      const az = JSON.parse(
        (
          await azure(
            ['marketing', '--env', 'dev', '--json'],
            [pipelineRuns({ ingest_campaigns: [{ ...ORDERS_RUN, pipelineName: 'ingest_campaigns' }] }), activityRuns({})],
          )
        ).stdout,
      );
      await server?.close();
      const db = JSON.parse((await databricks(['marketing', '--env', 'dev', '--json'], [jobList, runsList([SUCCEEDED_RUN]), dltList, dltGet])).stdout);
      const keys = (json: Record<string, unknown>) => Object.keys(json).sort();
      expect(keys(aws)).toEqual(['batchLog', 'cloud', 'entries', 'environment', 'exitCode', 'pipelines', 'runsOn']);
      expect(keys(az)).toEqual(keys(aws));
      expect(keys(db)).toEqual(keys(aws));
      expect([aws.cloud, az.cloud, db.cloud]).toEqual(['aws', 'azure', 'databricks']);
      for (const json of [aws, az, db]) {
        expect(
          Object.keys(json.pipelines[0])
            .filter((key) => key !== 'failure')
            .sort(),
        ).toEqual(['dataQuality', 'lastRun', 'pipeline', 'reconciliation']);
        expect(Object.keys(json.batchLog)).toEqual(expect.arrayContaining(['source', 'outcome', 'exitCode']));
        expect(Object.keys(json.runsOn)).toEqual(expect.arrayContaining(['kind', 'name', 'description']));
        expect(json.entries[0]).toEqual(
          expect.objectContaining({ pipeline: 'marketing', kind: expect.any(String), name: expect.any(String), state: expect.any(String) }),
        );
      }
    } finally {
      for (const mock of [glueMock, emrMock, sfnMock, athenaMock]) mock.restore();
    }
  });
});

describe('copy activity output', () => {
  test('counts are whole numbers from the output; anything else is no count, never a guess', () => {
    const run = (output: unknown) => ({ activityName: 'copy_orders_to_bronze', status: 'Succeeded', output: output as Record<string, unknown> });
    expect(copyCounts(run({ rowsRead: 5, rowsCopied: 5 }))).toEqual({ rowsRead: 5, rowsCopied: 5, rowsSkipped: 0, logFilePath: undefined });
    expect(copyCounts(run({ rowsRead: 5 }))).toBeUndefined();
    expect(copyCounts(run({ rowsRead: '5', rowsCopied: 5 }))).toBeUndefined();
    expect(copyCounts(run({ rowsRead: -1, rowsCopied: 0 }))).toBeUndefined();
    expect(copyCounts(run(null))).toBeUndefined();
  });
});
