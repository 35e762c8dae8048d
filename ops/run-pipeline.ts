import { emrClusterName, glueIngestionJobName } from '../lib/naming';
import type { OpsClients } from './aws-clients';
import type { AwsTarget } from './aws-target';
import type { Clock } from './clock';
import { addSparkStep, findActiveCluster, stepStatusOf } from './emr-steps';
import { jobRunStatus, missingJobs, startJobRun } from './glue-runs';
import type { RunPlan } from '../lib/pipelines/pipelines';
import type { ProgressDisplay } from './progress';
import { type AwsCall, CallAbortedError, isNotConnected, networkErrorCode, noAnswer, type RetryOptions } from './retry';
import { sparkStepFor } from '../lib/pipelines/spark-step';
import { waitForAll } from './wait';
import { checkStartCommand, describeWork, isSucceeded, stopCommand, type UncertainStart, type WorkStatus } from './work-status';
import { awsExitCode, describeAwsError } from './aws-errors';
import { OpsError } from './errors';

export interface RunContext {
  readonly target: AwsTarget;
  readonly clients: OpsClients;
  readonly clock: Clock;
  /** Retries of the AWS calls; its `signal` aborts the call in flight at the --timeout deadline and on Ctrl-C. */
  readonly retry: RetryOptions;
  readonly pollIntervalMs: number;
  /** Epoch milliseconds at which --timeout expires. */
  readonly deadline?: number;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Live progress; absent with --json. */
  readonly progress?: ProgressDisplay;
  /** One line of narration ("started ..."), for people. */
  readonly log: (line: string) => void;
}

export type RunOutcome = 'succeeded' | 'submitted' | 'failed' | 'timeout' | 'interrupted';

/** What a run did, for the summary, the exit code and --json. */
export interface RunReport {
  readonly outcome: RunOutcome;
  readonly environment: string;
  readonly pipeline: string;
  /** The EMR cluster; absent when the CLI stopped before finding it. */
  readonly clusterId?: string;
  /** The Glue job runs started, with their last known status. */
  readonly ingestion: readonly WorkStatus[];
  /** The Spark step, once submitted. */
  readonly sparkStep?: WorkStatus;
  /** The stage during which a timeout or interrupt happened. */
  readonly stoppedWhile?: 'ingestion' | 'spark';
  /** The AWS call that had not answered (for a while) when a timeout or interrupt stopped the CLI. */
  readonly unanswered?: AwsCall;
  /** The start that had not answered when a timeout or interrupt stopped the CLI. */
  readonly uncertain?: UncertainStart;
}

/** A call in flight for less than this when the CLI stops was merely slow, not unanswered. */
const UNANSWERED_AFTER_MS = 1_000;

/**
 * `platform run`: starts the Glue ingestion runs of the plan, waits until all of them succeeded, then
 * submits the pipeline's Spark step (silver and gold are built from what ingestion landed, so the
 * step is never submitted before, nor after a failed ingestion). With `wait`, it then follows the step
 * to its end; without, it returns once the step is submitted.
 *
 * The EMR cluster and the Glue jobs are looked up first: when one is missing, nothing is started.
 * When the --timeout deadline passes or Ctrl-C is pressed during an AWS call, the call is abandoned
 * (context.retry.signal) and the report says what had started and which call had not answered.
 */
export async function runPipeline(plan: RunPlan, context: RunContext, wait: boolean): Promise<RunReport> {
  const { target, clients, retry } = context;
  const head = { environment: target.scope.environment, pipeline: plan.pipeline.name };
  const stopped = (error: unknown) => stoppedBy(error, context);

  let cluster;
  let missing;
  const jobNames = plan.datasets.map((dataset) => glueIngestionJobName(target.scope, dataset.name));
  try {
    cluster = await findActiveCluster(clients.emr, emrClusterName(target.scope), target.region, retry);
    missing = await missingJobs(clients.glue, jobNames, retry);
  } catch (error) {
    const stop = stopped(error);
    if (!stop) throw error;
    return { ...head, clusterId: cluster?.id, outcome: stop.outcome, unanswered: stop.unanswered, ingestion: [], stoppedWhile: 'ingestion' };
  }
  const base = { ...head, clusterId: cluster.id };
  if (missing.length > 0) {
    throw new OpsError(
      `Glue job${missing.length === 1 ? '' : 's'} not found in account ${target.account}, ${target.region}: ` +
        `${missing.join(', ')}; deploy the environment's ingestion jobs first (nothing was started)`,
    );
  }

  // Ctrl-C before or between the starts: start nothing more, and report what did start.
  const interrupted = () => context.signal?.aborted === true;
  const started: WorkStatus[] = [];
  for (const jobName of jobNames) {
    if (interrupted()) return { ...base, outcome: 'interrupted', ingestion: started, stoppedWhile: 'ingestion' };
    try {
      const run = { ...(await startJobRun(clients.glue, jobName, retry)), submittedAt: new Date(context.clock.now()) };
      context.log(`started ${run.name} run ${run.id}`);
      started.push(run);
    } catch (error) {
      const stop = stopped(error);
      if (!stop) throw startFailure(error, jobName, started, target.region);
      const uncertain = stop.inFlight ? ({ kind: 'glue-job-run', name: jobName } as const) : undefined;
      return { ...base, outcome: stop.outcome, ingestion: started, stoppedWhile: 'ingestion', uncertain };
    }
  }

  let ingestion: readonly WorkStatus[] = started;
  if (started.length > 0) {
    const waited = await follow(started, context, head, (status) => jobRunStatus(clients.glue, status.name, status.id as string, retry));
    ingestion = waited.statuses;
    if (waited.outcome !== 'finished') return { ...base, outcome: waited.outcome, ingestion, stoppedWhile: 'ingestion', unanswered: waited.unanswered };
    if (!ingestion.every(isSucceeded)) return { ...base, outcome: 'failed', ingestion };
  }

  if (interrupted()) return { ...base, outcome: 'interrupted', ingestion, stoppedWhile: 'ingestion' };
  const step = sparkStepFor(target, plan.pipeline);
  let submitted: WorkStatus;
  try {
    submitted = { ...(await addSparkStep(clients.emr, cluster.id, step, retry)), submittedAt: new Date(context.clock.now()) };
  } catch (error) {
    const stop = stopped(error);
    if (!stop) throw submitFailure(error, step.name, cluster.id, target.region);
    const uncertain = stop.inFlight ? ({ kind: 'emr-step', name: step.name, clusterId: cluster.id } as const) : undefined;
    return { ...base, outcome: stop.outcome, ingestion, stoppedWhile: 'spark', uncertain };
  }
  context.log(`submitted ${submitted.name} step ${submitted.id} to cluster ${cluster.id}`);
  if (!wait) return { ...base, outcome: 'submitted', ingestion, sparkStep: submitted };

  const waited = await follow([submitted], context, head, (status) => stepStatusOf(clients.emr, cluster.id, status.id as string, status.name, retry));
  const sparkStep = waited.statuses[0];
  if (waited.outcome !== 'finished') return { ...base, outcome: waited.outcome, ingestion, sparkStep, stoppedWhile: 'spark', unanswered: waited.unanswered };
  return { ...base, outcome: isSucceeded(sparkStep) ? 'succeeded' : 'failed', ingestion, sparkStep };
}

