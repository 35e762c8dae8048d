import { fakeRest, type FakeRestServer, type FakeRoute, THROTTLED } from './fake-rest';
import { FakeClock, runCli } from './harness';

const FACTORY =
  '/subscriptions/2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b/resourceGroups/rg-acme-dev-ingestion/providers/Microsoft.DataFactory/factories/adf-acme-dev-55d6';
const path = (rest: string) => new RegExp(`^${FACTORY.replace(/\./g, '\\.')}${rest}$`);

let server: FakeRestServer | undefined;
afterEach(() => server?.close());

/** Runs the CLI against the fake ARM endpoint, with a fixed token. */
async function run(args: string[], routes: FakeRoute[], clock = new FakeClock()) {
  server = await fakeRest(routes);
  const result = await runCli([...args, '--cloud', 'azure', '--endpoint', server.url], { clock, azureToken: async (scope) => `token-for-${scope}` });
  return { ...result, server };
}

const noneRunning: FakeRoute = ['POST', path('/queryPipelineRuns'), () => ({ body: { value: [] } })];
const createRun: FakeRoute = [
  'POST',
  path('/pipelines/ingest_(\\w+)/createRun'),
  (request) => ({ body: { runId: `run-${/pipelines\/(ingest_\w+)\/createRun/.exec(request.url)?.[1]}` } }),
];

function pipelineRun(statuses: string[], extra: Record<string, unknown> = {}): FakeRoute {
  return [
    'GET',
    path('/pipelineruns/[\\w-]+'),
    (request, call) => ({
      body: {
        runId: request.url.split('/').pop()?.split('?')[0],
        pipelineName: 'ingest_orders',
        status: statuses[Math.min(call - 1, statuses.length - 1)],
        runStart: '2026-11-28T02:59:00Z',
        ...extra,
      },
    }),
  ];
}

