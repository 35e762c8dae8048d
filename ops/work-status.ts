/**
 * The state of one piece of work the CLI started or reports on: a Step Functions execution, a Glue job
 * run, an EMR step, an EMR on EKS job run, a Data Factory pipeline run, a Databricks job or task run, a DLT
 * pipeline update or an Athena query (the one `platform status` runs to read the batch log). Each
 * service's states are kept as the service spells them, so they match its console and CLI.
 */
export interface WorkStatus {
  readonly kind: WorkKind;
  /** State machine, Glue job, EMR step, Data Factory pipeline, Databricks job or DLT pipeline name; the workgroup of an Athena query. */
  readonly name: string;
  /**
   * Execution ARN, Glue job run id (jr_...), EMR step id (s-...), pipeline run id, job run id, update id or
   * query execution id; absent when there is no run yet.
   */
  readonly id?: string;
  /** EMR cluster id (j-...) of a step; virtual cluster id of an EMR on EKS job run. */
  readonly clusterId?: string;
  /** e.g. RUNNING, SUCCEEDED, FAILED (Step Functions, Glue); PENDING, COMPLETED (EMR); InProgress, Succeeded (Data Factory); NO_RUNS, NOT_FOUND. */
  readonly state: string;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  /** When the CLI started or submitted the work: elapsed time counts from here until the service reports a start. */
  readonly submittedAt?: Date;
  /** The service's own error text: Glue ErrorMessage, EMR FailureDetails, the execution's error and cause, the run's message. */
  readonly error?: string;
  /** The command that stops this work, when the kind's own (stopCommand) needs more than the status holds (Data Factory, Databricks). */
  readonly stopWith?: string;
  /** Where to look at it in a browser (Databricks run page), when the service gives one. */
  readonly url?: string;
}

export type WorkKind =
  | 'sfn-execution'
  | 'glue-job-run'
  | 'emr-step'
  | 'emr-eks-job-run'
  | 'adf-pipeline-run'
  | 'databricks-job-run'
  | 'databricks-task-run'
  | 'dlt-update'
  | 'athena-query';

/** A Databricks job or task run's result states: it shows its result once ended (TERMINATED), its life-cycle state before. */
const DATABRICKS_RUN_ENDED: ReadonlySet<string> = new Set([
  'SUCCESS',
  'SUCCESS_WITH_FAILURES',
  'FAILED',
  'TIMEDOUT',
  'CANCELED',
  'MAXIMUM_CONCURRENT_RUNS_REACHED',
  'EXCLUDED',
  'UPSTREAM_FAILED',
  'UPSTREAM_CANCELED',
  'SKIPPED',
  'INTERNAL_ERROR',
]);

/** Per kind: its short label, the states in which it has ended, and the one that means success. */
const KINDS: Record<WorkKind, { readonly label: string; readonly finished: ReadonlySet<string>; readonly succeeded: string; readonly describe: string }> = {
  'sfn-execution': {
    label: 'sfn',
    finished: new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
    succeeded: 'SUCCEEDED',
    describe: 'Step Functions execution',
  },
  'glue-job-run': {
    label: 'glue',
    finished: new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED']),
    succeeded: 'SUCCEEDED',
    describe: 'Glue job run',
  },
  'emr-step': { label: 'emr', finished: new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'INTERRUPTED']), succeeded: 'COMPLETED', describe: 'EMR step' },
  'emr-eks-job-run': { label: 'eks', finished: new Set(['COMPLETED', 'FAILED', 'CANCELLED']), succeeded: 'COMPLETED', describe: 'EMR on EKS job run' },
  'adf-pipeline-run': { label: 'adf', finished: new Set(['Succeeded', 'Failed', 'Cancelled']), succeeded: 'Succeeded', describe: 'Data Factory pipeline run' },
  'databricks-job-run': {
    label: 'job',
    finished: DATABRICKS_RUN_ENDED,
    succeeded: 'SUCCESS',
    describe: 'Databricks job run',
  },
  'databricks-task-run': {
    label: 'task',
    finished: DATABRICKS_RUN_ENDED,
    succeeded: 'SUCCESS',
    describe: 'Databricks task run',
  },
  'dlt-update': { label: 'dlt', finished: new Set(['COMPLETED', 'FAILED', 'CANCELED']), succeeded: 'COMPLETED', describe: 'DLT pipeline update' },
  'athena-query': { label: 'athena', finished: new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']), succeeded: 'SUCCEEDED', describe: 'Athena query in workgroup' },
};

/** `sfn`, `glue`, `emr`, `eks`, `adf`, `job`, `task`, `dlt`, `athena`: the kind in progress lines and tables. */
export function kindLabel(status: WorkStatus): string {
  return KINDS[status.kind].label;
}

export const NO_RUNS = 'NO_RUNS';
/** State shown for a job that does not exist (its stack is not deployed). */
export const NOT_FOUND = 'NOT_FOUND';

export function isFinished(status: WorkStatus): boolean {
  return KINDS[status.kind].finished.has(status.state);
}

export function isSucceeded(status: WorkStatus): boolean {
  return status.state === KINDS[status.kind].succeeded;
}

/** Milliseconds the work ran (until now while it still runs), or undefined when its start is unknown. */
export function elapsedMs(status: WorkStatus, now: number): number | undefined {
  const start = status.startedAt ?? status.submittedAt;
  if (!start) return undefined;
  const end = isFinished(status) && status.endedAt ? status.endedAt.getTime() : now;
  return Math.max(0, end - start.getTime());
}

/** The command that stops this work (the AWS CLI's for AWS work). */
export function stopCommand(status: WorkStatus, region: string): string {
  if (status.stopWith) return status.stopWith;
  switch (status.kind) {
    case 'sfn-execution':
      return `aws stepfunctions stop-execution --region ${region} --execution-arn ${status.id}`;
    case 'glue-job-run':
      return `aws glue batch-stop-job-run --region ${region} --job-name ${status.name} --job-run-ids ${status.id}`;
    case 'emr-step':
      return `aws emr cancel-steps --region ${region} --cluster-id ${status.clusterId} --step-ids ${status.id}`;
    case 'emr-eks-job-run':
      return `aws emr-containers cancel-job-run --region ${region} --virtual-cluster-id ${status.clusterId} --id ${status.id}`;
    case 'athena-query':
      return `aws athena stop-query-execution --region ${region} --query-execution-id ${status.id}`;
    default:
      return `stop ${describeWork(status)} in its service`;
  }
}

/**
 * A start sent that had not answered when the CLI stopped: it may have happened. `check` is the
 * command that shows whether it did.
 */
export interface UncertainStart {
  readonly kind: WorkKind;
  readonly name: string;
  /** The call that had not answered, e.g. "Step Functions StartExecution". */
  readonly call: string;
  readonly check: string;
}

/**
 * `Glue job run acme-dev-ingest-orders jr_123` / `EMR step acme-dev-silver-gold-sales s-123 on cluster j-456` /
 * `EMR on EKS job run acme-prod-silver-gold-sales 00000003 on virtual cluster vc123`.
 */
export function describeWork(status: WorkStatus): string {
  const text = `${KINDS[status.kind].describe} ${status.name} ${status.id ?? ''}`.trim();
  if (status.kind === 'emr-step') return `${text} on cluster ${status.clusterId ?? '?'}`;
  if (status.kind === 'emr-eks-job-run') return `${text} on virtual cluster ${status.clusterId ?? '?'}`;
  return text;
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
