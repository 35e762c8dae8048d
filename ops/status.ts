import { emrClusterName, glueIngestionJobName, sparkStepName } from '../lib/naming';
import type { OpsClients } from './aws-clients';
import type { AwsTarget } from './aws-target';
import { formatDuration } from './duration';
import { activeClustersNamed, latestStepsNamed } from './emr-steps';
import { latestJobRun } from './glue-runs';
import type { Pipeline } from '../lib/pipelines/pipelines';
import type { RetryOptions } from './retry';
import { formatTable } from './table';
import { elapsedMs, type WorkStatus, workJson } from './work-status';

/** Concurrent GetJobRuns calls: enough to be quick, few enough not to be throttled. */
const GLUE_CONCURRENCY = 8;

export interface StatusEntry {
  readonly pipeline: string;
  readonly work: WorkStatus;
}

export interface StatusReport {
  readonly environment: string;
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

/** `platform status`: the latest run of each ingestion job and the latest Spark step of each pipeline. */
export async function pipelineStatus(target: AwsTarget, clients: OpsClients, pipelines: readonly Pipeline[], retry: RetryOptions = {}): Promise<StatusReport> {
  const jobs = pipelines.flatMap((pipeline) =>
    pipeline.batchDatasets.map((dataset) => ({ pipeline: pipeline.name, jobName: glueIngestionJobName(target.scope, dataset.name) })),
  );
  const runs = await mapLimited(jobs, GLUE_CONCURRENCY, async ({ pipeline, jobName }) => ({
    pipeline,
    work: await latestJobRun(clients.glue, jobName, retry),
  }));
  const clusterName = emrClusterName(target.scope);
  const [cluster] = await activeClustersNamed(clients.emr, clusterName, retry);
  const base = { environment: target.scope.environment, clusterName };
  if (!cluster) return { ...base, entries: runs };
  const stepNames = pipelines.map((pipeline) => sparkStepName(target.scope, pipeline.name));
  const steps = await latestStepsNamed(clients.emr, cluster.id, stepNames, retry);
  const entries = pipelines.flatMap((pipeline, index) => [
    ...runs.filter((run) => run.pipeline === pipeline.name),
    { pipeline: pipeline.name, work: steps.get(stepNames[index]) as WorkStatus },
  ]);
  return { ...base, clusterId: cluster.id, entries };
}

/** The report as an aligned table, errors in the last column, plus a note when no cluster is active. */
export function formatStatus(report: StatusReport, now: number): string {
  const rows = report.entries.map(({ pipeline, work }) => {
    const elapsed = elapsedMs(work, now);
    return [
      pipeline,
      work.kind === 'glue-job-run' ? 'glue' : 'emr',
      work.name,
      work.id ?? '-',
      work.state,
      work.startedAt ? work.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-',
      elapsed === undefined ? '-' : formatDuration(elapsed),
      work.error ?? '',
    ];
  });
  const table = formatTable(['PIPELINE', 'KIND', 'NAME', 'RUN/STEP ID', 'STATE', 'STARTED (UTC)', 'DURATION', 'ERROR'], rows);
  const note = report.clusterId
    ? `EMR cluster ${report.clusterName}: ${report.clusterId}`
    : `EMR cluster ${report.clusterName}: none active, so no Spark steps are listed`;
  return `${table}\n\n${note}`;
}

/** The report for --json: dates as ISO strings, durations in seconds. */
export function statusJson(report: StatusReport, now: number): unknown {
  return { ...report, entries: report.entries.map(({ pipeline, work }) => ({ pipeline, ...workJson(work, now) })) };
}