describe('platform run --cloud azure: the Data Factory pipelines the schedule triggers start', () => {
  test('creates the run of each dataset pipeline, polls it to the end, with the ARM token and api-version', async () => {
    const { code, stdout, server } = await run(
      ['run', 'orders', '--env', 'dev', '--wait'],
      [noneRunning, createRun, pipelineRun(['Queued', 'InProgress', 'Succeeded'])],
    );
    expect(code).toBe(0);
    expect(stdout).toContain('pipeline sales in dev (azure): succeeded');
    expect(stdout).toContain('Data Factory pipeline run ingest_orders run-ingest_orders: Succeeded');
    expect(stdout).toContain('data quality: not recorded');
    const [created] = server.matching('POST', /createRun$/);
    expect(created.url).toBe(`${FACTORY}/pipelines/ingest_orders/createRun?api-version=2018-06-01`);
    expect(created.authorization).toBe('Bearer token-for-https://management.azure.com/.default');
    expect(server.matching('GET', /pipelineruns/)).toHaveLength(3);
    const [query] = server.matching('POST', /queryPipelineRuns$/);
    expect(query.body.filters).toEqual([
      { operand: 'PipelineName', operator: 'In', values: ['ingest_orders'] },
      { operand: 'Status', operator: 'In', values: ['Queued', 'InProgress', 'Canceling'] },
    ]);
  });

  test('a failed run: exit 1 with the activity that failed and its error', async () => {
    const { code, stderr } = await run(
      ['run', 'orders', '--env', 'dev', '--wait'],
      [
        noneRunning,
        createRun,
        pipelineRun(['InProgress', 'Failed'], { message: 'Operation on target copy_orders failed' }),
        [
          'POST',
          path('/pipelineruns/[\\w-]+/queryActivityruns'),
          () => ({
            body: {
              value: [
                {
                  activityName: 'copy_orders',
                  status: 'Failed',
                  error: { errorCode: '2200', message: 'ErrorCode=SqlFailedToConnect,Cannot connect to SQL Database' },
                },
              ],
            },
          }),
        ],
      ],
    );
    expect(code).toBe(1);
    expect(stderr).toContain('pipeline sales in dev (azure): FAILED');
    expect(stderr).toContain('failed in ingest_orders/copy_orders: 2200: ErrorCode=SqlFailedToConnect,Cannot connect to SQL Database');
    expect(stderr).toContain('error from Data Factory pipeline run ingest_orders run-ingest_orders: Operation on target copy_orders failed');
  });

  test('429 from Resource Manager is retried with backoff, for reads and for createRun', async () => {
    const clock = new FakeClock();
    const { code, server } = await run(
      ['run', 'orders', '--env', 'dev', '--wait'],
      [
        ['POST', path('/queryPipelineRuns'), (_request, call) => (call === 1 ? THROTTLED : { body: { value: [] } })],
        ['POST', path('/pipelines/ingest_orders/createRun'), (_request, call) => (call === 1 ? THROTTLED : { body: { runId: 'run-1' } })],
        pipelineRun(['Succeeded']),
      ],
      clock,
    );
    expect(code).toBe(0);
    expect(server.matching('POST', /queryPipelineRuns$/)).toHaveLength(2);
    expect(server.matching('POST', /createRun$/)).toHaveLength(2);
    expect(clock.sleeps.filter((ms) => ms < 15_000).length).toBeGreaterThanOrEqual(2);
  });

  test('createRun is not retried after a server error (it may have started a run)', async () => {
    const { code, stderr, server } = await run(
      ['run', 'orders', '--env', 'dev'],
      [
        noneRunning,
        ['POST', path('/pipelines/ingest_orders/createRun'), () => ({ status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } })],
      ],
    );
    expect(code).toBe(1);
    expect(stderr).toContain('InternalServerError: boom');
    expect(server.matching('POST', /createRun$/)).toHaveLength(1);
  });

  test('refuses a pipeline with a run in progress (exit 4), naming the run; --wait-for-running waits for it', async () => {
    const busy: FakeRoute = [
      'POST',
      path('/queryPipelineRuns'),
      (_request, call) => ({
        body: { value: call <= 2 ? [{ runId: 'scheduled-1', pipelineName: 'ingest_orders', status: 'InProgress', runStart: '2026-11-28T02:00:00Z' }] : [] },
      }),
    ];
    const refused = await run(['run', 'orders', '--env', 'dev'], [busy, createRun, pipelineRun(['Succeeded'])]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('Data Factory pipeline run ingest_orders scheduled-1 (started 2026-11-28T02:00:00Z)');
    expect(refused.server.matching('POST', /createRun$/)).toHaveLength(0);
    await server?.close();

    const queued = await run(['run', 'orders', '--env', 'dev', '--wait', '--wait-for-running'], [busy, createRun, pipelineRun(['Succeeded'])]);
    expect(queued.code).toBe(0);
    expect(queued.server.matching('POST', /queryPipelineRuns$/)).toHaveLength(3);
    expect(queued.server.matching('POST', /createRun$/)).toHaveLength(1);
  });

  test('a factory that is not deployed: exit 1, nothing started; --skip-ingestion is a usage error', async () => {
    const missing = await run(['run', 'orders', '--env', 'dev'], []);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Data Factory adf-acme-dev-55d6 (resource group rg-acme-dev-ingestion) or its pipeline not found');
    expect(missing.stderr).toContain("deploy the environment's Azure ingestion stack first");
    await server?.close();
    const skip = await run(['run', 'orders', '--env', 'dev', '--skip-ingestion'], []);
    expect(skip.code).toBe(2);
    expect(skip.stderr).toContain('--skip-ingestion leaves nothing to run on Azure');
  });

  test('--json has the same shape as on AWS', async () => {
    const { code, stdout } = await run(['run', 'orders', '--env', 'dev', '--wait', '--json'], [noneRunning, createRun, pipelineRun(['Succeeded'])]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      outcome: 'succeeded',
      cloud: 'azure',
      exitCode: 0,
      ingestion: [{ kind: 'adf-pipeline-run', name: 'ingest_orders', id: 'run-ingest_orders', state: 'Succeeded' }],
      transform: [],
      reconciliation: { recorded: false },
    });
  });
});
