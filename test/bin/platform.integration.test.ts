/**
 * The `platform` CLI end to end against a real local AWS emulator: moto in server mode, started here on
 * 127.0.0.1 on a free port. MOTO_SERVER names moto's server binary (default: .venv/bin/moto_server, which
 * `npm run setup` installs); the Python next to it also runs scripts/moto-server.py, moto's server with
 * EMR steps that finish (stock moto keeps them RUNNING for ever; the stock binary is used for the
 * timeout and Ctrl-C paths, which need exactly that).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { EMRClient, RunJobFlowCommand } from '@aws-sdk/client-emr';
import { CreateJobCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { athenaWorkgroupName, glueIngestionJobName, emrClusterName, pipelineName } from '../../lib/naming';
import { pipelinesOf } from '../../lib/pipelines/pipelines';
import { runCli } from '../ops/harness';
import { EXAMPLE_DEFINITION_FILE, exampleConfig } from '../fixtures/platform';

const root = join(__dirname, '..', '..');
const motoServer = process.env.MOTO_SERVER ?? join(root, '.venv', 'bin', 'moto_server');
const motoPython = join(dirname(motoServer), 'python');
const dev = { prefix: 'acme', environment: 'dev' };
const credentials = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Emulator {
  readonly endpoint: string;
  readonly process: ChildProcess;
}

/** Starts moto on a free port and resolves once it answers; rejects with its output when it cannot start. */
async function startEmulator(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Emulator> {
  const port = await freePort();
  const child = spawn(command, [...args, '-H', '127.0.0.1', '-p', String(port)], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk) => (output += chunk));
  const endpoint = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); Date.now() - started < 20_000;) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return { endpoint, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${command} did not answer on ${endpoint} within 20 s:\n${output}`);
}

function stopEmulator(emulator: Emulator | undefined): Promise<void> {
  if (!emulator || emulator.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    emulator.process.once('exit', () => resolve());
    emulator.process.kill('SIGTERM');
  });
}

/**
 * Queues what moto's Athena answers to the next query (it runs none): the header row Athena puts first,
 * then `rows`, all as text, in the columns `platform status` selects from the batch log.
 */
async function queueAthenaResults(endpoint: string, columns: readonly string[], rows: readonly (readonly string[])[]): Promise<void> {
  const text = (values: readonly string[]) => ({ Data: values.map((value) => ({ VarCharValue: value })) });
  const response = await fetch(`${endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST',
    body: JSON.stringify({
      account_id: DEV_ACCOUNT.MOTO_ACCOUNT_ID,
      region: 'eu-west-1',
      results: [{ rows: [text(columns), ...rows.map(text)], column_info: columns.map((name) => ({ Name: name, Label: name, Type: 'varchar' })) }],
    }),
  });
  if (!response.ok) throw new Error(`queue Athena results: HTTP ${response.status}`);
}

/** Sets one of moto's state transitions, e.g. so that a Glue run is RUNNING for one poll before SUCCEEDED. */
async function setTransition(endpoint: string, model: string, transition: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    body: JSON.stringify({ model_name: model, transition }),
  });
  if (!response.ok) throw new Error(`set-transition ${model}: HTTP ${response.status}`);
}

