import type { Clock } from './clock';
import { OpsError } from './errors';
import { EXIT_CODES } from './exit-codes';
import type { DataQualityResult, PipelineFailure, Reconciliation } from './pipeline-results';
import type { ProgressDisplay } from './progress';
import { type AwsCall, CallAbortedError, isNotConnected, networkErrorCode, noAnswer, type RetryOptions } from './retry';
import { awsExitCode, describeAwsError } from './aws-errors';
import { describeWork, isFinished, stopCommand, type UncertainStart, type WorkStatus } from './work-status';

/** The clouds `platform run` and `platform status` operate on. */
export const RUN_CLOUDS = ['aws', 'azure', 'databricks'] as const;
export type RunCloud = (typeof RUN_CLOUDS)[number];

export interface RunContext {
  readonly clock: Clock;
  /** Retries of the service calls; its `signal` aborts the call in flight at the --timeout deadline and on Ctrl-C. */
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

export interface RunOptions {
  /** Follow the run to its end; without, return once its last stage has started. */
  readonly wait: boolean;
  /** When the pipeline is already running, wait for that run to end, then start; without, refuse. */
  readonly waitForRunning: boolean;
}

/** Where a cloud's run is: what has started and the states last seen. */
export interface RunSnapshot {
  /** The Step Functions execution (AWS): the run itself, whose stages follow. */
  readonly execution?: WorkStatus;
  /** Work that lands source data in bronze: Glue job runs, Data Factory pipeline runs. */
  readonly ingestion: readonly WorkStatus[];
  /** Work that builds silver and gold: the EMR Spark step, the Databricks job run and DLT update. */
  readonly transform: readonly WorkStatus[];
  /** The run has ended (successfully or not). */
  readonly finished: boolean;
  readonly succeeded: boolean;
  readonly failure?: PipelineFailure;
  readonly dataQuality?: readonly DataQualityResult[];
  readonly reconciliation: Reconciliation;
}

/** A run of the pipeline that a new start would collide with. */
export interface RunningRun {
  readonly description: string;
  readonly id: string;
  readonly startedAt?: Date;
}

/**
 * One cloud's way of running a pipeline. Each starts the same thing the cloud's scheduler starts (the
 * Step Functions state machine, the Data Factory pipelines, the Databricks job and DLT pipeline), so a
 * run from the CLI gets the same data quality, recovery and concurrency guards as a scheduled one.
 */
export interface PipelineRunner {
  readonly cloud: RunCloud;
  /** Region or location, for the stop commands. */
  readonly region: string;
  /** Runs of the pipeline already in progress (refused, or waited for with --wait-for-running). */
  running(): Promise<readonly RunningRun[]>;
  /** Starts the run; throws an OpsError naming what did start when a start fails midway. */
  start(): Promise<RunSnapshot>;
  /** The run's current states. */
  poll(previous: RunSnapshot): Promise<RunSnapshot>;
  /** True once the run's last stage has started: where `run` without --wait stops following. */
  lastStageStarted(snapshot: RunSnapshot): boolean;
  /** The start in flight when the CLI stopped, which may have happened. */
  uncertainStart(): UncertainStart | undefined;
  /** What did start before a start was abandoned (when a run is several starts). */
  startedSoFar?(): readonly WorkStatus[];
  /** What the poll in progress had learnt before it was abandoned (e.g. work found in the history, not yet polled). */
  partial?(): RunSnapshot | undefined;
}

export type RunOutcome = 'succeeded' | 'submitted' | 'failed' | 'timeout' | 'interrupted';

/** What a run did, for the summary, the exit code and --json. */
export interface RunReport extends Partial<Omit<RunSnapshot, 'finished' | 'succeeded' | 'ingestion' | 'transform'>> {
  readonly outcome: RunOutcome;
  readonly environment: string;
  readonly pipeline: string;
  readonly cloud: RunCloud;
  readonly ingestion: readonly WorkStatus[];
  readonly transform: readonly WorkStatus[];
  /** The run that was already in progress and was waited for (--wait-for-running). */
  readonly waitedFor?: RunningRun;
  /** The stage during which a timeout or interrupt happened. */
  readonly stoppedWhile?: 'waiting-for-running' | 'starting' | 'running';
  /** The call that had not answered (for a while) when a timeout or interrupt stopped the CLI. */
  readonly unanswered?: AwsCall;
  /** The start that had not answered when a timeout or interrupt stopped the CLI. */
  readonly uncertain?: UncertainStart;
}

/** A call in flight for less than this when the CLI stops was merely slow, not unanswered. */
const UNANSWERED_AFTER_MS = 1_000;

/** The outcome when `error` is a call abandoned at the deadline or on Ctrl-C; undefined otherwise. */
function stoppedBy(error: unknown, context: RunContext): { outcome: RunOutcome; inFlight: boolean; unanswered?: AwsCall } | undefined {
  if (!(error instanceof CallAbortedError)) return undefined;
  const outcome: RunOutcome = context.signal?.aborted ? 'interrupted' : 'timeout';
  return { outcome, inFlight: error.inFlight, unanswered: error.inFlight && error.waitedMs >= UNANSWERED_AFTER_MS ? error.call : undefined };
}

/** `<description> <id> (started <time>)`. */
export function describeRunning(run: RunningRun): string {
  return `${run.description} ${run.id}${run.startedAt ? ` (started ${run.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')})` : ''}`;
}

function allWork(snapshot: Pick<RunSnapshot, 'execution' | 'ingestion' | 'transform'>): WorkStatus[] {
  return [...(snapshot.execution ? [snapshot.execution] : []), ...snapshot.ingestion, ...snapshot.transform];
}

/**
 * `platform run`: refuses to start a pipeline that is already running (naming the run in progress), or
 * with --wait-for-running waits for it to end; then starts the pipeline the way its scheduler does and
 * follows it: to its end with --wait, else until its last stage has started.
 *
 * When the --timeout deadline passes or Ctrl-C is pressed during a call, the call is abandoned
 * (context.retry.signal) and the report says what had started and which call had not answered.
 */
export async function runPipeline(
  runner: PipelineRunner,
  head: { readonly environment: string; readonly pipeline: string },
  context: RunContext,
  options: RunOptions,
): Promise<RunReport> {
  const base = { ...head, cloud: runner.cloud, ingestion: [] as WorkStatus[], transform: [] as WorkStatus[] };
  const stopped = (error: unknown) => stoppedBy(error, context);
  let waitedFor: RunningRun | undefined;
  try {
    for (;;) {
      const running = await runner.running();
      if (running.length === 0) break;
      if (!options.waitForRunning) {
        throw new OpsError(
          [
            `pipeline ${head.pipeline} in ${head.environment} is already running; nothing was started:`,
            ...running.map((run) => `  ${describeRunning(run)}`),
            `wait for it with: platform run ${head.pipeline} --env ${head.environment} --cloud ${runner.cloud} --wait-for-running`,
            `or follow it with: platform status ${head.pipeline} --env ${head.environment} --cloud ${runner.cloud}`,
          ].join('\n'),
          EXIT_CODES.busy,
        );
      }
      if (!waitedFor) context.log(`waiting for the run in progress: ${describeRunning(running[0])}`);
      waitedFor = running[0];
      const waited = await pause(context);
      if (waited) return { ...base, outcome: waited, waitedFor, stoppedWhile: 'waiting-for-running' };
    }
  } catch (error) {
    const stop = stopped(error);
    if (!stop) throw error;
    return { ...base, outcome: stop.outcome, waitedFor, unanswered: stop.unanswered, stoppedWhile: 'waiting-for-running' };
  }

  if (context.signal?.aborted) return { ...base, outcome: 'interrupted', waitedFor, stoppedWhile: 'starting' };
  let snapshot: RunSnapshot;
  try {
    snapshot = await runner.start();
  } catch (error) {
    const stop = stopped(error);
    if (!stop) throw startFailure(error, runner);
    const started = runner.startedSoFar?.() ?? [];
    return {
      ...base,
      outcome: stop.outcome,
      waitedFor,
      stoppedWhile: 'starting',
      ingestion: started.filter((work) => work.kind === 'adf-pipeline-run' || work.kind === 'glue-job-run'),
      transform: started.filter((work) => work.kind !== 'adf-pipeline-run' && work.kind !== 'glue-job-run'),
      uncertain: stop.inFlight ? runner.uncertainStart() : undefined,
    };
  }
  for (const work of allWork(snapshot)) context.log(`started ${describeWork(work)}`);

  const reportOf = (outcome: RunOutcome, extra: Partial<RunReport> = {}): RunReport => {
    const { finished: _finished, succeeded: _succeeded, ...rest } = snapshot;
    return { ...base, ...rest, outcome, waitedFor, ...extra };
  };
  context.progress?.detach();
  for (;;) {
    if (context.signal?.aborted) return reportOf('interrupted', { stoppedWhile: 'running' });
    try {
      snapshot = await runner.poll(snapshot);
    } catch (error) {
      const stop = stopped(error);
      snapshot = runner.partial?.() ?? snapshot;
      if (stop) return reportOf(stop.outcome, { stoppedWhile: 'running', unanswered: stop.unanswered });
      throw lostTrack(error, snapshot, runner, head);
    }
    context.progress?.update(allWork(snapshot), context.clock.now());
    if (snapshot.finished) return reportOf(snapshot.succeeded ? 'succeeded' : 'failed');
    if (!options.wait && runner.lastStageStarted(snapshot)) return reportOf('submitted');
    const waited = await pause(context);
    if (waited) return reportOf(waited, { stoppedWhile: 'running' });
  }
}

/** Sleeps one poll interval (less before the deadline); the outcome when the deadline passed or Ctrl-C was pressed. */
async function pause(context: RunContext): Promise<'timeout' | 'interrupted' | undefined> {
  if (context.signal?.aborted) return 'interrupted';
  const now = context.clock.now();
  if (context.deadline !== undefined && now >= context.deadline) return 'timeout';
  await context.clock.sleep(context.deadline === undefined ? context.pollIntervalMs : Math.min(context.pollIntervalMs, context.deadline - now), context.signal);
  return context.signal?.aborted ? 'interrupted' : undefined;
}

/**
 * A start failed for good: the error says why, and when the answer was lost rather than refused, that
 * the start may have happened all the same and how to check; it names what did start before.
 */
function startFailure(error: unknown, runner: PipelineRunner): unknown {
  const description = describeAwsError(error);
  if (!description) return error;
  const lines = [`cannot start the pipeline: ${description}`];
  const uncertain = runner.uncertainStart();
  const answerLost = !isNotConnected(error) && (noAnswer(error) !== undefined || networkErrorCode(error) !== undefined);
  if (uncertain && answerLost) lines.push(`${uncertain.call} of ${uncertain.name} may have started it all the same; check with: ${uncertain.check}`);
  const started = runner.startedSoFar?.() ?? [];
  if (started.length > 0)
    lines.push('already started, still running:', ...started.map((w) => `  ${describeWork(w)}; stop it with: ${stopCommand(w, runner.region)}`));
  return new OpsError(lines.join('\n'), awsExitCode(error), { cause: error });
}

/** Polling failed for good: the error names the work that may still be running and how to stop it. */
function lostTrack(error: unknown, snapshot: RunSnapshot, runner: PipelineRunner, head: { environment: string; pipeline: string }): unknown {
  const description = describeAwsError(error);
  if (!description) return error;
  // Stopping the execution stops what it started; elsewhere each piece of work is stopped on its own.
  const work = snapshot.execution ? [snapshot.execution] : allWork(snapshot).filter((w) => !isFinished(w));
  const lines = [
    `lost track of the run: ${description}`,
    'started, possibly still running:',
    ...work.map((w) => `  ${describeWork(w)}; stop it with: ${stopCommand(w, runner.region)}`),
    `to follow it: platform status ${head.pipeline} --env ${head.environment} --cloud ${runner.cloud}`,
  ];
  return new OpsError(lines.join('\n'), awsExitCode(error), { cause: error });
}
