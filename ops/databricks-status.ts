import { DBT_JOB_TASKS, dbtJobName, dltPipelineName, type NamingScope } from '../lib/naming';
import type { Pipeline } from '../lib/pipelines/pipelines';
import { DatabricksWorkspaceApi, DLT_FAILURE_CAUSE, type DltPipeline, jobRunFailure, type JobRun, jobRunState, jobRunStatus } from './databricks-workspace';
import { EXIT_CODES } from './exit-codes';
import { type DataQualityResult, type PipelineFailure, RECONCILIATION_NOT_RECORDED_ON_DATABRICKS } from './pipeline-results';
import type { PipelineRunStatus, StatusEntry, StatusReport } from './status';
import { isFinished, isSucceeded, NO_RUNS, NOT_FOUND, type WorkStatus } from './work-status';

/** What the dbt job builds. */
const LAYERS = 'silver and gold';

/** The data-quality result of a dbt job run: its dbt_build task's tests, when that task has ended (not when it was skipped). */
export function dbtDataQuality(run: JobRun | undefined): DataQualityResult[] {
  const task = run?.tasks?.find((candidate) => candidate.task_key === DBT_JOB_TASKS.dbtBuild);
  const result = task?.state?.result_state;
  if (result === 'SUCCESS') return [{ dataset: DBT_JOB_TASKS.dbtBuild, result: 'passed', failedRules: [] }];
  if (result === 'FAILED' || result === 'TIMEDOUT')
    return [{ dataset: DBT_JOB_TASKS.dbtBuild, result: 'failed', failedRules: [task?.state?.state_message || `dbt build ${result}`] }];
  return [];
}

/** The latest update of a DLT pipeline as a status row. */
function dltUpdateStatus(name: string, pipeline: DltPipeline | undefined, host: string): WorkStatus {
  if (!pipeline) return { kind: 'dlt-update', name, state: NOT_FOUND, error: `the DLT pipeline does not exist in ${host} (lakehouse stack not deployed?)` };
  const [update] = pipeline.latest_updates ?? [];
  if (!update) return { kind: 'dlt-update', name, state: NO_RUNS };
  const failed = update.state === 'FAILED' || update.state === 'CANCELED';
  return {
    kind: 'dlt-update',
    name,
    id: update.update_id,
    state: update.state,
    startedAt: update.creation_time ? new Date(update.creation_time) : undefined,
    error: failed ? DLT_FAILURE_CAUSE : undefined,
    stopWith: `databricks pipelines stop ${pipeline.pipeline_id}`,
  };
}

/** The dbt job's latest run and one row per task, with its failure. */
function jobStatus(jobName: string, run: JobRun | undefined): { work: WorkStatus; tasks: WorkStatus[]; failure?: PipelineFailure } {
  if (!run) return { work: { kind: 'databricks-job-run', name: jobName, state: NO_RUNS }, tasks: [] };
  const status = jobRunStatus(jobName, run);
  const failure = isFinished(status) && !isSucceeded(status) ? jobRunFailure(jobName, run) : undefined;
  const work = failure ? { ...status, error: `${failure.state}: ${[failure.error, failure.cause].filter(Boolean).join(': ')}` } : status;
  const tasks = (run.tasks ?? []).map((task): WorkStatus => ({
    kind: 'databricks-task-run',
    name: `${jobName}/${task.task_key}`,
    id: task.run_id === undefined ? undefined : String(task.run_id),
    state: jobRunState(task),
    startedAt: task.start_time ? new Date(task.start_time) : undefined,
    endedAt: task.end_time ? new Date(task.end_time) : undefined,
    error: task.state?.result_state && task.state.result_state !== 'SUCCESS' ? task.state.state_message || undefined : undefined,
    url: task.run_page_url,
  }));
  return { work, tasks, failure };
}

/**
 * `platform status --cloud databricks`: the environment's dbt job (found by its lib/naming name), its
 * latest run from `jobs/runs/list` with its tasks (the bronze refresh, `dbt build`, the warehouse load),
 * which builds every pipeline's silver and gold; the dbt_build task's tests as the data-quality result;
 * and, for a pipeline with stream datasets, its DLT pipeline's latest update. Per-batch counts are not
 * recorded on this path (RECONCILIATION_NOT_RECORDED_ON_DATABRICKS says why).
 */
export async function databricksStatus(api: DatabricksWorkspaceApi, scope: NamingScope, pipelines: readonly Pipeline[]): Promise<StatusReport> {
  const jobName = dbtJobName(scope);
  const jobId = await api.findJobId(jobName);
  const [run] = jobId === undefined ? [] : await api.jobRuns(jobId, { limit: 1 });
  const job =
    jobId === undefined
      ? {
          work: {
            kind: 'databricks-job-run' as const,
            name: jobName,
            state: NOT_FOUND,
            error: `the job does not exist in ${api.base} (lakehouse stack not deployed?)`,
          },
          tasks: [],
        }
      : jobStatus(jobName, run);
  const dataQuality = dbtDataQuality(run);
  const entries: StatusEntry[] = [];
  const statuses: PipelineRunStatus[] = [];
  for (const pipeline of pipelines) {
    entries.push({ pipeline: pipeline.name, work: job.work }, ...job.tasks.map((work) => ({ pipeline: pipeline.name, work })));
    if (pipeline.streamDatasets.length > 0) {
      const name = dltPipelineName(scope, pipeline.name);
      entries.push({ pipeline: pipeline.name, work: dltUpdateStatus(name, await api.findDltPipeline(name), api.base) });
    }
    statuses.push({
      pipeline: pipeline.name,
      lastRun: job.work,
      dataQuality,
      failure: 'failure' in job ? job.failure : undefined,
      reconciliation: RECONCILIATION_NOT_RECORDED_ON_DATABRICKS,
    });
  }
  return {
    environment: scope.environment,
    cloud: 'databricks',
    pipelines: statuses,
    runsOn: {
      kind: 'databricks-workspace',
      name: api.base,
      id: jobId === undefined ? undefined : String(jobId),
      description: `Databricks workspace ${api.base}: job ${jobName}${jobId === undefined ? ' not found' : ` (${jobId})`} builds every pipeline's ${LAYERS}`,
    },
    entries,
    batchLog: { source: 'none: the Databricks path records no per-batch counts', outcome: 'not-recorded', exitCode: EXIT_CODES.ok },
  };
}
