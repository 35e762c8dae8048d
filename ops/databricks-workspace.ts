import { OpsError } from './errors';
import type { PipelineFailure } from './pipeline-results';
import type { RestClient } from './rest';
import type { WorkStatus } from './work-status';

/** A task of a job run, as jobs/runs/get and jobs/runs/list (expand_tasks) report it. */
export interface JobTaskRun {
  readonly task_key: string;
  readonly run_id?: number;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly run_page_url?: string;
  readonly state?: { life_cycle_state?: string; result_state?: string; state_message?: string };
}

/** A job run. */
export interface JobRun {
  readonly run_id: number;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly run_page_url?: string;
  readonly state?: { life_cycle_state?: string; result_state?: string; state_message?: string };
  readonly tasks?: readonly JobTaskRun[];
}

/** A DLT pipeline, with its latest updates (newest first). */
export interface DltPipeline {
  readonly pipeline_id: string;
  readonly name?: string;
  readonly spec?: { continuous?: boolean };
  readonly latest_updates?: ReadonlyArray<{ update_id: string; state: string; creation_time?: string }>;
}

/** What the REST API gives of a failed DLT update: its state; the reason is in the pipeline's event log. */
export const DLT_FAILURE_CAUSE = 'see the pipeline event log';

/** The state a job or task run shows: its result once it has ended, its life-cycle state before. */
export function jobRunState(run: Pick<JobRun, 'state'>): string {
  return run.state?.result_state ?? run.state?.life_cycle_state ?? 'PENDING';
}

/** The first task of a run that ended without success, when one did. */
export function failedTask(run: Pick<JobRun, 'tasks'>): JobTaskRun | undefined {
  return (run.tasks ?? []).find((task) => task.state?.result_state && task.state.result_state !== 'SUCCESS');
}

/** Where a job run that did not succeed failed: `<job>/<task>` with the task's result and message. */
export function jobRunFailure(jobName: string, run: JobRun): PipelineFailure {
  const task = failedTask(run);
  return {
    state: task ? `${jobName}/${task.task_key}` : jobName,
    error: jobRunState(run),
    cause: task?.state?.state_message || run.state?.state_message || undefined,
  };
}

/** A job run as a WorkStatus. */
export function jobRunStatus(jobName: string, run: JobRun): WorkStatus {
  const state = jobRunState(run);
  return {
    kind: 'databricks-job-run',
    name: jobName,
    id: String(run.run_id),
    state,
    startedAt: run.start_time ? new Date(run.start_time) : undefined,
    endedAt: run.end_time ? new Date(run.end_time) : undefined,
    url: run.run_page_url,
  };
}

/** `Databricks job acme-dev-dbt not found in <host>; deploy ...`. */
export function notFound(what: 'job' | 'DLT pipeline', name: string, host: string): string {
  return `${what === 'job' ? 'Databricks job' : 'DLT pipeline'} ${name} not found in ${host}; deploy the environment's lakehouse stack first`;
}

/**
 * The workspace's jobs and DLT pipelines, found by the names the lakehouse stack gives them (lib/naming):
 * what `platform run --cloud databricks` and `platform status --cloud databricks` share.
 */
export class DatabricksWorkspaceApi {
  constructor(private readonly workspace: RestClient) {}

  get base(): string {
    return this.workspace.base;
  }

  get<T>(path: string, operation: string): Promise<T> {
    return this.workspace.request<T>('GET', path, undefined, { service: 'Databricks', operation }, 'read');
  }

  /** The id of the job named `name`, or undefined when the workspace has none. */
  async findJobId(name: string): Promise<number | undefined> {
    const { jobs = [] } = await this.get<{ jobs?: Array<{ job_id: number; settings?: { name?: string } }> }>(
      `/api/2.1/jobs/list?name=${encodeURIComponent(name)}`,
      'jobs/list',
    );
    return jobs.find((candidate) => candidate.settings?.name === name)?.job_id;
  }

  /** The id of the job named `name`; an OpsError when the lakehouse stack did not create it. */
  async jobId(name: string): Promise<number> {
    const id = await this.findJobId(name);
    if (id === undefined) throw new OpsError(notFound('job', name, this.base));
    return id;
  }

  /** The DLT pipeline named `name`, with its latest updates, or undefined when the workspace has none. */
  async findDltPipeline(name: string): Promise<DltPipeline | undefined> {
    const filter = encodeURIComponent(`name LIKE '${name}'`);
    const { statuses = [] } = await this.get<{ statuses?: DltPipeline[] }>(`/api/2.0/pipelines?filter=${filter}`, 'pipelines/list');
    const found = statuses.find((candidate) => candidate.name === name);
    return found && this.get<DltPipeline>(`/api/2.0/pipelines/${found.pipeline_id}`, 'pipelines/get');
  }

  /** The DLT pipeline named `name`, with its latest updates; an OpsError when the lakehouse stack did not create it. */
  async dltPipeline(name: string): Promise<DltPipeline> {
    const pipeline = await this.findDltPipeline(name);
    if (!pipeline) throw new OpsError(notFound('DLT pipeline', name, this.base));
    return pipeline;
  }

  /** The latest runs of a job, newest first, with their tasks; `activeOnly` for the runs still going. */
  async jobRuns(jobId: number, options: { activeOnly?: boolean; limit?: number } = {}): Promise<JobRun[]> {
    const query = [`job_id=${jobId}`];
    if (options.activeOnly) query.push('active_only=true');
    if (options.limit !== undefined) query.push(`limit=${options.limit}`, 'expand_tasks=true');
    const { runs = [] } = await this.get<{ runs?: JobRun[] }>(`/api/2.1/jobs/runs/list?${query.join('&')}`, 'jobs/runs/list');
    return runs;
  }
}
