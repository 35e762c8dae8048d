import { AddJobFlowStepsCommand, DescribeStepCommand, EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { BatchGetJobsCommand, GetJobRunCommand, GlueClient, type JobRunState, StartJobRunCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, connectionRefused, FakeClock, runCli } from './harness';

const glueMock = mockClient(GlueClient);
const emrMock = mockClient(EMRClient);
const started = new Date(Date.UTC(2026, 10, 28, 2, 59, 0));

/** A dev environment with its cluster and every Glue job deployed; runs get ids jr_<dataset>. */
function deployed() {
  glueMock.reset();
  emrMock.reset();
  emrMock.on(ListClustersCommand).resolves({ Clusters: [{ Id: 'j-CLUSTER', Name: 'acme-dev-spark', Status: { State: 'WAITING' } }] });
  glueMock.on(BatchGetJobsCommand).resolves({ Jobs: [], JobsNotFound: [] });
  glueMock.on(StartJobRunCommand).callsFake((input) => ({ JobRunId: `jr_${input.JobName.replace('acme-dev-ingest-', '')}` }));
  emrMock.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-STEP'] });
}

function glueRun(state: JobRunState, extra: Record<string, unknown> = {}) {
  return { JobRun: { Id: 'jr_orders', JobRunState: state, StartedOn: started, ...extra } };
}

function emrStep(state: string, extra: Record<string, unknown> = {}) {
  return { Step: { Id: 's-STEP', Name: 'acme-dev-silver-gold-sales', Status: { State: state, Timeline: { StartDateTime: started }, ...extra } } } as any;
}

beforeEach(deployed);

describe('platform run', () => {
  test('runs ingestion, then submits the Spark step once ingestion succeeded, and follows it with --wait', async () => {
    glueMock
      .on(GetJobRunCommand)
      .resolvesOnce(glueRun('RUNNING'))
      .resolves(glueRun('SUCCEEDED', { CompletedOn: new Date(started.getTime() + 65_000) }));
    emrMock.on(DescribeStepCommand).resolvesOnce(emrStep('PENDING')).resolvesOnce(emrStep('RUNNING')).resolves(emrStep('COMPLETED'));

    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pipeline sales in dev: succeeded');
    expect(run.stdout).toContain('Glue job run acme-dev-ingest-orders jr_orders: SUCCEEDED after 1m05s');
    expect(run.stdout).toContain('EMR step acme-dev-silver-gold-sales s-STEP on cluster j-CLUSTER: COMPLETED');
    expect(glueMock.commandCalls(StartJobRunCommand).map((c) => c.args[0].input.JobName)).toEqual(['acme-dev-ingest-orders']);
    expect(glueMock.commandCalls(GetJobRunCommand)).toHaveLength(2);
    const [step] = emrMock.commandCalls(AddJobFlowStepsCommand);
    expect(step.args[0].input).toEqual({
      JobFlowId: 'j-CLUSTER',
      Steps: [
        {
          Name: 'acme-dev-silver-gold-sales',
          ActionOnFailure: 'CONTINUE',
          HadoopJarStep: {
            Jar: 'command-runner.jar',
            Args: [
              'spark-submit',
              '--deploy-mode',
              'cluster',
              's3://acme-dev-artifacts-111111111111-eu-west-1/spark/silver_gold.py',
              '--environment',
              'dev',
              '--domain',
              'sales',
              '--catalog',
              'lake',
              '--bronze',
              's3://acme-dev-bronze-111111111111-eu-west-1/',
              '--silver',
              's3://acme-dev-silver-111111111111-eu-west-1/',
              '--gold',
              's3://acme-dev-gold-111111111111-eu-west-1/',
            ],
          },
        },
      ],
    });
    // The step was submitted after the last GetJobRun, which saw SUCCEEDED.
    expect(step.calledAfter(glueMock.commandCalls(GetJobRunCommand)[1] as any)).toBe(true);
  });

  test('a pipeline starts the ingestion of each of its batch datasets', async () => {
    glueMock.on(GetJobRunCommand).callsFake((input) => ({ JobRun: { Id: input.RunId, JobRunState: 'SUCCEEDED' } }));
    const run = await runCli(['run', 'marketing', '--env', 'dev']);
    expect(run.code).toBe(0);
    expect(glueMock.commandCalls(StartJobRunCommand).map((c) => c.args[0].input.JobName)).toEqual([
      'acme-dev-ingest-campaigns',
      'acme-dev-ingest-newsletter_signups',
    ]);
    expect(run.stdout).toContain('ingestion succeeded; Spark step submitted (not waiting: add --wait to follow it)');
    expect(emrMock.commandCalls(DescribeStepCommand)).toHaveLength(0);
  });

  test('--skip-ingestion submits only the Spark step', async () => {
    const run = await runCli(['run', 'sales', '--env', 'dev', '--skip-ingestion']);
    expect(run.code).toBe(0);
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(0);
    expect(emrMock.commandCalls(AddJobFlowStepsCommand)).toHaveLength(1);
  });

  test('fails when an ingestion run fails: exit 1, the Glue error message, no Spark step', async () => {
    glueMock.on(GetJobRunCommand).resolves(glueRun('FAILED', { ErrorMessage: 'An error occurred while calling o98.getDynamicFrame. Access Denied' }));
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pipeline sales in dev: FAILED');
    expect(run.stderr).toContain(
      'error from Glue job run acme-dev-ingest-orders jr_orders: An error occurred while calling o98.getDynamicFrame. Access Denied',
    );
    expect(run.stderr).toContain('the Spark step was not submitted');
    expect(emrMock.commandCalls(AddJobFlowStepsCommand)).toHaveLength(0);
  });

  test('fails when the Spark step fails: exit 1 with the EMR FailureDetails', async () => {
    glueMock.on(GetJobRunCommand).resolves(glueRun('SUCCEEDED'));
    emrMock.on(DescribeStepCommand).resolves(
      emrStep('FAILED', {
        FailureDetails: { Reason: 'Unknown Error.', Message: 'AnalysisException: Path does not exist', LogFile: 's3://logs/j-CLUSTER/steps/s-STEP/' },
      }),
    );
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error from EMR step acme-dev-silver-gold-sales s-STEP on cluster j-CLUSTER: Unknown Error.: ' +
        'AnalysisException: Path does not exist (logs: s3://logs/j-CLUSTER/steps/s-STEP/)',
    );
  });

  test('--timeout exits 124 and says what is still running and how to stop it', async () => {
    glueMock.on(GetJobRunCommand).resolves(glueRun('RUNNING'));
    const clock = new FakeClock();
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait', '--timeout', '30m'], { clock });
    expect(run.code).toBe(124);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30 * 60_000);
    expect(run.stderr).toContain('pipeline sales in dev: timed out (--timeout); stopped waiting, nothing was stopped in AWS');
    expect(run.stderr).toContain('still running in AWS:\n  Glue job run acme-dev-ingest-orders jr_orders (RUNNING)');
    expect(run.stderr).toContain('aws glue batch-stop-job-run --region eu-west-1 --job-name acme-dev-ingest-orders --job-run-ids jr_orders');
    expect(run.stderr).toContain('platform run sales --env dev --skip-ingestion');
    expect(emrMock.commandCalls(AddJobFlowStepsCommand)).toHaveLength(0);
  });

  test('--timeout while the Spark step runs names the step and how to cancel it', async () => {
    glueMock.on(GetJobRunCommand).resolves(glueRun('SUCCEEDED'));
    emrMock.on(DescribeStepCommand).resolves(emrStep('RUNNING'));
    const run = await runCli(['run', 'sales', '--env', 'dev', '--wait', '--timeout', '90s', '--poll-interval', '10s']);
    expect(run.code).toBe(124);
    expect(run.stderr).toContain('EMR step acme-dev-silver-gold-sales s-STEP on cluster j-CLUSTER (RUNNING)');
    expect(run.stderr).toContain('aws emr cancel-steps --region eu-west-1 --cluster-id j-CLUSTER --step-ids s-STEP');
  });

  test('Ctrl-C stops waiting with exit 130 and says what keeps running', async () => {
    const interrupt = new AbortController();
    glueMock.on(GetJobRunCommand).callsFake(() => {
      interrupt.abort();
      return glueRun('RUNNING');
    });
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait'], { signal: interrupt.signal });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('interrupted; stopped waiting, nothing was stopped in AWS');
    expect(run.stderr).toContain('still running in AWS:\n  Glue job run acme-dev-ingest-orders jr_orders (RUNNING)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test('--json prints the result for scripts', async () => {
    glueMock.on(GetJobRunCommand).resolves(glueRun('SUCCEEDED'));
    emrMock.on(DescribeStepCommand).resolves(emrStep('COMPLETED'));
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      outcome: 'succeeded',
      exitCode: 0,
      pipeline: 'sales',
      clusterId: 'j-CLUSTER',
      ingestion: [{ id: 'jr_orders', state: 'SUCCEEDED' }],
      sparkStep: { id: 's-STEP', state: 'COMPLETED' },
    });
  });

  test('redraws progress in place on a terminal and prints state changes as lines otherwise', async () => {
    glueMock.on(GetJobRunCommand).resolvesOnce(glueRun('RUNNING')).resolvesOnce(glueRun('RUNNING')).resolves(glueRun('SUCCEEDED'));
    const tty = await runCli(['run', 'orders', '--env', 'dev'], { tty: true });
    expect(tty.stderr).toContain('\x1b[1A');
    expect(tty.stderr).toContain('\x1b[2K');

    deployed();
    glueMock.on(GetJobRunCommand).resolvesOnce(glueRun('RUNNING')).resolvesOnce(glueRun('RUNNING')).resolves(glueRun('SUCCEEDED'));
    const plain = await runCli(['run', 'orders', '--env', 'dev']);
    expect(plain.stderr).not.toContain('\x1b[');
    expect(plain.stderr.match(/acme-dev-ingest-orders {2}RUNNING/g)).toHaveLength(1);
    expect(plain.stderr).toMatch(/^\d\d:\d\d:\d\d {2}glue {2}acme-dev-ingest-orders {2}SUCCEEDED {3}1m30s {3}jr_orders$/m);
  });

  test('fails when the EMR cluster is missing, before starting anything', async () => {
    emrMock.on(ListClustersCommand).resolves({ Clusters: [{ Id: 'j-OTHER', Name: 'acme-staging-spark', Status: { State: 'WAITING' } }] });
    const run = await runCli(['run', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: no active EMR cluster named "acme-dev-spark" in eu-west-1 (states STARTING, BOOTSTRAPPING, ' +
        'RUNNING, WAITING); deploy the processing stack or start the cluster, then retry\n',
    );
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });

  test('fails when a Glue job is missing, before starting anything', async () => {
    glueMock.on(BatchGetJobsCommand).resolves({ Jobs: [], JobsNotFound: ['acme-dev-ingest-products'] });
    const run = await runCli(['run', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Glue job not found in account 111111111111, eu-west-1: acme-dev-ingest-products');
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });

  test('fails when a start fails midway, naming the runs that did start', async () => {
    glueMock
      .on(StartJobRunCommand)
      .resolvesOnce({ JobRunId: 'jr_customers' })
      .rejects(awsError('ConcurrentRunsExceededException', 'Concurrent runs exceeded for acme-dev-ingest-orders'));
    const run = await runCli(['run', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'cannot start Glue job acme-dev-ingest-orders: ConcurrentRunsExceededException: Concurrent runs exceeded for acme-dev-ingest-orders',
    );
    expect(run.stderr).toContain('Glue job run acme-dev-ingest-customers jr_customers; stop it with: aws glue batch-stop-job-run');
  });

  test('fails when there are no credentials: one line, no stack trace; --debug shows it', async () => {
    emrMock.on(ListClustersCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const run = await runCli(['run', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('platform: no AWS credentials found by the default credential chain');
    const debug = await runCli(['run', 'sales', '--env', 'dev', '--debug']);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  test('fails when the endpoint is unreachable, after retrying', async () => {
    emrMock.on(ListClustersCommand).rejects(connectionRefused(4566));
    const clock = new FakeClock();
    const run = await runCli(['run', 'sales', '--env', 'dev'], { clock });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'platform: cannot reach 127.0.0.1:4566 (ECONNREFUSED); check AWS_ENDPOINT_URL, the network ' +
        'and any proxy (EMR ListClusters failed on all 6 attempts; set AWS_MAX_ATTEMPTS above 6 for ' +
        'more)\n',
    );
    expect(emrMock.commandCalls(ListClustersCommand)).toHaveLength(6);
    expect(clock.sleeps).toHaveLength(5);
  });

  test('a throttled poll does not end the wait', async () => {
    glueMock.on(GetJobRunCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves(glueRun('SUCCEEDED'));
    const run = await runCli(['run', 'orders', '--env', 'dev', '--debug']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('debug: attempt 1 failed (ThrottlingException: Rate exceeded); retrying in');
  });
});

describe('platform run interrupted before waiting', () => {
  test('Ctrl-C before the first start starts nothing and exits 130', async () => {
    const interrupt = new AbortController();
    emrMock.on(ListClustersCommand).callsFake(() => {
      interrupt.abort();
      return { Clusters: [{ Id: 'j-CLUSTER', Name: 'acme-dev-spark', Status: { State: 'WAITING' } }] };
    });
    const run = await runCli(['run', 'sales', '--env', 'dev'], { signal: interrupt.signal });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('pipeline sales in dev: interrupted before anything was started');
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });

  test('Ctrl-C between two starts starts nothing more and names what did start', async () => {
    const interrupt = new AbortController();
    glueMock.on(StartJobRunCommand).callsFake((input) => {
      interrupt.abort();
      return { JobRunId: `jr_${input.JobName.replace('acme-dev-ingest-', '')}` };
    });
    glueMock.on(GetJobRunCommand).resolves(glueRun('RUNNING'));
    const run = await runCli(['run', 'sales', '--env', 'dev'], { signal: interrupt.signal });
    expect(run.code).toBe(130);
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(1);
    expect(run.stderr).toContain('still running in AWS:\n  Glue job run acme-dev-ingest-customers jr_customers (STARTING)');
    expect(emrMock.commandCalls(AddJobFlowStepsCommand)).toHaveLength(0);
  });
});

describe('platform run losing track', () => {
  test('fails when polling is refused, naming what may still be running', async () => {
    glueMock.on(GetJobRunCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: glue:GetJobRun'));
    const run = await runCli(['run', 'orders', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('platform: lost track of the run: access denied by AWS: User is not authorized to perform: glue:GetJobRun');
    expect(run.stderr).toContain('  Glue job run acme-dev-ingest-orders jr_orders; stop it with: aws glue batch-stop-job-run --region eu-west-1');
  });
});
