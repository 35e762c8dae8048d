/**
 * Issue 19, item 4: the CLI never hangs on an endpoint that accepts connections but never answers.
 * The real SDK clients (no mocks) talk to local servers on 127.0.0.1 that stop answering at a chosen
 * call; the CLI runs in-process with the system clock, so the wall time is the real one.
 */
import { createOpsClients, destroyOpsClients, type HttpTimeouts, OpsError } from '../../ops';
import { blackHole, DEPLOYED_DEV, devHistory, fakeAws, type LocalEndpoint } from './fake-aws';
import { runCli } from './harness';

const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing', AWS_EC2_METADATA_DISABLED: 'true' };
const saved = { ...process.env };
let endpoint: LocalEndpoint | undefined;
/** What a run may last beyond its --timeout: the 1 s grace of a call in flight at the deadline, then scheduling on a busy machine. */
const SLACK_MS = 3_000;

/** Points the SDK (process.env, as a real run) at `local`. */
function use(local: LocalEndpoint): LocalEndpoint {
  endpoint = local;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, credentials, { AWS_ENDPOINT_URL: local.url });
  return local;
}

/** Runs the CLI in-process with the real clock and returns its result and wall time. */
async function timed(args: readonly string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const run = await runCli(args, { clock: undefined, env });
  return { ...run, wallMs: Date.now() - started };
}

afterEach(async () => {
  process.env = { ...saved };
  await endpoint?.close();
  endpoint = undefined;
});

describe('an endpoint that accepts connections and never answers', () => {
  test('run --wait --timeout ends at the deadline (exit 124) and says nothing was started', async () => {
    use(await blackHole());
    const run = await timed(['run', 'sales', '--env', 'dev', '--wait', '--timeout', '2s']);
    expect(run.code).toBe(124);
    expect(run.stderr).toBe(
      'pipeline sales in dev (aws): timed out (--timeout) before anything was started\n' +
        'no answer to Step Functions ListExecutions (check AWS_ENDPOINT_URL, the network and any proxy); nothing was started\n',
    );
    expect(run.wallMs).toBeGreaterThanOrEqual(1_900);
    expect(run.wallMs).toBeLessThan(2_000 + SLACK_MS);
  }, 15_000);

  test('--json reports the timeout and the call that did not answer', async () => {
    use(await blackHole());
    const run = await timed(['run', 'sales', '--env', 'dev', '--timeout', '1s', '--json']);
    expect(run.code).toBe(124);
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'timeout',
      exitCode: 124,
      pipeline: 'sales',
      cloud: 'aws',
      ingestion: [],
      unanswered: { service: 'Step Functions', operation: 'ListExecutions' },
    });
    expect(run.wallMs).toBeLessThan(1_000 + SLACK_MS);
  }, 15_000);

  test('without --timeout, the request timeout and AWS_MAX_ATTEMPTS bound it: exit 3 (no answer)', async () => {
    use(await blackHole());
    const run = await timed(['status', '--env', 'dev', '--request-timeout', '300ms'], { AWS_MAX_ATTEMPTS: '2' });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'platform: AWS did not answer Glue GetJobRuns within the 300ms request timeout on all 2 attempts; ' +
        'check AWS_ENDPOINT_URL, the network and any proxy, or allow more with --request-timeout or ' +
        'AWS_MAX_ATTEMPTS\n',
    );
    expect(run.wallMs).toBeLessThan(3_000);
  }, 15_000);
});

