import { emrClusterName, glueIngestionJobName, sparkStepName } from '../lib/naming';
import type { OpsClients } from './aws-clients';
import type { AwsTarget } from './aws-target';
import { readBatchLog } from './batch-log';
import { type Clock, systemClock } from './clock';
import { formatDuration } from './duration';
import { activeClustersNamed, latestStepsNamed } from './emr-steps';
import type { ExitCode } from './exit-codes';
import { DEFAULT_QUERY_TIMEOUT_MS } from './http-timeouts';
import { latestJobRun } from './glue-runs';
import type { Pipeline } from '../lib/pipelines/pipelines';
import type { RetryOptions } from './retry';
import { formatTable } from './table';
import {
  balanceText,
  type DataQualityResult,
  dataQualityText,
  type PipelineFailure,
  quarantineReasonsText,
  type Reconciliation,
  type ReconciliationRead,
  reconciliationText,
} from './pipeline-results';
import type { RunCloud } from './run-pipeline';
import { stateMachineArn } from './aws-target';
import { executionHistory, latestExecution, traceExecution } from './sfn-executions';
import { elapsedMs, kindLabel, NO_RUNS, type WorkStatus, workJson } from './work-status';

/** Concurrent GetJobRuns calls: enough to be quick, few enough not to be throttled. */
const GLUE_CONCURRENCY = 8;

/** Time between two polls of that query: it reads one small table and usually ends within seconds. */
const QUERY_POLL_INTERVAL_MS = 500;

export interface StatusOptions {
  /** Retries of every AWS call. @default see retry.ts */
  readonly retry?: RetryOptions;
  /** @default the retry's clock, else the system clock */
  readonly clock?: Clock;
  /** How long to wait for the batch-log query; then the reconciliation says so and status exits 124. @default DEFAULT_QUERY_TIMEOUT_MS (2 minutes) */
  readonly queryTimeoutMs?: number;
}

export interface StatusEntry {
  readonly pipeline: string;
  readonly work: WorkStatus;
}

/** The last run of a pipeline as a whole (its Step Functions execution), with what it recorded. */
export interface PipelineRunStatus {
  readonly pipeline: string;
  /** The newest execution of the pipeline's state machine; state NO_RUNS when it never ran, NOT_FOUND when it is not deployed. */
  readonly lastRun: WorkStatus;
  /** The data-quality result of each dataset the run evaluated (empty when it evaluated none). */
  readonly dataQuality: readonly DataQualityResult[];
  /** The latest batch of each of the pipeline's datasets in the batch log, whichever run processed it. */
  readonly reconciliation: Reconciliation;
  readonly failure?: PipelineFailure;
}

/** Where a cloud's pipelines run, as status names it in its last line. */
export interface StatusRunsOn {
  /** The environment's EMR cluster, Data Factory or Databricks workspace. */
  readonly kind: 'emr-cluster' | 'data-factory' | 'databricks-workspace';
  /** Its name (the workspace URL for Databricks). */
  readonly name: string;
  /** The active cluster's id (none when no cluster is active, then no step is listed), the factory's resource id, the dbt job's id. */
  readonly id?: string;
  /** One line for people, e.g. `EMR cluster acme-dev-spark: j-123`. */
  readonly description: string;
}

/**
 * What `platform status` shows, with the same structure on every cloud: per pipeline its last run, data
 * quality and reconciliation; the latest runs and steps (entries); where they run; how the records of
 * the reconciliation were read.
 */
export interface StatusReport {
  readonly environment: string;
  readonly cloud: RunCloud;
  /** Per pipeline, its last run and its reconciliation. */
  readonly pipelines: readonly PipelineRunStatus[];
  readonly runsOn: StatusRunsOn;
  readonly entries: readonly StatusEntry[];
  /** The read that every pipeline's reconciliation comes from (AWS: the batch log query). */
  readonly batchLog: ReconciliationRead;
}

/** `map` over `items`, at most `limit` at a time, results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * `platform status`: the last execution of each pipeline (with its data-quality result), the latest
 * batch of each of its datasets in the batch log (the reconciliation, read with one Athena query while
 * the rest is read), the latest run of each ingestion job and the latest Spark step of each pipeline.
 */
