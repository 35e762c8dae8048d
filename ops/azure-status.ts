import { dataFactoryChangeCopyActivityName, dataFactoryCopyActivityName, dataFactoryPipelineName } from '../lib/naming';
import type { Pipeline } from '../lib/pipelines/pipelines';
import { type ActivityRun, DataFactoryApi, type PipelineRun, pipelineRunStatus } from './data-factory';
import { EXIT_CODES } from './exit-codes';
import type { BatchReconciliation, DataQualityResult, PipelineFailure, Reconciliation } from './pipeline-results';
import { mapLimited, type PipelineRunStatus, type StatusEntry, type StatusReport } from './status';
import { NO_RUNS, type WorkStatus } from './work-status';

/** Concurrent Data Factory reads: quick, and well below Resource Manager's read limits. */
const ARM_CONCURRENCY = 4;

/** The quarantine reason of rows the copy activity skipped (its fault tolerance, constructs/azure/bronze-landing.ts). */
export const INCOMPATIBLE_ROWS_REASON = 'incompatible with the declared columns (copy fault tolerance)';

/** The counts a copy activity's output records (Data Factory's own names). */
export interface CopyCounts {
  readonly rowsRead: number;
  readonly rowsCopied: number;
  /** Rows skipped into the quarantine log; 0 for a copy without fault tolerance (change capture), which records none. */
  readonly rowsSkipped: number;
  readonly logFilePath?: string;
}

/** The counts of a copy activity run, or undefined when its output does not hold them (secure output, not finished, nothing read). */
export function copyCounts(activity: ActivityRun): CopyCounts | undefined {
  const output = activity.output;
  if (!output || typeof output !== 'object') return undefined;
  const count = (name: string) => {
    const value = output[name];
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  };
  const [rowsRead, rowsCopied] = [count('rowsRead'), count('rowsCopied')];
  if (rowsRead === undefined || rowsCopied === undefined) return undefined;
  const logFilePath = typeof output.logFilePath === 'string' ? output.logFilePath : undefined;
  return { rowsRead, rowsCopied, rowsSkipped: count('rowsSkipped') ?? 0, logFilePath };
}

/** What status learnt of one dataset: its latest run (if any) and that run's copy activity. */
interface DatasetRun {
  readonly dataset: string;
  readonly pipelineName: string;
  readonly run?: PipelineRun;
  readonly activities: readonly ActivityRun[];
}

function copyActivityOf(dataset: DatasetRun): ActivityRun | undefined {
  const names = [dataFactoryCopyActivityName(dataset.dataset), dataFactoryChangeCopyActivityName(dataset.dataset)];
  // A retried copy has one activity run per attempt: the last one counts.
  return dataset.activities
    .filter((activity) => names.includes(activity.activityName))
    .sort((a, b) => Date.parse(b.activityRunStart ?? '') - Date.parse(a.activityRunStart ?? ''))[0];
}

/** The latest run of a dataset's pipeline as a status row: the failed activity and its error in the error column. */
function runStatus(api: DataFactoryApi, dataset: DatasetRun): { work: WorkStatus; failure?: PipelineFailure } {
  if (!dataset.run) return { work: { kind: 'adf-pipeline-run', name: dataset.pipelineName, state: NO_RUNS } };
  const work = pipelineRunStatus(dataset.run, api.cancelCommand(dataset.run.runId));
  if (work.state !== 'Failed' && work.state !== 'Cancelled') return { work };
  const failure = DataFactoryApi.failureOf(work, dataset.activities);
  return { work: { ...work, error: `${failure.state}: ${[failure.error, failure.cause].filter(Boolean).join(': ')}` }, failure };
}

/** The copy's fault tolerance as a data-quality result: passed when no row was skipped into the quarantine. */
function dataQualityOf(dataset: DatasetRun, copy: ActivityRun | undefined, counts: CopyCounts | undefined): DataQualityResult | undefined {
  // Only the copy with fault tolerance checks rows against the declared columns; a change-capture copy checks none.
  if (!counts || copy?.activityName !== dataFactoryCopyActivityName(dataset.dataset)) return undefined;
  if (counts.rowsSkipped === 0) return { dataset: dataset.dataset, result: 'passed', failedRules: [] };
  const where = counts.logFilePath ? `, logged to ${counts.logFilePath}` : '';
  return {
    dataset: dataset.dataset,
    result: 'failed',
    failedRules: [`${counts.rowsSkipped} of ${counts.rowsRead} rows ${INCOMPATIBLE_ROWS_REASON}, quarantined${where}`],
  };
}

/** The batch a copy run landed: bronze read = copied (accepted) + skipped (quarantined). */
function batchOf(dataset: DatasetRun, copy: ActivityRun, counts: CopyCounts): BatchReconciliation {
  const run = dataset.run as PipelineRun;
  return {
    dataset: dataset.dataset,
    batchId: run.runId,
    status: copy.status === 'Succeeded' ? 'accepted' : copy.status.toLowerCase(),
    bronze: counts.rowsRead,
    accepted: counts.rowsCopied,
    quarantined: counts.rowsSkipped,
    balanced: counts.rowsRead === counts.rowsCopied + counts.rowsSkipped,
    quarantineReasons: counts.rowsSkipped > 0 ? { [INCOMPATIBLE_ROWS_REASON]: counts.rowsSkipped } : {},
    ingestedAt: copy.activityRunEnd ? new Date(copy.activityRunEnd) : undefined,
    processedAt: copy.activityRunStart ? new Date(copy.activityRunStart) : undefined,
    runId: run.runId,
  };
}

