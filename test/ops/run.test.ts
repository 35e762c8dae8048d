import { AthenaClient } from '@aws-sdk/client-athena';
import { DescribeStepCommand, EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { GetJobRunCommand, GetJobRunsCommand, GlueClient, type JobRunState } from '@aws-sdk/client-glue';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { pipelineExecutionInputJson, runPlanExecutionInputJson } from '../../lib/pipelines/execution-input';
import { runPlan } from '../../lib/pipelines/pipelines';
import { traceExecution } from '../../ops/sfn-executions';
import { stopCommand } from '../../ops/work-status';
import { exampleConfig } from '../fixtures/platform';
import { noBatchLog } from './fake-athena';
import { awsError, FakeClock, runCli } from './harness';

const glueMock = mockClient(GlueClient);
const emrMock = mockClient(EMRClient);
const sfnMock = mockClient(SFNClient);
const athenaMock = mockClient(AthenaClient);
const started = new Date(Date.UTC(2026, 10, 28, 2, 59, 0));
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:acme-dev-pipeline-sales';
const EXECUTION = 'arn:aws:states:eu-west-1:111111111111:execution:acme-dev-pipeline-sales:platform-run-20261128T030000000Z-8000';

/** History events of a pipeline execution, each linked to the one before, as Step Functions records them. */
class History {
  readonly events: HistoryEvent[] = [];
  private add(event: Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'>): this {
    const id = this.events.length + 1;
    this.events.push({ ...event, id, previousEventId: id - 1, timestamp: started } as HistoryEvent);
    return this;
  }
  entered(name: string, type = 'TaskStateEntered'): this {
    return this.add({ type: type as HistoryEvent['type'], stateEnteredEventDetails: { name } });
  }
  exited(name: string, output: unknown): this {
    return this.add({ type: 'TaskStateExited', stateExitedEventDetails: { name, output: JSON.stringify(output) } });
  }
  task(resourceType: string, resource: string, parameters: unknown, submitted: unknown): this {
    return this.add({
      type: 'TaskScheduled',
      taskScheduledEventDetails: { resourceType, resource, region: 'eu-west-1', parameters: JSON.stringify(parameters) },
    })
      .add({ type: 'TaskStarted', taskStartedEventDetails: { resourceType, resource } })
      .add({ type: 'TaskSubmitted', taskSubmittedEventDetails: { resourceType, resource, output: JSON.stringify(submitted) } });
  }
  other(type: string, details: Record<string, unknown> = {}): this {
    return this.add({ type: type as HistoryEvent['type'], ...details });
  }
  /** Started, ran the Glue job of orders, then read its quality result. */
  static ingested(failedRules: string[] = []): History {
    return new History()
      .other('ExecutionStarted')
      .entered('Run ingestion job')
      .task('glue', 'startJobRun.sync', { JobName: 'acme-dev-ingest-orders' }, { JobRunId: 'jr_orders' })
      .other('TaskSucceeded')
      .entered('Read quality result')
      .exited('Read quality result', { dataset: 'orders', score: failedRules.length ? 0.5 : 1, failed: failedRules });
  }
  /** ... then started the Spark step as an EMR on EKS job run of the staging virtual cluster. */
  sparkJobRun(): this {
    return this.entered('Run Spark job on EKS').task(
      'emr-containers',
      'startJobRun.sync',
      { Name: 'acme-staging-silver-gold-sales', VirtualClusterId: 'vc123', ReleaseLabel: 'emr-7.13.0-latest' },
      { Id: '0000000abc', Name: 'acme-staging-silver-gold-sales', VirtualClusterId: 'vc123' },
    );
  }
  /** ... then submitted the Spark step. */
  sparkStep(): this {
    return this.entered('Run Spark step').task(
      'elasticmapreduce',
      'addStep.sync',
      { ClusterId: 'j-CLUSTER', Step: { Name: 'acme-dev-silver-gold-sales', ActionOnFailure: 'CONTINUE' } },
      { StepId: 's-STEP' },
    );
  }
}

const DQ_CAUSE = 'dataset orders (ruleset acme-dev-dq-orders, job run jr_orders): IsComplete "order_id" FAIL: Value: 0.98 does not meet the constraint';

function dataQualityFailure(): History {
  return History.ingested(['IsComplete "order_id" FAIL: Value: 0.98 does not meet the constraint'])
    .entered('Quality rules failed', 'FailStateEntered')
    .other('MapIterationFailed')
    .entered('Notify failure')
    .entered('Failed', 'FailStateEntered')
    .other('ExecutionFailed', { executionFailedEventDetails: { error: 'DataQualityRulesFailed', cause: DQ_CAUSE } });
}

/** The execution goes through `states`, one per DescribeExecution, while its history shows `histories` (one per read, the last kept). */
function execution(states: string[], histories: History[], extra: Record<string, unknown> = {}) {
  let describe = 0;
  let read = 0;
  sfnMock.on(DescribeExecutionCommand).callsFake(() => {
    const status = states[Math.min(describe++, states.length - 1)];
    return {
      executionArn: EXECUTION,
      name: EXECUTION.split(':').pop(),
      status,
      startDate: started,
      ...(status === 'RUNNING' ? {} : { stopDate: new Date(started.getTime() + 600_000) }),
      ...extra,
    };
  });
  sfnMock.on(GetExecutionHistoryCommand).callsFake(() => ({ events: histories[Math.min(read++, histories.length - 1)].events }));
}

function glueRun(state: JobRunState) {
  return { JobRun: { Id: 'jr_orders', JobRunState: state, StartedOn: started } };
}

function emrStep(state: string) {
  return { Step: { Id: 's-STEP', Name: 'acme-dev-silver-gold-sales', Status: { State: state, Timeline: { StartDateTime: started } } } } as any;
}

beforeEach(() => {
  glueMock.reset();
  emrMock.reset();
  sfnMock.reset();
  athenaMock.reset();
  noBatchLog(athenaMock);
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
  sfnMock.on(StartExecutionCommand).callsFake((input) => ({ executionArn: EXECUTION.replace(/[^:]+$/, input.name), startDate: started }));
  glueMock.on(GetJobRunCommand).resolves(glueRun('SUCCEEDED'));
  emrMock.on(DescribeStepCommand).resolves(emrStep('COMPLETED'));
});

describe('platform run on AWS: the Step Functions execution the scheduler starts', () => {
  test('starts the state machine with the schedule input and follows its Glue run and Spark step to the end with --wait', async () => {
    execution(
      ['RUNNING', 'RUNNING', 'SUCCEEDED'],
      [History.ingested(), History.ingested().sparkStep(), History.ingested().sparkStep().other('ExecutionSucceeded')],
    );
    glueMock.on(GetJobRunCommand).resolvesOnce(glueRun('RUNNING')).resolves(glueRun('SUCCEEDED'));
    emrMock.on(DescribeStepCommand).resolvesOnce(emrStep('RUNNING')).resolves(emrStep('COMPLETED'));

    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);

    expect(run.stderr).toContain(`started Step Functions execution platform-run-20261128T030000000Z-8000 ${EXECUTION}`);
    expect(run.code).toBe(0);
    const [start] = sfnMock.commandCalls(StartExecutionCommand);
    expect(start.args[0].input).toEqual({ stateMachineArn: STATE_MACHINE, name: 'platform-run-20261128T030000000Z-8000', input: '{"datasets":["orders"]}' });
    // The same input as the dataset's EventBridge Scheduler target.
    expect(start.args[0].input.input).toBe(pipelineExecutionInputJson(['orders']));
    expect(run.stdout).toContain('pipeline sales in dev (aws): succeeded');
    expect(run.stdout).toContain(`Step Functions execution platform-run-20261128T030000000Z-8000 ${EXECUTION}: SUCCEEDED after 10m00s`);
    expect(run.stdout).toContain('Glue job run acme-dev-ingest-orders jr_orders: SUCCEEDED');
    expect(run.stdout).toContain('EMR step acme-dev-silver-gold-sales s-STEP on cluster j-CLUSTER: COMPLETED');
    expect(run.stdout).toContain('data quality: passed (orders)');
    expect(run.stdout).toContain('reconciliation (bronze = accepted + quarantined): see platform status');
    expect(glueMock.commandCalls(GetJobRunCommand).map((call) => call.args[0].input)).toContainEqual({ JobName: 'acme-dev-ingest-orders', RunId: 'jr_orders' });
  });

  test('a pipeline runs every batch dataset (no datasets in the input); --skip-ingestion sends an empty list', async () => {
    execution(['SUCCEEDED'], [History.ingested().sparkStep()]);
    expect((await runCli(['run', 'sales', '--env', 'dev', '--wait'])).code).toBe(0);
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.input).toBe('{}');

    sfnMock.resetHistory();
    expect((await runCli(['run', 'sales', '--env', 'dev', '--wait', '--skip-ingestion'])).code).toBe(0);
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.input).toBe('{"datasets":[]}');
  });

  test('--on kubernetes starts the execution with the Spark runtime and follows the EMR on EKS job run it starts', async () => {
    execution(
      ['RUNNING', 'SUCCEEDED'],
      [History.ingested().sparkJobRun(), History.ingested().sparkJobRun().other('TaskSucceeded').other('ExecutionSucceeded')],
    );
    const run = await runCli(['run', 'sales', '--env', 'staging', '--on', 'kubernetes', '--wait']);
    expect(run.code).toBe(0);
    const [start] = sfnMock.commandCalls(StartExecutionCommand);
    expect(start.args[0].input).toEqual({
      stateMachineArn: 'arn:aws:states:eu-west-1:222222222222:stateMachine:acme-staging-pipeline-sales',
      name: 'platform-run-20261128T030000000Z-8000',
      input: '{"sparkRuntime":"kubernetes"}',
    });
    expect(start.args[0].input.input).toBe(runPlanExecutionInputJson(runPlan(exampleConfig(), 'sales'), { sparkRuntime: 'kubernetes' }));
    expect(run.stdout).toContain('EMR on EKS job run acme-staging-silver-gold-sales 0000000abc on virtual cluster vc123: COMPLETED');
    expect(emrMock.commandCalls(DescribeStepCommand)).toHaveLength(0);

    sfnMock.resetHistory();
    execution(['SUCCEEDED'], [History.ingested().sparkStep()]);
    expect((await runCli(['run', 'orders', '--env', 'dev', '--on', 'emr', '--skip-ingestion', '--wait'])).code).toBe(0);
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.input).toBe('{"datasets":[],"sparkRuntime":"emr"}');
  });

  test('without --wait, returns once the execution has started the EMR on EKS job run', async () => {
    execution(['RUNNING'], [History.ingested(), History.ingested().sparkJobRun()]);
    const run = await runCli(['run', 'sales', '--env', 'staging', '--on', 'kubernetes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('started; its last stage is under way');
    expect(run.stdout).toContain('EMR on EKS job run acme-staging-silver-gold-sales 0000000abc on virtual cluster vc123: SUBMITTED');
  });

  test('a failed EMR on EKS job run: exit 1 with its error, and the command that cancels a run', async () => {
    const failed = History.ingested()
      .sparkJobRun()
      .other('TaskFailed', { taskFailedEventDetails: { error: 'States.TaskFailed', cause: 'Job run failed: Spark driver exited with code 1' } })
      .entered('Notify failure')
      .entered('Failed', 'FailStateEntered')
      .other('ExecutionFailed', { executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'Job run failed: Spark driver exited with code 1' } });
    execution(['FAILED'], [failed], { error: 'States.TaskFailed', cause: 'Job run failed: Spark driver exited with code 1' });
    const json = JSON.parse((await runCli(['run', 'sales', '--env', 'staging', '--on', 'kubernetes', '--wait', '--json'])).stdout);
    expect(json).toMatchObject({
      outcome: 'failed',
      failure: { state: 'Run Spark job on EKS', error: 'States.TaskFailed' },
      transform: [
        {
          kind: 'emr-eks-job-run',
          id: '0000000abc',
          clusterId: 'vc123',
          state: 'FAILED',
          error: 'States.TaskFailed: Job run failed: Spark driver exited with code 1',
        },
      ],
    });
    expect(stopCommand({ kind: 'emr-eks-job-run', name: 'n', id: '0000000abc', clusterId: 'vc123', state: 'RUNNING' }, 'eu-west-1')).toBe(
      'aws emr-containers cancel-job-run --region eu-west-1 --virtual-cluster-id vc123 --id 0000000abc',
    );
  });

  test.each<[string, string[], string]>([
    [
      'an environment without the EMR on EKS virtual cluster',
      ['--env', 'dev', '--on', 'kubernetes'],
      'platform: --on: environment "dev" has no EMR on EKS virtual cluster for the Spark step to run on ' +
        '(environments.dev.aws.kubernetes.enabled is false); Spark runtimes of dev: emr',
    ],
    ['a runtime that is none', ['--env', 'staging', '--on', 'eks'], 'platform: --on: unknown Spark runtime "eks"'],
    [
      'another cloud',
      ['--env', 'dev', '--cloud', 'azure', '--on', 'emr'],
      'platform: --on chooses where the AWS Spark step runs (emr or kubernetes); it does not apply to --cloud azure',
    ],
  ])('--on refuses %s (exit 2), starting nothing', async (_what, args, message) => {
    const run = await runCli(['run', 'sales', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run "platform run --help" for usage.');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(sfnMock.commandCalls(ListExecutionsCommand)).toHaveLength(0);
  });

  test('without --wait, returns once the execution has submitted the Spark step', async () => {
    execution(['RUNNING'], [History.ingested(), History.ingested().sparkStep()]);
    emrMock.on(DescribeStepCommand).resolves(emrStep('RUNNING'));
    const run = await runCli(['run', 'orders', '--env', 'dev']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pipeline sales in dev (aws): started; its last stage is under way (not waiting: add --wait to follow it to its end)');
    expect(run.stdout).toContain('to follow it: platform status sales --env dev --cloud aws');
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)).toHaveLength(2);
  });

  test('refuses to start a pipeline that is already running, naming the execution and its start (exit 4)', async () => {
    const running = 'arn:aws:states:eu-west-1:111111111111:execution:acme-dev-pipeline-sales:scheduled-orders';
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: [{ executionArn: running, stateMachineArn: STATE_MACHINE, name: 'scheduled-orders', status: 'RUNNING', startDate: started }],
    });
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('platform: pipeline sales in dev is already running; nothing was started:');
    expect(run.stderr).toContain(`Step Functions execution ${running} (started 2026-11-28T02:59:00Z)`);
    expect(run.stderr).toContain('platform run sales --env dev --cloud aws --wait-for-running');
    expect(sfnMock.commandCalls(ListExecutionsCommand)[0].args[0].input).toMatchObject({ stateMachineArn: STATE_MACHINE, statusFilter: 'RUNNING' });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('--wait-for-running waits for the execution in progress to end, then starts', async () => {
    const running = { executionArn: `${EXECUTION}-other`, stateMachineArn: STATE_MACHINE, name: 'other', status: 'RUNNING' as const, startDate: started };
    sfnMock
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [running] })
      .resolvesOnce({ executions: [running] })
      .resolves({ executions: [] });
    execution(['SUCCEEDED'], [History.ingested().sparkStep()]);
    const clock = new FakeClock();
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait', '--wait-for-running', '--poll-interval', '1m'], { clock });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`waiting for the run in progress: Step Functions execution ${EXECUTION}-other`);
    expect(run.stdout).toContain(`waited for the run in progress: Step Functions execution ${EXECUTION}-other (started 2026-11-28T02:59:00Z)`);
    expect(sfnMock.commandCalls(ListExecutionsCommand)).toHaveLength(3);
    expect(clock.sleeps.slice(0, 2)).toEqual([60_000, 60_000]);
    const [listed, start] = [sfnMock.commandCalls(ListExecutionsCommand)[2], sfnMock.commandCalls(StartExecutionCommand)[0]];
    expect(start.calledAfter(listed as any)).toBe(true);
  });

  test('--wait-for-running with --timeout: exit 124 while still waiting, nothing started', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: [{ executionArn: `${EXECUTION}-other`, stateMachineArn: STATE_MACHINE, name: 'other', status: 'RUNNING', startDate: started }],
    });
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait-for-running', '--timeout', '5m', '--json']);
    expect(run.code).toBe(124);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ outcome: 'timeout', stoppedWhile: 'waiting-for-running', waitedFor: { id: `${EXECUTION}-other` }, exitCode: 124 });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('an execution that fails its data quality: exit 1 with the state, error and cause, and the failed rules', async () => {
    execution(['RUNNING', 'FAILED'], [History.ingested(), dataQualityFailure()], { error: 'DataQualityRulesFailed', cause: DQ_CAUSE });
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pipeline sales in dev (aws): FAILED');
    expect(run.stderr).toContain(`failed in Quality rules failed: DataQualityRulesFailed: ${DQ_CAUSE}`);
    expect(run.stderr).toContain('data quality: failed (orders: IsComplete "order_id" FAIL: Value: 0.98 does not meet the constraint)');
    expect(run.stderr).not.toContain('EMR step');

    sfnMock.resetHistory();
    execution(['FAILED'], [dataQualityFailure()], { error: 'DataQualityRulesFailed', cause: DQ_CAUSE });
    const json = JSON.parse((await runCli(['run', 'orders', '--env', 'dev', '--wait', '--json'])).stdout);
    expect(json).toMatchObject({
      outcome: 'failed',
      cloud: 'aws',
      exitCode: 1,
      failure: { state: 'Quality rules failed', error: 'DataQualityRulesFailed', cause: DQ_CAUSE },
      dataQuality: [{ dataset: 'orders', result: 'failed', score: 0.5 }],
      reconciliation: { recorded: false },
      execution: { kind: 'sfn-execution', state: 'FAILED', durationSeconds: 600 },
      ingestion: [{ kind: 'glue-job-run', id: 'jr_orders', state: 'SUCCEEDED' }],
      transform: [],
    });
  });

  test('a failed Glue run inside the execution names the task state and the Glue error', async () => {
    const history = new History()
      .other('ExecutionStarted')
      .entered('Run ingestion job')
      .task('glue', 'startJobRun.sync', { JobName: 'acme-dev-ingest-orders' }, { JobRunId: 'jr_orders' })
      .other('TaskFailed', { taskFailedEventDetails: { error: 'States.TaskFailed', cause: '{"JobRunState":"FAILED","ErrorMessage":"Access Denied"}' } })
      .other('MapStateFailed')
      .entered('Notify failure')
      .entered('Failed', 'FailStateEntered')
      .other('ExecutionFailed', {
        executionFailedEventDetails: { error: 'States.TaskFailed', cause: '{"JobRunState":"FAILED","ErrorMessage":"Access Denied"}' },
      });
    expect(traceExecution(history.events).failure).toEqual({
      state: 'Run ingestion job',
      error: 'States.TaskFailed',
      cause: '{"JobRunState":"FAILED","ErrorMessage":"Access Denied"}',
    });
    execution(['FAILED'], [history]);
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_orders', JobRunState: 'FAILED', ErrorMessage: 'Access Denied' } });
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('failed in Run ingestion job: States.TaskFailed');
    expect(run.stderr).toContain('error from Glue job run acme-dev-ingest-orders jr_orders: Access Denied');
  });

  test('--timeout exits 124, naming the execution and how to stop it (which stops what it started)', async () => {
    execution(['RUNNING'], [History.ingested()]);
    glueMock.on(GetJobRunCommand).resolves(glueRun('RUNNING'));
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait', '--timeout', '30m']);
    expect(run.code).toBe(124);
    expect(run.stderr).toContain('pipeline sales in dev (aws): timed out (--timeout); stopped waiting, nothing was stopped');
    expect(run.stderr).toContain('still running in AWS:');
    expect(run.stderr).toContain('Glue job run acme-dev-ingest-orders jr_orders (RUNNING)');
    expect(run.stderr).toContain(`aws stepfunctions stop-execution --region eu-west-1 --execution-arn ${EXECUTION}`);
    expect(sfnMock.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  test('Ctrl-C stops following with exit 130; the execution keeps running', async () => {
    execution(['RUNNING'], [History.ingested()]);
    glueMock.on(GetJobRunCommand).resolves(glueRun('RUNNING'));
    const controller = new AbortController();
    const clock = new FakeClock();
    clock.sleep = async (ms: number) => {
      clock.current += ms;
      controller.abort();
    };
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait'], { clock, signal: controller.signal });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('interrupted; stopped waiting, nothing was stopped');
    expect(run.stderr).toContain(`aws stepfunctions stop-execution --region eu-west-1 --execution-arn ${EXECUTION}`);
  });

  test('fails with one line when the state machine is not deployed, starting nothing', async () => {
    sfnMock.on(ListExecutionsCommand).rejects(awsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${STATE_MACHINE}'`));
    const run = await runCli(['run', 'sales', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `platform: state machine ${STATE_MACHINE} not found in account 111111111111, eu-west-1; ` +
        "deploy the environment's orchestration stack first (nothing was started)\n",
    );
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('StartExecution is retried after a server error: the execution name makes it idempotent', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejectsOnce(awsError('InternalServerError', 'internal', 500))
      .callsFake((input) => ({ executionArn: EXECUTION.replace(/[^:]+$/, input.name), startDate: started }));
    execution(['SUCCEEDED'], [History.ingested().sparkStep()]);
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(0);
    const names = sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(names).toEqual(['platform-run-20261128T030000000Z-8000', 'platform-run-20261128T030000000Z-8000']);
  });

  test('a throttled poll does not end the wait', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ executionArn: EXECUTION, name: 'x', status: 'SUCCEEDED', startDate: started, stopDate: started });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: History.ingested().sparkStep().events });
    const run = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(run.code).toBe(0);
  });

  test('redraws progress in place on a terminal and prints state changes as lines otherwise', async () => {
    execution(['RUNNING', 'RUNNING', 'SUCCEEDED'], [History.ingested(), History.ingested().sparkStep()]);
    const tty = await runCli(['run', 'orders', '--env', 'dev', '--wait'], { tty: true });
    // One line more once the Spark step appears: the redraw goes up as many lines as it drew.
    expect(tty.stderr).toContain('\x1b[2A');
    expect(tty.stderr).toContain('\x1b[3A');
    expect(tty.stderr).toContain('\x1b[2K');

    sfnMock.reset();
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: started });
    execution(['RUNNING', 'SUCCEEDED'], [History.ingested(), History.ingested().sparkStep()]);
    const plain = await runCli(['run', 'orders', '--env', 'dev', '--wait']);
    expect(plain.stderr).not.toContain('\x1b[');
    expect(plain.stderr).toMatch(/^\d\d:\d\d:\d\d {2}sfn +platform-run-20261128T030000000Z-8000 +RUNNING/m);
    expect(plain.stderr).toMatch(/^\d\d:\d\d:\d\d {2}glue {2}acme-dev-ingest-orders +SUCCEEDED/m);
  });
});

