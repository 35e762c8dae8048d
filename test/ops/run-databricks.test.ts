import { fakeRest, type FakeRestServer, type FakeRoute, THROTTLED } from './fake-rest';
import { FakeClock, runCli } from './harness';

let server: FakeRestServer | undefined;
afterEach(() => server?.close());

/** Runs the CLI against the fake workspace (DATABRICKS_HOST) with a personal access token. */
async function run(args: string[], routes: FakeRoute[], env: Record<string, string> = { DATABRICKS_TOKEN: 'dapi-test' }, clock = new FakeClock()) {
  server = await fakeRest(routes);
  const result = await runCli([...args, '--cloud', 'databricks'], {
    clock,
    env: { DATABRICKS_HOST: server.url, ...env },
    azureToken: async (scope) => `entra-${scope}`,
  });
  return { ...result, server };
}

const jobList: FakeRoute = ['GET', /^\/api\/2\.1\/jobs\/list$/, () => ({ body: { jobs: [{ job_id: 42, settings: { name: 'acme-dev-dbt' } }] } })];
const noActiveRuns: FakeRoute = ['GET', /^\/api\/2\.1\/jobs\/runs\/list$/, () => ({ body: { runs: [] } })];
const runNow: FakeRoute = ['POST', /^\/api\/2\.1\/jobs\/run-now$/, () => ({ body: { run_id: 7 } })];

function runGet(states: Array<[string, string?]>, extra: Record<string, unknown> = {}): FakeRoute {
  return [
    'GET',
    /^\/api\/2\.1\/jobs\/runs\/get$/,
    (_request, call) => {
      const [life, result] = states[Math.min(call - 1, states.length - 1)];
      return {
        body: {
          run_id: 7,
          start_time: Date.UTC(2026, 10, 28, 2, 59),
          run_page_url: 'https://adb-1.azuredatabricks.net/#job/42/run/7',
          state: { life_cycle_state: life, ...(result ? { result_state: result } : {}) },
          ...extra,
        },
      };
    },
  ];
}