describe('an endpoint that stops answering in the middle of a run', () => {
  test('while polling the Glue run: exit 124 at the deadline, naming the run and how to stop the execution', async () => {
    const local = use(
      await fakeAws({ ...DEPLOYED_DEV, GetJobRun: (_input, call) => (call === 1 ? { JobRun: { Id: 'jr_orders', JobRunState: 'RUNNING' } } : 'hang') }),
    );
    const run = await timed(['run', 'orders', '--env', 'dev', '--wait', '--timeout', '2s', '--poll-interval', '100ms']);
    expect(run.code).toBe(124);
    expect(local.calls.slice(0, 5)).toEqual(['ListExecutions', 'StartExecution', 'DescribeExecution', 'GetExecutionHistory', 'GetJobRun']);
    expect(run.stderr).toMatch(/started Step Functions execution platform-run-\d{8}T\d{9}Z-[0-9a-f]{4} arn:aws:states:eu-west-1:111111111111:execution:/);
    expect(run.stderr).toContain('pipeline sales in dev (aws): timed out (--timeout); stopped waiting, nothing was stopped');
    expect(run.stderr).toContain('no answer to Glue GetJobRun (check AWS_ENDPOINT_URL, the network and any proxy)');
    expect(run.stderr).toContain('still running in AWS:');
    expect(run.stderr).toContain('  Glue job run acme-dev-ingest-orders jr_orders (RUNNING)');
    expect(run.stderr).toMatch(
      new RegExp(
        String.raw`to stop it:\n {2}aws stepfunctions stop-execution --region eu-west-1 --execution-arn ` +
          String.raw`arn:aws:states:eu-west-1:111111111111:execution:acme-dev-pipeline-sales:platform-run-`,
      ),
    );
    expect(run.stderr).toContain('to follow it: platform status sales --env dev --cloud aws');
    expect(run.wallMs).toBeLessThan(2_000 + SLACK_MS);
  }, 15_000);

  test('while following the Spark step: exit 124, naming the step', async () => {
    use(
      await fakeAws({
        ...DEPLOYED_DEV,
        GetExecutionHistory: () => devHistory(true),
        GetJobRun: () => ({ JobRun: { Id: 'jr_orders', JobRunState: 'SUCCEEDED' } }),
      }),
    );
    const run = await timed(['run', 'orders', '--env', 'dev', '--wait', '--timeout', '2s', '--poll-interval', '100ms']);
    expect(run.code).toBe(124);
    expect(run.stderr).toContain('no answer to EMR DescribeStep');
    expect(run.stderr).toContain('  EMR step acme-dev-silver-gold-sales s-FAKE on cluster j-FAKE (PENDING)');
    expect(run.stderr).toContain('aws stepfunctions stop-execution --region eu-west-1');
    expect(run.wallMs).toBeLessThan(2_000 + SLACK_MS);
  }, 15_000);

  test('while starting the execution: exit 124, naming the start that may have happened and how to check', async () => {
    use(await fakeAws({ ...DEPLOYED_DEV, StartExecution: () => 'hang' }));
    const run = await timed(['run', 'sales', '--env', 'dev', '--timeout', '2s']);
    expect(run.code).toBe(124);
    expect(run.stderr).toMatch(
      new RegExp(
        String.raw`no answer to Step Functions StartExecution of platform-run-\S+: it may have started; check with: ` +
          String.raw`aws stepfunctions describe-execution --region eu-west-1 --execution-arn ` +
          String.raw`arn:aws:states:eu-west-1:111111111111:execution:acme-dev-pipeline-sales:platform-run-`,
      ),
    );
    expect(run.wallMs).toBeLessThan(2_000 + SLACK_MS);
  }, 15_000);

  test('without --timeout, polling gives up after the request timeouts: exit 3, naming the execution and how to stop it', async () => {
    use(await fakeAws({ ...DEPLOYED_DEV, DescribeExecution: () => 'hang' }));
    const run = await timed(['run', 'orders', '--env', 'dev', '--wait', '--request-timeout', '300ms', '--poll-interval', '100ms'], { AWS_MAX_ATTEMPTS: '2' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'platform: lost track of the run: AWS did not answer Step Functions DescribeExecution within the 300ms request ' +
        'timeout on all 2 attempts; check AWS_ENDPOINT_URL, the network and any proxy, or allow more ' +
        'with --request-timeout or AWS_MAX_ATTEMPTS\n' +
        'started, possibly still running:\n',
    );
    expect(run.stderr).toMatch(/; stop it with: aws stepfunctions stop-execution --region eu-west-1 --execution-arn arn:/);
    expect(run.stderr).toContain('to follow it: platform status sales --env dev --cloud aws\n');
    expect(run.wallMs).toBeLessThan(3_000);
  }, 15_000);

  test('without --timeout, an unanswered StartExecution is retried under the same name (idempotent): exit 3 and how to check', async () => {
    const local = use(await fakeAws({ ...DEPLOYED_DEV, StartExecution: () => 'hang' }));
    const run = await timed(['run', 'orders', '--env', 'dev', '--request-timeout', '300ms'], { AWS_MAX_ATTEMPTS: '2' });
    expect(run.code).toBe(3);
    expect(local.calls.filter((call) => call === 'StartExecution')).toHaveLength(2);
    expect(run.stderr).toContain(
      'platform: cannot start the pipeline: AWS did not answer Step Functions StartExecution within the 300ms request timeout on all 2 attempts',
    );
    expect(run.stderr).toMatch(
      /Step Functions StartExecution of platform-run-\S+ may have started it all the same; check with: aws stepfunctions describe-execution/,
    );
    expect(run.wallMs).toBeLessThan(3_000);
  }, 15_000);
});

describe('the connection and request timeouts', () => {
  /** The timeouts the CLI builds its clients with, for `args` and `env`. */
  async function timeoutsOf(args: readonly string[], env: Record<string, string> = {}) {
    const seen: HttpTimeouts[] = [];
    const run = await runCli(args, {
      env,
      createClients: (_region, timeouts) => {
        seen.push(timeouts);
        throw new OpsError('stop here');
      },
    });
    return { run, timeouts: seen[0] };
  }

  test('default to 5s and 30s; PLATFORM_CONNECT_TIMEOUT and PLATFORM_REQUEST_TIMEOUT, then the options, override them', async () => {
    expect((await timeoutsOf(['status', '--env', 'dev'])).timeouts).toEqual({ connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 });
    expect((await timeoutsOf(['status', '--env', 'dev'], { PLATFORM_CONNECT_TIMEOUT: '2s', PLATFORM_REQUEST_TIMEOUT: '1m' })).timeouts).toEqual({
      connectionTimeoutMs: 2_000,
      requestTimeoutMs: 60_000,
    });
    const flags = await timeoutsOf(['run', 'sales', '--env', 'dev', '--connect-timeout', '500ms', '--request-timeout', '10s'], {
      PLATFORM_REQUEST_TIMEOUT: '1m',
    });
    expect(flags.timeouts).toEqual({ connectionTimeoutMs: 500, requestTimeoutMs: 10_000 });
  });

  test('a value that is not a duration is a usage error naming the option or variable', async () => {
    const flag = await runCli(['status', '--env', 'dev', '--request-timeout', 'soon']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('platform: --request-timeout "soon" is not a duration');
    const env = await runCli(['status', '--env', 'dev'], { env: { PLATFORM_CONNECT_TIMEOUT: '0' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('platform: PLATFORM_CONNECT_TIMEOUT "0" must be longer than 0 (the SDK would wait for ever), e.g. 5s or 30s');
  });

  test('reach the HTTP handler of every client, with the request timeout an error rather than a warning', async () => {
    const clients = createOpsClients('eu-west-1', { connectionTimeoutMs: 1_500, requestTimeoutMs: 2_500 });
    try {
      for (const client of [clients.glue, clients.emr, clients.sfn]) {
        const handlerConfig = await (client.config.requestHandler as any).configProvider;
        expect(handlerConfig).toMatchObject({ connectionTimeout: 1_500, requestTimeout: 2_500, socketTimeout: 2_500, throwOnRequestTimeout: true });
      }
    } finally {
      destroyOpsClients(clients);
    }
  });

  test('are documented in the help of run and status, with exit code 3', async () => {
    for (const command of ['run', 'status']) {
      const { stdout } = await runCli([command, '--help']);
      expect(stdout).toContain('--connect-timeout <d>  longest wait for a connection to AWS, per attempt (default: $PLATFORM_CONNECT_TIMEOUT, else 5s)');
      expect(stdout).toContain('--request-timeout <d>  longest wait for AWS to answer, per attempt (default: $PLATFORM_REQUEST_TIMEOUT, else 30s)');
      expect(stdout).toMatch(/ 3 {4}AWS did not answer in time/);
    }
  });
});