describe('platform status on AWS', () => {
  test("shows each pipeline's last execution with its data-quality result, and the reconciliation as not recorded yet", async () => {
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
    emrMock.on(ListClustersCommand).resolves({ Clusters: [] });
    sfnMock.on(ListExecutionsCommand).callsFake((input) =>
      input.stateMachineArn === STATE_MACHINE
        ? {
            executions: [
              { executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, name: 'scheduled', status: 'FAILED', startDate: started, stopDate: started },
            ],
          }
        : { executions: [] },
    );
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: dataQualityFailure().events });

    const run = await runCli(['status', '--env', 'dev']);

    expect(run.code).toBe(0);
    const [header, sales, marketing] = run.stdout.split('\n');
    expect(header).toMatch(/^PIPELINE +LAST RUN +STATE +STARTED \(UTC\) +DURATION +DATA QUALITY +RECONCILIATION +ERROR$/);
    expect(sales).toMatch(
      new RegExp(
        String.raw`^sales +scheduled +FAILED +2026-11-28T02:59:00Z +0s +failed \(orders: IsComplete "order_id" FAIL: .*\) ` +
          String.raw`+not recorded yet +Quality rules failed: DataQualityRulesFailed`,
      ),
    );
    expect(marketing).toMatch(/^marketing +- +NO_RUNS/);
    expect(run.stdout).toContain('reconciliation not recorded yet: no Spark run has written acme_dev_silver._batches');
    expect(sfnMock.commandCalls(ListExecutionsCommand)[0].args[0].input).toMatchObject({ maxResults: 1 });

    const json = JSON.parse((await runCli(['status', 'sales', '--env', 'dev', '--json'])).stdout);
    expect(json.pipelines).toEqual([
      expect.objectContaining({
        pipeline: 'sales',
        lastRun: expect.objectContaining({ kind: 'sfn-execution', id: EXECUTION, state: 'FAILED' }),
        dataQuality: [expect.objectContaining({ dataset: 'orders', result: 'failed' })],
        reconciliation: { recorded: false, summary: 'not recorded yet', reason: expect.stringContaining('not recorded yet') },
        failure: { state: 'Quality rules failed', error: 'DataQualityRulesFailed', cause: DQ_CAUSE },
      }),
    ]);
  });
});