function clientsFor(endpoint: string) {
  const config = { region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return { glue: new GlueClient(config), emr: new EMRClient(config), sfn: new SFNClient(config), athena: new AthenaClient(config) };
}

/** The account of dev in the example definition: moto's, so that the ARNs the CLI composes are the ones moto gives. */
const DEV_ACCOUNT = { MOTO_ACCOUNT_ID: '111111111111' };
const STATE_MACHINE_ARN = (pipeline: string) => `arn:aws:states:eu-west-1:111111111111:stateMachine:${pipelineName(dev, pipeline)}`;

/**
 * Deploys what the CLI expects in dev: every pipeline's state machine, every ingestion job and the
 * Spark cluster, under their names. moto stores the state machines' definitions but does not run
 * them, so the definition here is a stand-in; what an execution records is scripts/moto-server.py's.
 */
async function deployDev(endpoint: string): Promise<string> {
  const { glue, emr, sfn, athena } = clientsFor(endpoint);
  await athena.send(new CreateWorkGroupCommand({ Name: athenaWorkgroupName(dev) }));
  for (const pipeline of pipelinesOf(exampleConfig())) {
    await sfn.send(
      new CreateStateMachineCommand({
        name: pipelineName(dev, pipeline.name),
        roleArn: 'arn:aws:iam::111111111111:role/pipeline',
        definition: JSON.stringify({ StartAt: 'Run', States: { Run: { Type: 'Pass', End: true } } }),
      }),
    );
    for (const dataset of pipeline.batchDatasets) {
      await glue.send(
        new CreateJobCommand({
          Name: glueIngestionJobName(dev, dataset.name),
          Role: 'arn:aws:iam::123456789012:role/glue',
          Command: { Name: 'glueetl', ScriptLocation: 's3://artifacts/ingest.py' },
        }),
      );
    }
  }
  const { JobFlowId } = await emr.send(
    new RunJobFlowCommand({
      Name: emrClusterName(dev),
      ReleaseLabel: 'emr-7.5.0',
      Instances: { MasterInstanceType: 'm5.xlarge', SlaveInstanceType: 'm5.xlarge', InstanceCount: 3, KeepJobFlowAliveWhenNoSteps: true },
      JobFlowRole: 'EMR_EC2_DefaultRole',
      ServiceRole: 'EMR_DefaultRole',
    }),
  );
  return JobFlowId as string;
}

interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `platform` bin (bin/platform.js, as `npx platform` does) in a fresh process. */
function spawnPlatform(
  args: readonly string[],
  env: Record<string, string | undefined>,
  onStderr?: (text: string, child: ChildProcess) => void,
): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'platform.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, TMPDIR: tmpdir(), PLATFORM_CONFIG: EXAMPLE_DEFINITION_FILE, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('platform CLI against moto', () => {
  let emulator: Emulator | undefined;
  let clusterId: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    if (!existsSync(motoServer)) {
      throw new Error(
        `moto's server is not installed at ${motoServer}: run "npm run setup" (it installs moto[server] ` +
          `into .venv), or set MOTO_SERVER to a moto_server binary`,
      );
    }
    emulator = await startEmulator(motoPython, [join(root, 'scripts', 'moto-server.py')], {
      MOTO_EMR_FAILING_STEPS: 'silver-gold-marketing$',
      MOTO_SFN_FAILING_EXECUTIONS: 'pipeline-marketing$',
      ...DEV_ACCOUNT,
    });
    await setTransition(emulator.endpoint, 'glue::job_run', { progression: 'manual', times: 1 });
    await setTransition(emulator.endpoint, 'emr::step', { progression: 'manual', times: 1 });
    // An execution is RUNNING for its first DescribeExecution, then SUCCEEDED (moto counts each read of the status).
    await setTransition(emulator.endpoint, 'stepfunctions::execution', { progression: 'manual', times: 6 });
    clusterId = await deployDev(emulator.endpoint);
    // In-process runs use the SDK's own configuration, as a real run does.
    Object.assign(process.env, credentials, { AWS_ENDPOINT_URL: emulator.endpoint });
  });

  afterAll(async () => {
    process.env = saved;
    await stopEmulator(emulator);
  });

  test("run --wait starts an execution of the pipeline's state machine with the schedule input and follows it to the end", async () => {
    const run = await runCli(['run', 'sales', '--env', 'dev', '--wait', '--poll-interval', '50ms'], { clock: undefined });
    expect(run.stderr).not.toContain('platform:');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pipeline sales in dev (aws): succeeded');
    expect(run.stdout).toMatch(
      /Step Functions execution platform-run-\S+ arn:aws:states:eu-west-1:\d+:execution:acme-dev-pipeline-sales:platform-run-\S+: SUCCEEDED/,
    );
    expect(run.stdout).toContain('reconciliation (bronze = accepted + quarantined): see platform status');

    const dataset = await runCli(['run', 'orders', '--env', 'dev', '--wait', '--poll-interval', '50ms'], { clock: undefined });
    expect(dataset.code).toBe(0);
    const { sfn } = clientsFor(emulator!.endpoint);
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: STATE_MACHINE_ARN('sales') }));
    const inputs = await Promise.all(executions.map(async (e) => (await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input));
    expect(inputs.sort()).toEqual(['{"datasets":["orders"]}', '{}']);
  });

  test('an execution that fails its data quality exits 1 with the state, error and cause (spawned bin, AWS_ENDPOINT_URL)', async () => {
    const run = await spawnPlatform(['run', 'campaigns', '--env', 'dev', '--wait', '--poll-interval', '100ms'], {
      ...credentials,
      AWS_ENDPOINT_URL: emulator!.endpoint,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pipeline marketing in dev (aws): FAILED');
    expect(run.stderr).toContain('failed in Quality rules failed: DataQualityRulesFailed: dataset orders (ruleset acme-dev-dq-orders, job run jr_emulated)');
    expect(run.stderr).toContain('data quality: failed (orders: IsComplete "order_id" FAIL: simulated)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test("status shows each pipeline's last execution, its reconciliation from the batch log, and the latest runs and steps, from the emulator", async () => {
    const columns = ['dataset', 'batch_id', 'status', 'bronze_rows', 'accepted_rows', 'quarantined_rows', 'quality', 'ingested_at', 'processed_at', 'run_id'];
    await queueAthenaResults(emulator!.endpoint, columns, [
      [
        'orders',
        'jr_orders_1',
        'accepted',
        '10',
        '9',
        '1',
        '{"customer_id is null (not_null rule)": 1}',
        '2026-11-28 01:00:00.000000 UTC',
        '2026-11-28 02:00:00.000000 UTC',
        'run-1',
      ],
      [
        'campaigns',
        'jr_campaigns_1',
        'rejected',
        '0',
        '0',
        '0',
        '{"load has fewer accepted rows than the row_count minimum 1": 0}',
        '2026-11-28 01:00:00.000000 UTC',
        '2026-11-28 02:00:00.000000 UTC',
        'run-2',
      ],
    ]);
    const run = await runCli(['status', '--env', 'dev'], { clock: undefined });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /sales +platform-run-\S+ +SUCCEEDED .* balanced \(1 dataset\); not processed yet: customers, order_items, products, exchange_rates/,
    );
    expect(run.stdout).toMatch(
      new RegExp(
        String.raw`marketing +platform-run-\S+ +FAILED .*failed \(orders: .*\) +balanced \(1 dataset\); load not accepted: campaigns \(rejected\); ` +
          String.raw`.* +Quality rules failed: DataQualityRulesFailed`,
      ),
    );
    expect(run.stdout).toMatch(/^sales +orders +jr_orders_1 +accepted +2026-11-28T02:00:00Z +10 = 9 \+ 1 +customer_id is null \(not_null rule\): 1$/m);
    expect(run.stdout).toMatch(/^marketing +campaigns +jr_campaigns_1 +rejected /m);
    // What reached Athena: the query in the environment's workgroup, with the dataset names as parameters.
    const { athena } = clientsFor(emulator!.endpoint);
    const { QueryExecutionIds = [] } = await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'acme-dev-analytics' }));
    expect(QueryExecutionIds).toHaveLength(1);
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: QueryExecutionIds[0] }));
    expect(QueryExecution).toMatchObject({
      WorkGroup: 'acme-dev-analytics',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'acme_dev_silver' },
      ExecutionParameters: [
        "'customers'",
        "'orders'",
        "'order_items'",
        "'products'",
        "'exchange_rates'",
        "'web_events'",
        "'campaigns'",
        "'newsletter_signups'",
      ],
    });
    expect(QueryExecution?.Query).toContain('FROM "acme_dev_silver"."_batches"');
    expect(run.stdout).toMatch(/marketing +glue +acme-dev-ingest-newsletter_signups +- +NO_RUNS/);
    expect(run.stdout).toContain(`EMR cluster acme-dev-spark: ${clusterId}`);
  });

  test('a state machine that is not deployed exits 1 with one line and starts nothing', async () => {
    const run = await runCli(['run', 'sales', '--env', 'prod'], { clock: undefined });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: state machine arn:aws:states:eu-west-1:333333333333:stateMachine:acme-prod-pipeline-sales not found in account ' +
        "333333333333, eu-west-1; deploy the environment's orchestration stack first (nothing was started)\n",
    );
  });

  test('an unreachable endpoint exits 1 with one line', async () => {
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${await freePort()}`;
    try {
      const run = await runCli(['status', '--env', 'dev'], { clock: undefined, env: { AWS_MAX_ATTEMPTS: '2' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          String.raw`^platform: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\); check AWS_ENDPOINT_URL, the network and any proxy ` +
            String.raw`\(Glue GetJobRuns failed on all 2 attempts; set AWS_MAX_ATTEMPTS above 2 for more\)\n$`,
        ),
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = emulator!.endpoint;
    }
  });

  test('missing credentials exit 1 with one line', async () => {
    const home = mkdtempSync(join(tmpdir(), 'platform-no-credentials-'));
    const run = await spawnPlatform(['status', '--env', 'dev'], {
      HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: emulator!.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^platform: no AWS credentials found by the default credential chain .*\n$/);
  });
});

describe('platform CLI against stock moto_server, whose executions never finish', () => {
  let emulator: Emulator | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync(motoServer))
      throw new Error(`moto's server is not installed at ${motoServer}: run "npm run setup", or set MOTO_SERVER to a moto_server binary`);
    emulator = await startEmulator(motoServer, [], DEV_ACCOUNT);
    await deployDev(emulator.endpoint);
    env = { ...credentials, AWS_ENDPOINT_URL: emulator.endpoint };
  });

  afterAll(() => stopEmulator(emulator));

  test('--timeout exits 124 and names the execution still running and how to stop it', async () => {
    const run = await spawnPlatform(['run', 'orders', '--env', 'dev', '--wait', '--timeout', '1s', '--poll-interval', '200ms'], env);
    expect(run.code).toBe(124);
    expect(run.stderr).toContain('pipeline sales in dev (aws): timed out (--timeout); stopped waiting, nothing was stopped');
    expect(run.stderr).toMatch(/still running in AWS:\n {2}Step Functions execution platform-run-\S+ arn:\S+ \(RUNNING\)/);
    expect(run.stderr).toMatch(
      /aws stepfunctions stop-execution --region eu-west-1 --execution-arn arn:aws:states:eu-west-1:\d+:execution:acme-dev-pipeline-sales:/,
    );
  });

  test('the pipeline is now running: a second run is refused with exit 4, naming the execution', async () => {
    const run = await spawnPlatform(['run', 'sales', '--env', 'dev'], env);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      new RegExp(
        String.raw`pipeline sales in dev is already running; nothing was started:\n {2}Step Functions execution ` +
          String.raw`arn:aws:states:eu-west-1:\d+:execution:acme-dev-pipeline-sales:platform-run-\S+ \(started `,
      ),
    );
  });

  test('Ctrl-C (SIGINT) stops waiting with exit 130 and says what keeps running', async () => {
    let interrupted = false;
    const run = await spawnPlatform(['run', 'campaigns', '--env', 'dev', '--wait', '--poll-interval', '200ms'], env, (stderr, child) => {
      if (!interrupted && /sfn +platform-run-\S+ +RUNNING/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('pipeline marketing in dev (aws): interrupted; stopped waiting, nothing was stopped');
    expect(run.stderr).toMatch(/still running in AWS:\n {2}Step Functions execution platform-run-\S+/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
