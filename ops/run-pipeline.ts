import { emrClusterName, glueIngestionJobName } from '../lib/naming';
import type { OpsClients } from './aws-clients';
import type { AwsTarget } from './aws-target';
import type { Clock } from './clock';
import { addSparkStep, findActiveCluster, stepStatusOf } from './emr-steps';
import { jobRunStatus, missingJobs, startJobRun } from './glue-runs';
import type { RunPlan } from '../lib/pipelines/pipelines';
import type { ProgressDisplay } from './progress';
import type { RetryOptions } from './retry';
import { sparkStepFor } from '../lib/pipelines/spark-step';
import { waitForAll } from './wait';
import { describeWork, isSucceeded, stopCommand, type WorkStatus } from './work-status';
import { describeAwsError } from './aws-errors';
import { OpsError } from './errors';

export interface RunContext {
  readonly target: AwsTarget;
  readonly clients: OpsClients;
  readonly clock: Clock;
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
  readonly clusterId: string;
  /** The Glue job runs started, with their last known status. */
  readonly ingestion: readonly WorkStatus[];
  /** The Spark step, once submitted. */
  readonly sparkStep?: WorkStatus;
  /** The stage during which a timeout or interrupt happened. */
  readonly stoppedWhile?: 'ingestion' | 'spark';
}

/**
 * `platform run`: starts the Glue ingestion runs of the plan, waits until all of them succeeded, then
 * submits the pipeline's Spark step (silver and gold are built from what ingestion landed, so the
 * step is never submitted before, nor after a failed ingestion). With `wait`, it then follows the step
 * to its end; without, it returns once the step is submitted.
 *
 * The EMR cluster and the Glue jobs are looked up first: when one is missing, nothing is started.
 */
export async function runPipeline(plan: RunPlan, context: RunContext, wait: boolean): Promise<RunReport> {
  const { target, clients, retry } = context;
  const cluster = await findActiveCluster(clients.emr, emrClusterName(target.scope), target.region, retry);
  const base = { environment: target.scope.environment, pipeline: plan.pipeline.name, clusterId: cluster.id };

  const jobNames = plan.datasets.map((dataset) => glueIngestionJobName(target.scope, dataset.name));
  const missing = await missingJobs(clients.glue, jobNames, retry);
  if (missing.length > 0) {
    throw new OpsError(`Glue job${missing.length === 1 ? '' : 's'} not found in account ${target.account}, ${target.region}: ${missing.join(', ')}; deploy the environment's ingestion jobs first (nothing was started)`);
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
      throw startFailure(error, jobName, started, target.region);
    }
  }

  let ingestion: readonly WorkStatus[] = started;
  if (started.length > 0) {
    const waited = await follow(started, context, (status) => jobRunStatus(clients.glue, status.name, status.id as string, retry));
    ingestion = waited.statuses;
    if (waited.outcome !== 'finished') return { ...base, outcome: waited.outcome, ingestion, stoppedWhile: 'ingestion' };
    if (!ingestion.every(isSucceeded)) return { ...base, outcome: 'failed', ingestion };
  }

  if (interrupted()) return { ...base, outcome: 'interrupted', ingestion, stoppedWhile: 'ingestion' };
  const submitted = { ...(await addSparkStep(clients.emr, cluster.id, sparkStepFor(target, plan.pipeline), retry)), submittedAt: new Date(context.clock.now()) };
  context.log(`submitted ${submitted.name} step ${submitted.id} to cluster ${cluster.id}`);
  if (!wait) return { ...base, outcome: 'submitted', ingestion, sparkStep: submitted };

  const waited = await follow([submitted], context, (status) => stepStatusOf(clients.emr, cluster.id, status.id as string, status.name, retry));
  const sparkStep = waited.statuses[0];
  if (waited.outcome !== 'finished') return { ...base, outcome: waited.outcome, ingestion, sparkStep, stoppedWhile: 'spark' };
  return { ...base, outcome: isSucceeded(sparkStep) ? 'succeeded' : 'failed', ingestion, sparkStep };
}

/** The error of a failed StartJobRun, naming the runs that did start and keep running. */
function startFailure(error: unknown, jobName: string, started: readonly WorkStatus[], region: string): unknown {
  const description = describeAwsError(error);
  if (!description) return error;
  const lines = [`cannot start Glue job ${jobName}: ${description}`];
  if (started.length > 0) {
    lines.push('already started, still running in AWS (the Spark step was not submitted):', ...started.map((run) => `  ${describeWork(run)}; stop it with: ${stopCommand(run, region)}`));
  }
  return new OpsError(lines.join('\n'), undefined, { cause: error });
}

/** Waits for `work`; when polling fails for good, the error names the work that may still be running. */
async function follow(work: readonly WorkStatus[], context: RunContext, poll: (status: WorkStatus) => Promise<WorkStatus>) {
  context.progress?.detach();
  const keepSubmittedAt = async (status: WorkStatus) => ({ ...(await poll(status)), submittedAt: status.submittedAt });
  try {
    return await waitForAll(work, keepSubmittedAt, {
      clock: context.clock,
      pollIntervalMs: context.pollIntervalMs,
      deadline: context.deadline,
      signal: context.signal,
      onUpdate: (statuses) => context.progress?.update(statuses, context.clock.now()),
    });
  } catch (error) {
    const description = describeAwsError(error);
    if (!description) throw error;
    const lines = [`lost track of the run: ${description}`, 'started, possibly still running in AWS:', ...work.map((w) => `  ${describeWork(w)}; stop it with: ${stopCommand(w, context.target.region)}`)];
    throw new OpsError(lines.join('\n'), undefined, { cause: error });
  }
}