export async function pipelineStatus(
  target: AwsTarget,
  clients: OpsClients,
  pipelines: readonly Pipeline[],
  options: StatusOptions = {},
): Promise<StatusReport> {
  const retry = options.retry ?? {};
  const clock = options.clock ?? retry.clock ?? systemClock;
  // Stopped when the rest fails: the command then reports that failure without waiting for the query.
  const stopReading = new AbortController();
  const reading = readBatchLog(target, clients.athena, pipelines, {
    clock,
    timeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    pollIntervalMs: QUERY_POLL_INTERVAL_MS,
    retry: { ...retry, signal: retry.signal ? AbortSignal.any([retry.signal, stopReading.signal]) : stopReading.signal },
  });
  let runs: Awaited<ReturnType<typeof runsAndSteps>>;
  try {
    runs = await runsAndSteps(target, clients, pipelines, retry);
  } catch (error) {
    stopReading.abort(new Error('platform status failed'));
    await reading.catch(() => undefined);
    throw error;
  }
  const batchLog = await reading;
  const { lastRuns, ...rest } = runs;
  return {
    ...rest,
    pipelines: lastRuns.map((run) => ({ ...run, reconciliation: batchLog.reconciliations.get(run.pipeline) as Reconciliation })),
    batchLog: batchLog.read,
  };
}

/** Everything status shows but the reconciliation. */
async function runsAndSteps(target: AwsTarget, clients: OpsClients, pipelines: readonly Pipeline[], retry: RetryOptions) {
  const jobs = pipelines.flatMap((pipeline) =>
    pipeline.batchDatasets.map((dataset) => ({ pipeline: pipeline.name, jobName: glueIngestionJobName(target.scope, dataset.name) })),
  );
  const runs = await mapLimited(jobs, GLUE_CONCURRENCY, async ({ pipeline, jobName }) => ({
    pipeline,
    work: await latestJobRun(clients.glue, jobName, retry),
  }));
  const lastRuns = await mapLimited(pipelines, GLUE_CONCURRENCY, (pipeline) => lastPipelineRun(target, clients, pipeline.name, retry));
  const clusterName = emrClusterName(target.scope);
  const [cluster] = await activeClustersNamed(clients.emr, clusterName, retry);
  const base = { environment: target.scope.environment, cloud: 'aws' as const, lastRuns };
  if (!cluster) {
    const description = `EMR cluster ${clusterName}: none active, so no Spark steps are listed`;
    return { ...base, runsOn: { kind: 'emr-cluster' as const, name: clusterName, description }, entries: runs };
  }
  const stepNames = pipelines.map((pipeline) => sparkStepName(target.scope, pipeline.name));
  const steps = await latestStepsNamed(clients.emr, cluster.id, stepNames, retry);
  const entries = pipelines.flatMap((pipeline, index) => [
    ...runs.filter((run) => run.pipeline === pipeline.name),
    { pipeline: pipeline.name, work: steps.get(stepNames[index]) as WorkStatus },
  ]);
  return {
    ...base,
    runsOn: { kind: 'emr-cluster' as const, name: clusterName, id: cluster.id, description: `EMR cluster ${clusterName}: ${cluster.id}` },
    entries,
  };
}

/** The newest execution of the pipeline's state machine, with its data quality and failure from its history. */
export async function lastPipelineRun(
  target: AwsTarget,
  clients: OpsClients,
  pipeline: string,
  retry: RetryOptions = {},
): Promise<Omit<PipelineRunStatus, 'reconciliation'>> {
  const arn = stateMachineArn(target, pipeline);
  const base = { pipeline, dataQuality: [] };
  let execution;
  try {
    execution = await latestExecution(clients.sfn, arn, retry);
  } catch (error) {
    if ((error as Error).name !== 'StateMachineDoesNotExist') throw error;
    return {
      ...base,
      lastRun: { kind: 'sfn-execution', name: arn.split(':').pop() as string, state: 'NOT_FOUND', error: 'the state machine does not exist (not deployed?)' },
    };
  }
  if (!execution) return { ...base, lastRun: { kind: 'sfn-execution', name: arn.split(':').pop() as string, state: NO_RUNS } };
  const trace = traceExecution(await executionHistory(clients.sfn, execution.arn, retry));
  const failure = execution.state === 'SUCCEEDED' || execution.state === 'RUNNING' ? undefined : trace.failure;
  return {
    ...base,
    dataQuality: trace.dataQuality,
    failure,
    lastRun: {
      kind: 'sfn-execution',
      name: execution.name,
      id: execution.arn,
      state: execution.state,
      startedAt: execution.startedAt,
      endedAt: execution.endedAt,
      error: failure ? `${failure.state}: ${[failure.error, failure.cause].filter(Boolean).join(': ')}` : undefined,
    },
  };
}