describe('platform run --cloud databricks: the dbt job and DLT pipeline the lakehouse stack deploys', () => {
  test('finds the job by name, runs it now with an idempotency token and follows it to the end', async () => {
    const { code, stdout, server } = await run(
      ['run', 'sales', '--env', 'dev', '--wait'],
      [jobList, noActiveRuns, runNow, runGet([['PENDING'], ['RUNNING'], ['TERMINATED', 'SUCCESS']])],
    );
    expect(code).toBe(0);
    expect(stdout).toContain('pipeline sales in dev (databricks): succeeded');
    expect(stdout).toContain('Databricks job run acme-dev-dbt 7: SUCCESS');
    expect(stdout).toContain('(https://adb-1.azuredatabricks.net/#job/42/run/7)');
    const [list] = server.matching('GET', /jobs\/list$/);
    expect(list.url).toBe('/api/2.1/jobs/list?name=acme-dev-dbt');
    expect(list.authorization).toBe('Bearer dapi-test');
    const [started] = server.matching('POST', /run-now$/);
    expect(started.body).toEqual({ job_id: 42, idempotency_token: expect.stringMatching(/^platform-run-\d+-\d+$/) });
    expect(server.matching('GET', /runs\/list$/)[0].url).toBe('/api/2.1/jobs/runs/list?job_id=42&active_only=true');
    expect(server.matching('GET', /runs\/get$/)).toHaveLength(3);
  });

  test('a pipeline with stream datasets also starts an update of its DLT pipeline and follows both', async () => {
    const { code, stdout, server } = await run(
      ['run', 'marketing', '--env', 'dev', '--wait'],
      [
        jobList,
        noActiveRuns,
        runNow,
        runGet([['TERMINATED', 'SUCCESS']]),
        ['GET', /^\/api\/2\.0\/pipelines$/, () => ({ body: { statuses: [{ pipeline_id: 'p-1', name: 'acme-dev-dlt-marketing' }] } })],
        [
          'GET',
          /^\/api\/2\.0\/pipelines\/p-1$/,
          () => ({ body: { pipeline_id: 'p-1', spec: { continuous: false }, latest_updates: [{ update_id: 'u-0', state: 'COMPLETED' }] } }),
        ],
        ['POST', /^\/api\/2\.0\/pipelines\/p-1\/updates$/, () => ({ body: { update_id: 'u-1' } })],
        ['GET', /^\/api\/2\.0\/pipelines\/p-1\/updates\/u-1$/, (_request, call) => ({ body: { update: { state: call === 1 ? 'RUNNING' : 'COMPLETED' } } })],
      ],
    );
    expect(code).toBe(0);
    expect(stdout).toContain('DLT pipeline update acme-dev-dlt-marketing u-1: COMPLETED');
    expect(stdout).toContain('Databricks job run acme-dev-dbt 7: SUCCESS');
    expect(decodeURIComponent(server.matching('GET', /^\/api\/2\.0\/pipelines$/)[0].url)).toBe("/api/2.0/pipelines?filter=name LIKE 'acme-dev-dlt-marketing'");
  });

  test('a failed run: exit 1 with the task that failed and its message', async () => {
    const { code, stderr } = await run(
      ['run', 'sales', '--env', 'dev', '--wait'],
      [
        jobList,
        noActiveRuns,
        runNow,
        runGet([['RUNNING'], ['TERMINATED', 'FAILED']], {
          tasks: [{ task_key: 'dbt_build', state: { result_state: 'FAILED', state_message: 'dbt test failed: not_null_orders_order_id' } }],
        }),
      ],
    );
    expect(code).toBe(1);
    expect(stderr).toContain('pipeline sales in dev (databricks): FAILED');
    expect(stderr).toContain('failed in acme-dev-dbt/dbt_build: FAILED: dbt test failed: not_null_orders_order_id');
    expect(stderr).not.toContain('to stop it');
  });

  test('--timeout: exit 124, naming the run still going and the command that cancels it', async () => {
    const { code, stderr } = await run(['run', 'sales', '--env', 'dev', '--wait', '--timeout', '10m'], [jobList, noActiveRuns, runNow, runGet([['RUNNING']])]);
    expect(code).toBe(124);
    expect(stderr).toContain('still running in Databricks:\n  Databricks job run acme-dev-dbt 7 (RUNNING)');
    expect(stderr).toContain('databricks jobs cancel-run 7');
  });

  test('429 from the workspace is retried with backoff', async () => {
    const { code, server } = await run(
      ['run', 'sales', '--env', 'dev', '--wait'],
      [
        ['GET', /^\/api\/2\.1\/jobs\/list$/, (request, call) => (call === 1 ? THROTTLED : jobList[2](request, call))],
        noActiveRuns,
        ['POST', /^\/api\/2\.1\/jobs\/run-now$/, (_request, call) => (call === 1 ? THROTTLED : { body: { run_id: 7 } })],
        runGet([['TERMINATED', 'SUCCESS']]),
      ],
    );
    expect(code).toBe(0);
    expect(server.matching('GET', /jobs\/list$/)).toHaveLength(2);
    // The same idempotency token on the retry: a run-now that did start is not started twice.
    const tokens = server.matching('POST', /run-now$/).map((request) => request.body.idempotency_token);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
  });

  test('refuses a job with an active run (exit 4); throttled on every attempt: exit 1 naming the operation', async () => {
    const busy = await run(
      ['run', 'sales', '--env', 'dev'],
      [jobList, ['GET', /^\/api\/2\.1\/jobs\/runs\/list$/, () => ({ body: { runs: [{ run_id: 5, start_time: Date.UTC(2026, 10, 28, 1, 0) }] } })], runNow],
    );
    expect(busy.code).toBe(4);
    expect(busy.stderr).toContain('Databricks job run acme-dev-dbt 5 (started 2026-11-28T01:00:00Z)');
    expect(busy.server.matching('POST', /run-now$/)).toHaveLength(0);
    await server?.close();

    const throttled = await run(['run', 'sales', '--env', 'dev'], [['GET', /^\/api\/2\.1\/jobs\/list$/, () => THROTTLED]], {
      DATABRICKS_TOKEN: 'dapi-test',
      AWS_MAX_ATTEMPTS: '3',
    });
    expect(throttled.code).toBe(1);
    expect(throttled.stderr).toContain('Databricks jobs/list was throttled on all 3 attempts');
  });

  test('without DATABRICKS_TOKEN the token comes from Microsoft Entra; without a host it is a usage error', async () => {
    const entra = await run(['run', 'sales', '--env', 'dev'], [jobList, noActiveRuns, runNow, runGet([['RUNNING']])], {});
    expect(entra.code).toBe(0);
    expect(entra.server.requests[0].authorization).toBe('Bearer entra-2ff814a6-357e-45b5-b3d3-a3b9b8d0ed7a/.default');
    const noHost = await runCli(['run', 'sales', '--env', 'dev', '--cloud', 'databricks']);
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toContain('--cloud databricks needs the workspace URL: DATABRICKS_HOST');
  });
});
