/**
 * The state of one piece of work the CLI started or reports on: a Glue job run or an EMR step. Both
 * services' states are kept as the service spells them, so they match the console and the AWS CLI.
 */
export interface WorkStatus {
  readonly kind: 'glue-job-run' | 'emr-step';
  /** Glue job name, or EMR step name. */
  readonly name: string;
  /** Glue job run id (jr_...) or EMR step id (s-...); absent when there is no run yet. */
  readonly id?: string;
  /** EMR cluster id (j-...) of a step. */
  readonly clusterId?: string;
  /** e.g. RUNNING, SUCCEEDED, FAILED (Glue); PENDING, COMPLETED, FAILED (EMR); NO_RUNS, NOT_FOUND. */
  readonly state: string;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  /** When the CLI started or submitted the work: elapsed time counts from here until the service reports a start. */
  readonly submittedAt?: Date;
  /** The service's own error text: Glue ErrorMessage, EMR FailureDetails (reason, message, log file). */
  readonly error?: string;
}

export const NO_RUNS = 'NO_RUNS';
/** State shown for a job that does not exist (its stack is not deployed). */
export const NOT_FOUND = 'NOT_FOUND';

const GLUE_FINISHED = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED']);
const EMR_FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'INTERRUPTED']);

export function isFinished(status: WorkStatus): boolean {
  return (status.kind === 'glue-job-run' ? GLUE_FINISHED : EMR_FINISHED).has(status.state);
}

export function isSucceeded(status: WorkStatus): boolean {
  return status.state === (status.kind === 'glue-job-run' ? 'SUCCEEDED' : 'COMPLETED');
}

/** Milliseconds the work ran (until now while it still runs), or undefined when its start is unknown. */
export function elapsedMs(status: WorkStatus, now: number): number | undefined {
  const start = status.startedAt ?? status.submittedAt;
  if (!start) return undefined;
  const end = isFinished(status) && status.endedAt ? status.endedAt.getTime() : now;
  return Math.max(0, end - start.getTime());
}

/** The AWS CLI command that stops this work. */
export function stopCommand(status: WorkStatus, region: string): string {
  return status.kind === 'glue-job-run'
    ? `aws glue batch-stop-job-run --region ${region} --job-name ${status.name} --job-run-ids ${status.id}`
    : `aws emr cancel-steps --region ${region} --cluster-id ${status.clusterId} --step-ids ${status.id}`;
}

/** A start (StartJobRun, AddJobFlowSteps) sent to AWS that had not answered when the CLI stopped: it may have happened. */
export type UncertainStart =
  { readonly kind: 'glue-job-run'; readonly name: string } | { readonly kind: 'emr-step'; readonly name: string; readonly clusterId: string };

/** How to see whether an uncertain start happened. */
export function checkStartCommand(start: UncertainStart, region: string): string {
  return start.kind === 'glue-job-run'
    ? `aws glue get-job-runs --region ${region} --job-name ${start.name} --max-items 1`
    : `aws emr list-steps --region ${region} --cluster-id ${start.clusterId} --step-states PENDING RUNNING`;
}

/** `glue job run acme-dev-ingest-orders jr_123` / `EMR step acme-dev-silver-gold-sales s-123 on j-456`. */
export function describeWork(status: WorkStatus): string {
  return status.kind === 'glue-job-run'
    ? `Glue job run ${status.name} ${status.id ?? ''}`.trim()
    : `EMR step ${status.name} ${status.id ?? ''} on cluster ${status.clusterId ?? '?'}`.trim();
}

/** A status for --json: dates as ISO strings, the duration in seconds. */
export function workJson(work: WorkStatus, now: number): Record<string, unknown> {
  const elapsed = elapsedMs(work, now);
  return {
    ...work,
    startedAt: work.startedAt?.toISOString(),
    endedAt: work.endedAt?.toISOString(),
    durationSeconds: elapsed === undefined ? undefined : Math.round(elapsed / 1000),
  };
}