/** One pipeline's reconciliation from its datasets' latest copy runs. */
function reconciliationOf(api: DataFactoryApi, pipeline: Pipeline, datasets: readonly DatasetRun[]): Reconciliation {
  const source = `Data Factory ${api.factory} copy activity runs`;
  if (datasets.length === 0)
    return {
      recorded: false,
      summary: 'not recorded',
      reason: `not recorded: pipeline ${pipeline.name} has no batch dataset, and only Data Factory's copies record per-batch counts on Azure`,
    };
  const batches: BatchReconciliation[] = [];
  const unprocessed: string[] = [];
  const secure: string[] = [];
  for (const dataset of datasets) {
    const copy = copyActivityOf(dataset);
    const counts = copy && copyCounts(copy);
    if (copy && counts) batches.push(batchOf(dataset, copy, counts));
    else unprocessed.push(dataset.dataset);
    if (copy && !counts && copy.status === 'Succeeded' && !copy.output) secure.push(`${dataset.pipelineName} ${dataset.run?.runId}`);
  }
  if (batches.length === 0 && secure.length > 0)
    return {
      recorded: false,
      summary: 'not recorded',
      reason:
        `not recorded: Data Factory monitoring holds no output of the copy activity of ${secure.join(', ')} (a secure output); ` +
        'redeploy the Azure ingestion stack, whose copy activities keep their output, and the next runs record their counts',
    };
  return { recorded: true, source, batches, unprocessed, balanced: batches.every((batch) => batch.balanced) };
}

/**
 * `platform status --cloud azure`: per pipeline of the domain, the latest run of each of its batch
 * datasets' Data Factory pipelines `ingest_<dataset>` (queryPipelineRuns filtered on the pipeline name,
 * newest first) and that run's activity runs (queryActivityruns): the failed activity of a failed run,
 * the copy's fault tolerance as the data-quality result, and its output's counts as the reconciliation
 * (rows read = rows copied + rows skipped into the quarantine). The pipeline's last run is the newest
 * of those runs.
 */
export async function azureStatus(api: DataFactoryApi, environment: string, pipelines: readonly Pipeline[]): Promise<StatusReport> {
  const wanted = pipelines.flatMap((pipeline) => pipeline.batchDatasets.map((dataset) => ({ pipeline: pipeline.name, dataset: dataset.name })));
  const read = await mapLimited(wanted, ARM_CONCURRENCY, async ({ pipeline, dataset }) => {
    const pipelineName = dataFactoryPipelineName(dataset);
    const run = await api.latestRun(pipelineName);
    const activities = run ? await api.activityRuns(run.runId) : [];
    return { pipeline, dataset, pipelineName, run, activities };
  });
  const entries: StatusEntry[] = [];
  const statuses: PipelineRunStatus[] = pipelines.map((pipeline) => {
    const datasets = read.filter((dataset) => dataset.pipeline === pipeline.name);
    const rows = datasets.map((dataset) => ({ dataset, ...runStatus(api, dataset) }));
    entries.push(...rows.map(({ work }) => ({ pipeline: pipeline.name, work })));
    const dataQuality = datasets.flatMap((dataset) => {
      const copy = copyActivityOf(dataset);
      return dataQualityOf(dataset, copy, copy && copyCounts(copy)) ?? [];
    });
    const latest = rows.filter((row) => row.dataset.run).sort((a, b) => (b.work.startedAt?.getTime() ?? 0) - (a.work.startedAt?.getTime() ?? 0))[0];
    const lastRun: WorkStatus = latest?.work ?? {
      kind: 'adf-pipeline-run',
      name: datasets.map((dataset) => dataset.pipelineName).join(', ') || '-',
      state: NO_RUNS,
      error: datasets.length === 0 ? 'no batch dataset: Data Factory copies none of its datasets' : undefined,
    };
    return { pipeline: pipeline.name, lastRun, dataQuality, failure: latest?.failure, reconciliation: reconciliationOf(api, pipeline, datasets) };
  });
  const anyRecorded = statuses.some((status) => status.reconciliation.recorded);
  return {
    environment,
    cloud: 'azure',
    pipelines: statuses,
    runsOn: {
      kind: 'data-factory',
      name: api.factory,
      id: api.resourceId,
      description: `Data Factory ${api.factory} (resource group ${api.resourceGroup}): the pipelines ingest_<dataset> of the batch datasets`,
    },
    entries,
    batchLog: { source: `Data Factory ${api.factory} copy activity runs`, outcome: anyRecorded ? 'read' : 'not-recorded', exitCode: EXIT_CODES.ok },
  };
}
