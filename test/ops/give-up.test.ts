/**
 * Issue 19, items 5 and 6: what the CLI says when it gives up on AWS after retrying, and when
 * AWS_PROFILE names a profile that does not exist.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { BatchGetJobsCommand, GetJobRunCommand, GetJobRunsCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { noBatchLog } from './fake-athena';
import { devExecutionArn, devHistory } from './fake-aws';
import { awsError, connectionRefused, FakeClock, runCli } from './harness';

const glueMock = mockClient(GlueClient);
const emrMock = mockClient(EMRClient);
const sfnMock = mockClient(SFNClient);
const athenaMock = mockClient(AthenaClient);

beforeEach(() => {
  glueMock.reset();
  emrMock.reset();
  sfnMock.reset();
  athenaMock.reset();
  noBatchLog(athenaMock);
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: devExecutionArn('run'), startDate: new Date() });
  sfnMock.on(DescribeExecutionCommand).resolves({ executionArn: devExecutionArn('run'), status: 'RUNNING', startDate: new Date() });
  sfnMock.on(GetExecutionHistoryCommand).resolves(devHistory() as any);
  emrMock.on(ListClustersCommand).resolves({ Clusters: [{ Id: 'j-CLUSTER', Name: 'acme-dev-spark', Status: { State: 'WAITING' } }] });
  glueMock.on(BatchGetJobsCommand).resolves({ Jobs: [], JobsNotFound: [] });
  glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_orders' });
  glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
});

describe('giving up after retries', () => {
  test('throttled on every attempt: names the service, the operation, the attempts and AWS_MAX_ATTEMPTS', async () => {
    emrMock.on(ListClustersCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const clock = new FakeClock();
    const run = await runCli(['status', '--env', 'dev'], { clock });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: EMR ListClusters was throttled on all 6 attempts (ThrottlingException: Rate exceeded); ' +
        'retry later, or set AWS_MAX_ATTEMPTS above 6 for more attempts\n',
    );
    expect(emrMock.commandCalls(ListClustersCommand)).toHaveLength(6);
    expect(clock.sleeps).toHaveLength(5);
  });

  test('AWS_MAX_ATTEMPTS sets the attempts; a throttled poll names what was started', async () => {
    glueMock.on(GetJobRunCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const run = await runCli(['run', 'orders', '--env', 'dev'], { env: { AWS_MAX_ATTEMPTS: '3' } });
    expect(run.code).toBe(1);
    expect(glueMock.commandCalls(GetJobRunCommand)).toHaveLength(3);
    expect(run.stderr).toContain(
      'platform: lost track of the run: Glue GetJobRun was throttled on all 3 attempts (ThrottlingException: ' +
        'Rate exceeded); retry later, or set AWS_MAX_ATTEMPTS above 3 for more attempts\n' +
        'started, possibly still running:\n' +
        `  Step Functions execution platform-run-20261128T030000000Z-8000 ${devExecutionArn('run')}; stop it with: aws stepfunctions stop-execution ` +
        `--region eu-west-1 --execution-arn ${devExecutionArn('run')}\n` +
        'to follow it: platform status sales --env dev --cloud aws\n',
    );
  });

  test('an endpoint refused on every attempt: the reason, then the operation and the attempts', async () => {
    emrMock.on(ListClustersCommand).rejects(connectionRefused(4566));
    const run = await runCli(['status', '--env', 'dev'], { env: { AWS_MAX_ATTEMPTS: '2' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: cannot reach 127.0.0.1:4566 (ECONNREFUSED); check AWS_ENDPOINT_URL, the network ' +
        'and any proxy (EMR ListClusters failed on all 2 attempts; set AWS_MAX_ATTEMPTS above 2 for ' +
        'more)\n',
    );
  });
});

describe('AWS_PROFILE naming a profile that does not exist', () => {
  function profiles(config: string, credentials?: string) {
    const dir = mkdtempSync(join(tmpdir(), 'platform-aws-'));
    writeFileSync(join(dir, 'config'), config);
    if (credentials !== undefined) writeFileSync(join(dir, 'credentials'), credentials);
    return { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  }
  const noCredentials = () => Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

  test('says the profile was not found in the files read, lists the profiles there and what to do', async () => {
    emrMock.on(ListClustersCommand).rejects(noCredentials());
    const files = profiles(
      '[default]\nregion = eu-west-1\n[profile dev]\nsso_session = acme\n[sso-session acme]\nsso_region = eu-west-1\n',
      '[ci]\naws_access_key_id = x\n',
    );
    const run = await runCli(['status', '--env', 'dev'], { env: { AWS_PROFILE: 'prd', ...files } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `platform: AWS_PROFILE "prd" was not found in ${files.AWS_CONFIG_FILE} or ${files.AWS_SHARED_CREDENTIALS_FILE} (profiles there: ci, default, dev); ` +
        'set AWS_PROFILE to one of them, add the profile (e.g. aws configure sso --profile prd), or unset AWS_PROFILE\n',
    );
  });

  test('a profile that exists keeps the credentials message, naming the profile', async () => {
    emrMock.on(ListClustersCommand).rejects(noCredentials());
    const files = profiles('[profile dev]\nsso_session = acme\n');
    const run = await runCli(['status', '--env', 'dev'], { env: { AWS_PROFILE: 'dev', ...files } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: no AWS credentials from AWS_PROFILE "dev" (an SSO session that expired, or a profile ' +
        'without credentials?); sign in (e.g. aws sso login --profile dev) or check the profile, then ' +
        'retry\n',
    );
  });
});
