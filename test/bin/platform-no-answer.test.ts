/**
 * Issue 19 end to end, through the `platform` bin in a fresh process (as `npx platform` runs it):
 * against an endpoint that never answers, the process itself ends by its --timeout (plus start-up);
 * a profile that does not exist is named as such. Only 127.0.0.1 is contacted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_DEFINITION_FILE } from '../fixtures/platform';
import { blackHole, DEPLOYED_DEV, fakeAws, type LocalEndpoint } from '../ops/fake-aws';

const root = join(__dirname, '..', '..');
const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing' };
const children = new Set<ChildProcess>();
let endpoint: LocalEndpoint | undefined;
/** What the process may last beyond its --timeout: start-up (ts-node), the 1 s grace of a call in flight at the deadline, exit. */
const SLACK_MS = 5_000;

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** Runs bin/platform.js with only `env` (and PATH and the test file's TMPDIR), from an empty HOME unless `env` names one. */
function platform(args: readonly string[], env: Record<string, string>, onStart?: (child: ChildProcess) => void): Promise<Spawned> {
  const home = mkdtempSync(join(tmpdir(), 'platform-home-'));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'platform.js'), ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        TMPDIR: tmpdir(),
        HOME: home,
        PLATFORM_CONFIG: EXAMPLE_DEFINITION_FILE,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
    });
    children.add(child);
    onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await endpoint?.close();
  endpoint = undefined;
});

describe('platform bin against an endpoint that never answers', () => {
  test('run --wait --timeout 5s exits 124 within the deadline plus start-up', async () => {
    endpoint = await blackHole();
    const run = await platform(['run', 'sales', '--env', 'dev', '--wait', '--timeout', '5s'], { ...credentials, AWS_ENDPOINT_URL: endpoint.url });
    expect(run.code).toBe(124);
    expect(run.stderr).toContain('pipeline sales in dev (aws): timed out (--timeout) before anything was started');
    expect(run.stderr).toContain('no answer to Step Functions ListExecutions');
    expect(run.wallMs).toBeLessThan(5_000 + SLACK_MS);
  }, 30_000);

  test('an endpoint that stops answering after the run started: exit 124, the run and how to stop it', async () => {
    endpoint = await fakeAws({ ...DEPLOYED_DEV, GetJobRun: () => 'hang' });
    // The execution the CLI started found in the history, its Glue run polled: no answer.
    const run = await platform(['run', 'orders', '--env', 'dev', '--wait', '--timeout', '3s', '--poll-interval', '200ms'], {
      ...credentials,
      AWS_ENDPOINT_URL: endpoint.url,
    });
    expect(run.code).toBe(124);
    expect(run.stderr).toContain('started Step Functions execution platform-run-');
    expect(run.stderr).toContain('  Glue job run acme-dev-ingest-orders jr_orders (STARTING)');
    expect(run.stderr).toContain('aws stepfunctions stop-execution --region eu-west-1 --execution-arn arn:aws:states:eu-west-1:111111111111:execution:');
    expect(run.wallMs).toBeLessThan(3_000 + SLACK_MS);
  }, 30_000);
});

describe('platform bin interrupted while AWS does not answer', () => {
  test('Ctrl-C abandons the call in flight: exit 130 at once, saying nothing was started', async () => {
    const local = (endpoint = await blackHole());
    let interruptedAt = 0;
    const run = await platform(['run', 'sales', '--env', 'dev', '--wait'], { ...credentials, AWS_ENDPOINT_URL: local.url }, (child) => {
      // ListExecutions has connected (so the CLI's Ctrl-C handler is in place) and waited 1.5 s for an answer.
      void local.connected.then(() =>
        setTimeout(() => {
          interruptedAt = Date.now();
          child.kill('SIGINT');
        }, 1_500),
      );
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('pipeline sales in dev (aws): interrupted before anything was started');
    expect(run.stderr).toContain('no answer to Step Functions ListExecutions');
    expect(Date.now() - interruptedAt).toBeLessThan(1_000);
  }, 30_000);
});

describe('platform bin with an AWS_PROFILE that does not exist', () => {
  test('says the profile was not found in the files the SDK read, and what to do', async () => {
    const home = mkdtempSync(join(tmpdir(), 'platform-profiles-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      '[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = acme\n\n[sso-session acme]\nsso_region = eu-west-1\n',
    );
    endpoint = await blackHole();
    const run = await platform(['status', '--env', 'dev'], { HOME: home, AWS_PROFILE: 'nope', AWS_ENDPOINT_URL: endpoint.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: AWS_PROFILE "nope" was not found in ~/.aws/config or ~/.aws/credentials (profiles there: default, dev); ' +
        'set AWS_PROFILE to one of them, add the profile (e.g. aws configure sso --profile nope), or unset AWS_PROFILE\n',
    );
  }, 30_000);
});