/** The outcome when `error` is an AWS call abandoned at the deadline or on Ctrl-C; undefined otherwise. */
function stoppedBy(error: unknown, context: RunContext): { outcome: RunOutcome; inFlight: boolean; unanswered?: AwsCall } | undefined {
  if (!(error instanceof CallAbortedError)) return undefined;
  const outcome: RunOutcome = context.signal?.aborted ? 'interrupted' : 'timeout';
  return { outcome, inFlight: error.inFlight, unanswered: error.inFlight && error.waitedMs >= UNANSWERED_AFTER_MS ? error.call : undefined };
}

/** Waits for `work`; when polling fails for good, the error names the work that may still be running. */
async function follow(
  work: readonly WorkStatus[],
  context: RunContext,
  head: { readonly environment: string; readonly pipeline: string },
  poll: (status: WorkStatus) => Promise<WorkStatus>,
) {
  context.progress?.detach();
  const keepSubmittedAt = async (status: WorkStatus) => ({ ...(await poll(status)), submittedAt: status.submittedAt });
  let latest = work;
  try {
    const waited = await waitForAll(work, keepSubmittedAt, {
      clock: context.clock,
      pollIntervalMs: context.pollIntervalMs,
      deadline: context.deadline,
      signal: context.signal,
      onUpdate: (statuses) => {
        latest = statuses;
        context.progress?.update(statuses, context.clock.now());
      },
    });
    return { ...waited, unanswered: undefined };
  } catch (error) {
    const stop = stoppedBy(error, context);
    if (stop) return { outcome: stop.outcome, statuses: latest, unanswered: stop.unanswered };
    const description = describeAwsError(error);
    if (!description) throw error;
    const lines = [
      `lost track of the run: ${description}`,
      'started, possibly still running in AWS:',
      ...work.map((w) => `  ${describeWork(w)}; stop it with: ${stopCommand(w, context.target.region)}`),
      `to follow it: platform status ${head.pipeline} --env ${head.environment}`,
    ];
    throw new OpsError(lines.join('\n'), awsExitCode(error), { cause: error });
  }
}

/** True when a start may have reached AWS although it failed: its answer was lost or never came. */
function mayHaveStarted(error: unknown): boolean {
  return !isNotConnected(error) && (noAnswer(error) !== undefined || networkErrorCode(error) !== undefined);
}

/** The error of a failed StartJobRun, naming the runs that did start and keep running. */
function startFailure(error: unknown, jobName: string, started: readonly WorkStatus[], region: string): unknown {
  const description = describeAwsError(error);
  if (!description) return error;
  const lines = [`cannot start Glue job ${jobName}: ${description}`];
  if (mayHaveStarted(error))
    lines.push(`a run of ${jobName} may have started all the same; check with: ${checkStartCommand({ kind: 'glue-job-run', name: jobName }, region)}`);
  if (started.length > 0) {
    lines.push(
      'already started, still running in AWS (the Spark step was not submitted):',
      ...started.map((run) => `  ${describeWork(run)}; stop it with: ${stopCommand(run, region)}`),
    );
  }
  return new OpsError(lines.join('\n'), awsExitCode(error), { cause: error });
}

/** The error of a failed AddJobFlowSteps; when the answer was lost, the step may have been added. */
function submitFailure(error: unknown, stepName: string, clusterId: string, region: string): unknown {
  const description = describeAwsError(error);
  if (!description) return error;
  const lines = [`cannot submit the Spark step ${stepName} to cluster ${clusterId}: ${description}`];
  if (mayHaveStarted(error))
    lines.push(`the step may have been added all the same; check with: ${checkStartCommand({ kind: 'emr-step', name: stepName, clusterId }, region)}`);
  return new OpsError(lines.join('\n'), awsExitCode(error), { cause: error });
}
