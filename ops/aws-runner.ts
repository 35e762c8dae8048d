import type { SparkRuntime } from '../lib/definition';
import { sparkStepName } from '../lib/naming';
import { runPlanExecutionInputJson } from '../lib/pipelines/execution-input';
import type { RunPlan } from '../lib/pipelines/pipelines';
import type { OpsClients } from './aws-clients';
import { type AwsTarget, stateMachineArn } from './aws-target';
import type { Clock } from './clock';
import { stepStatusOf } from './emr-steps';
import { OpsError } from './errors';
import { jobRunStatus } from './glue-runs';
import { RECONCILIATION_IN_BATCH_LOG } from './pipeline-results';
import type { RetryOptions } from './retry';
import type { PipelineRunner, RunningRun, RunSnapshot } from './run-pipeline';
import { describeExecution, executionHistory, runningExecutions, startExecution, traceExecution } from './sfn-executions';
import { isFinished, type UncertainStart, type WorkStatus } from './work-status';

/**
 * `platform-run-20261128T030000123Z-a1b2`: who started the execution and when (to the millisecond),
 * with a random suffix; unique, and within Step Functions' 80 characters.
 */
export function cliExecutionName(now: number, random: () => number = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  return `platform-run-${stamp}-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

export interface AwsRunnerProps {
  readonly target: AwsTarget;
  readonly clients: OpsClients;
  readonly plan: RunPlan;
  /** Start with `{"datasets": []}`: no ingestion, the Spark step only. */
  readonly skipIngestion: boolean;
  /**
   * Where the Spark step runs (`--on`), sent as the input's `sparkRuntime`.
   * @default - none sent: the state machine runs it where the environment's definition says
   */
  readonly sparkRuntime?: SparkRuntime;
  readonly retry: RetryOptions;
  readonly clock: Clock;
}

/**
 * `platform run` on AWS: starts the pipeline's Step Functions state machine with the input its
 * schedules send (lib/pipelines/execution-input.ts), so the run gets the data-quality evaluation, the
 * re-creation of a cluster that terminated itself and the wait for an earlier Spark step of the same
 * pipeline. It follows the execution through its history: the Glue job runs and the EMR step the
 * execution started (their ids are in the tasks' submitted output), polled with Glue and EMR for their
 * states and errors, or the EMR on EKS job run, whose state the history itself shows (its task ends
 * when the run does); the data-quality result of each dataset; and, when it fails, the state that failed.
 */
export class AwsRunner implements PipelineRunner {
  readonly cloud = 'aws';
  readonly region: string;
  readonly stateMachineArn: string;
  private readonly executionName: string;
  private readonly input: string;
  private partialSnapshot?: RunSnapshot;

  constructor(private readonly props: AwsRunnerProps) {
    const { target, plan } = props;
    this.region = target.region;
    this.stateMachineArn = stateMachineArn(target, plan.pipeline.name);
    this.executionName = cliExecutionName(props.clock.now(), props.retry.random);
    this.input = runPlanExecutionInputJson(plan, { skipIngestion: props.skipIngestion, sparkRuntime: props.sparkRuntime });
  }

  /** The ARN the execution gets: known before the start, so that an unanswered start can be checked. */
  get executionArn(): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${this.executionName}`;
  }

  async running(): Promise<RunningRun[]> {
    try {
      const running = await runningExecutions(this.props.clients.sfn, this.stateMachineArn, this.props.retry);
      return running.map((execution) => ({ description: 'Step Functions execution', id: execution.arn, startedAt: execution.startedAt }));
    } catch (error) {
      throw this.notDeployed(error) ?? error;
    }
  }

  async start(): Promise<RunSnapshot> {
    const { clients, retry, clock } = this.props;
    let execution;
    try {
      execution = await startExecution(clients.sfn, this.stateMachineArn, this.executionName, this.input, retry);
    } catch (error) {
      throw this.notDeployed(error) ?? error;
    }
    return {
      execution: {
        kind: 'sfn-execution',
        name: execution.name,
        id: execution.arn,
        state: 'RUNNING',
        startedAt: execution.startedAt,
        submittedAt: new Date(clock.now()),
      },
      ingestion: [],
      transform: [],
      finished: false,
      succeeded: false,
      reconciliation: RECONCILIATION_IN_BATCH_LOG,
    };
  }

  async poll(previous: RunSnapshot): Promise<RunSnapshot> {
    const { clients, retry } = this.props;
    const arn = previous.execution?.id as string;
    // The state first: a history read after it holds every event up to that state.
    const execution = await describeExecution(clients.sfn, arn, retry);
    const trace = traceExecution(await executionHistory(clients.sfn, arn, retry));
    const known = new Map([...previous.ingestion, ...previous.transform].map((work) => [`${work.kind}:${work.id}`, work]));
    const lastKnown = (work: WorkStatus) => known.get(`${work.kind}:${work.id}`) ?? work;
    // Should a Glue or EMR poll be abandoned, the report still names the work the history showed.
    const sparkWork = [...trace.emrSteps, ...trace.eksJobRuns];
    this.partialSnapshot = { ...previous, ingestion: trace.glueRuns.map(lastKnown), transform: sparkWork.map(lastKnown) };
    const refresh = async (work: WorkStatus): Promise<WorkStatus> => {
      const last = lastKnown(work);
      if (isFinished(last)) return last;
      // An EMR on EKS job run is as the history shows it (the .sync task ends when the run does).
      if (work.kind === 'emr-eks-job-run') return work;
      const now =
        work.kind === 'glue-job-run'
          ? await jobRunStatus(clients.glue, work.name, work.id as string, retry)
          : await stepStatusOf(clients.emr, work.clusterId as string, work.id as string, work.name, retry);
      return { ...now, submittedAt: work.submittedAt };
    };
    const ingestion = await Promise.all(trace.glueRuns.map(refresh));
    const transform = await Promise.all(sparkWork.map(refresh));
    const finished = isFinished({ kind: 'sfn-execution', name: execution.name, state: execution.state });
    const failure = finished && execution.state !== 'SUCCEEDED' ? (trace.failure ?? { state: '?', error: execution.error, cause: execution.cause }) : undefined;
    return {
      execution: {
        ...previous.execution,
        kind: 'sfn-execution',
        name: execution.name,
        id: arn,
        state: execution.state,
        startedAt: execution.startedAt,
        endedAt: execution.endedAt,
        error: failure ? [failure.error, failure.cause].filter(Boolean).join(': ') || undefined : undefined,
      },
      ingestion,
      transform,
      finished,
      succeeded: execution.state === 'SUCCEEDED',
      failure,
      dataQuality: trace.dataQuality,
      reconciliation: RECONCILIATION_IN_BATCH_LOG,
    };
  }

  partial(): RunSnapshot | undefined {
    return this.partialSnapshot;
  }

  lastStageStarted(snapshot: RunSnapshot): boolean {
    const stepName = sparkStepName(this.props.target.scope, this.props.plan.pipeline.name);
    return snapshot.transform.some((step) => step.name === stepName);
  }

  uncertainStart(): UncertainStart {
    return {
      kind: 'sfn-execution',
      name: this.executionName,
      call: 'Step Functions StartExecution',
      check: `aws stepfunctions describe-execution --region ${this.region} --execution-arn ${this.executionArn}`,
    };
  }

  /** The state machine does not exist: the orchestration stack is not deployed. */
  private notDeployed(error: unknown): OpsError | undefined {
    if ((error as Error).name !== 'StateMachineDoesNotExist') return undefined;
    const { target } = this.props;
    return new OpsError(
      `state machine ${this.stateMachineArn} not found in account ${target.account}, ${target.region}; deploy the ` +
        `environment's orchestration stack first (nothing was started)`,
      undefined,
      { cause: error },
    );
  }
}