const iso = (date?: Date) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

/** One row per dataset of each pipeline whose reconciliation was read: its latest batch, or that it has none yet. */
function batchRows(report: StatusReport): string[][] {
  return report.pipelines.flatMap(({ pipeline, reconciliation }) =>
    reconciliation.recorded
      ? [
          ...reconciliation.batches.map((batch) => [
            pipeline,
            batch.dataset,
            batch.batchId,
            batch.status,
            iso(batch.processedAt),
            balanceText(batch),
            quarantineReasonsText(batch.quarantineReasons),
          ]),
          ...reconciliation.unprocessed.map((dataset) => [pipeline, dataset, 'none yet', '-', '-', '-', '-']),
        ]
      : [],
  );
}

/**
 * The report as aligned tables: each pipeline's last run, the latest batch of each dataset (bronze =
 * accepted + quarantined), the latest runs and steps with errors in the last column; then a note on
 * the cluster, and why the reconciliation is not shown when it is not.
 */
export function formatStatus(report: StatusReport, now: number): string {
  const rows = report.entries.map(({ pipeline, work }) => {
    const elapsed = elapsedMs(work, now);
    return [
      pipeline,
      kindLabel(work),
      work.name,
      work.id ?? '-',
      work.state,
      iso(work.startedAt),
      elapsed === undefined ? '-' : formatDuration(elapsed),
      work.error ?? '',
    ];
  });
  const table = formatTable(['PIPELINE', 'KIND', 'NAME', 'RUN/STEP ID', 'STATE', 'STARTED (UTC)', 'DURATION', 'ERROR'], rows);
  const runs = formatTable(
    ['PIPELINE', 'LAST RUN', 'STATE', 'STARTED (UTC)', 'DURATION', 'DATA QUALITY', 'RECONCILIATION', 'ERROR'],
    report.pipelines.map(({ pipeline, lastRun, dataQuality, reconciliation }) => {
      const elapsed = elapsedMs(lastRun, now);
      return [
        pipeline,
        lastRun.id ? lastRun.name : '-',
        lastRun.state,
        iso(lastRun.startedAt),
        elapsed === undefined ? '-' : formatDuration(elapsed),
        lastRun.id ? dataQualityText(dataQuality) : '-',
        reconciliationText(reconciliation),
        lastRun.error ?? '',
      ];
    }),
  );
  const batches = batchRows(report);
  const batchHeader = ['PIPELINE', 'DATASET', 'LATEST BATCH', 'STATUS', 'PROCESSED (UTC)', 'BRONZE = ACCEPTED + QUARANTINED', 'QUARANTINED BY REASON'];
  const batchTable = batches.length === 0 ? '' : `\n\n${formatTable(batchHeader, batches)}`;
  const note = report.runsOn.description;
  const unrecorded = report.pipelines.find((entry) => !entry.reconciliation.recorded)?.reconciliation;
  const reconciliationNote = unrecorded && !unrecorded.recorded ? `\nreconciliation ${unrecorded.reason}` : '';
  return `${runs}${batchTable}\n\n${table}\n\n${note}${reconciliationNote}`;
}

/** The exit code of `platform status`: 0 whatever the states are, unless the records of the reconciliation could not be read (see ReconciliationRead). */
export function statusExitCode(report: StatusReport): ExitCode {
  return report.batchLog.exitCode;
}

/** The report for --json: dates as ISO strings, durations in seconds, and the exit code. */
export function statusJson(report: StatusReport, now: number): unknown {
  return {
    ...report,
    exitCode: statusExitCode(report),
    pipelines: report.pipelines.map((entry) => ({ ...entry, lastRun: workJson(entry.lastRun, now) })),
    entries: report.entries.map(({ pipeline, work }) => ({ pipeline, ...workJson(work, now) })),
  };
}
