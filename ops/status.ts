import { emrClusterName, glueIngestionJobName, sparkStepName } from '../lib/naming';
import type { OpsClients } from './aws-clients';
import type { AwsTarget } from './aws-target';
import { formatDuration } from './duration';
import { activeClustersNamed, latestStepsNamed } from './emr-steps';
import { latestJobRun } from './glue-runs';
import type { Pipeline } from '../lib/pipelines/pipelines';
import type { RetryOptions } from './retry';
import { formatTable } from './table';
import {
  type DataQualityResult,
  dataQualityText,
  type PipelineFailure,
  RECONCILIATION_NOT_RECORDED,
  type Reconciliation,
  reconciliationText,
} from './pipeline-results';
import { stateMachineArn } from './aws-target';
import { executionHistory, latestExecution, traceExecution } from './sfn-executions';
import { elapsedMs, kindLabel, NO_RUNS, type WorkStatus, workJson } from './work-status';

/** Concurrent GetJobRuns calls: enough to be quick, few enough not to be throttled. */
const GLUE_CONCURRENCY = 8;

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
  readonly reconciliation: Reconciliation;
  readonly failure?: PipelineFailure;
}

export interface StatusReport {
  readonly environment: string;
  /** Per pipeline, its last run. */
  readonly pipelines: readonly PipelineRunStatus[];
  readonly clusterName: string;
  /** Id of the active cluster, or undefined when none is active (then no step is listed). */
  readonly clusterId?: string;
  readonly entries: readonly StatusEntry[];
}

async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
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
 * `platform status`: the last execution of each pipeline (with its data-quality result and reconciliation),
 * the latest run of each ingestion job and the latest Spark step of each pipeline.
 */
export async function pipelineStatus(target: AwsTarget, clients: OpsClients, pipelines: readonly Pipeline[], retry: RetryOptions = {}): Promise<StatusReport> {
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
  const base = { environment: target.scope.environment, clusterName, pipelines: lastRuns };
  if (!cluster) return { ...base, entries: runs };
  const stepNames = pipelines.map((pipeline) => sparkStepName(target.scope, pipeline.name));
  const steps = await latestStepsNamed(clients.emr, cluster.id, stepNames, retry);
  const entries = pipelines.flatMap((pipeline, index) => [
    ...runs.filter((run) => run.pipeline === pipeline.name),
    { pipeline: pipeline.name, work: steps.get(stepNames[index]) as WorkStatus },
  ]);
  return { ...base, clusterId: cluster.id, entries };
}

/** The newest execution of the pipeline's state machine, with its data quality and failure from its history. */
export async function lastPipelineRun(target: AwsTarget, clients: OpsClients, pipeline: string, retry: RetryOptions = {}): Promise<PipelineRunStatus> {
  const arn = stateMachineArn(target, pipeline);
  const base = { pipeline, dataQuality: [], reconciliation: RECONCILIATION_NOT_RECORDED };
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

/** The report as an aligned table, errors in the last column, plus a note when no cluster is active. */
export function formatStatus(report: StatusReport, now: number): string {
  const rows = report.entries.map(({ pipeline, work }) => {
    const elapsed = elapsedMs(work, now);
    return [
      pipeline,
      kindLabel(work),
      work.name,
      work.id ?? '-',
      work.state,
      work.startedAt ? work.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-',
      elapsed === undefined ? '-' : formatDuration(elapsed),
      work.error ?? '',
    ];
  });
  const table = formatTable(['PIPELINE', 'KIND', 'NAME', 'RUN/STEP ID', 'STATE', 'STARTED (UTC)', 'DURATION', 'ERROR'], rows);
  const iso = (date?: Date) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');
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
        lastRun.id ? reconciliationText(reconciliation) : '-',
        lastRun.error ?? '',
      ];
    }),
  );
  const note = report.clusterId
    ? `EMR cluster ${report.clusterName}: ${report.clusterId}`
    : `EMR cluster ${report.clusterName}: none active, so no Spark steps are listed`;
  const unrecorded = report.pipelines.find((entry) => !entry.reconciliation.recorded)?.reconciliation;
  const reconciliationNote = unrecorded && !unrecorded.recorded ? `\nreconciliation ${unrecorded.reason}` : '';
  return `${runs}\n\n${table}\n\n${note}${reconciliationNote}`;
}

/** The report for --json: dates as ISO strings, durations in seconds. */
export function statusJson(report: StatusReport, now: number): unknown {
  return {
    ...report,
    pipelines: report.pipelines.map((entry) => ({ ...entry, lastRun: workJson(entry.lastRun, now) })),
    entries: report.entries.map(({ pipeline, work }) => ({ pipeline, ...workJson(work, now) })),
  };
}
