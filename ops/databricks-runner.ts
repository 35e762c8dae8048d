import { dbtJobName, dltPipelineName, type NamingScope } from '../lib/naming';
import type { RunPlan } from '../lib/pipelines/pipelines';
import type { Clock } from './clock';
import { DatabricksWorkspaceApi, DLT_FAILURE_CAUSE, type DltPipeline, jobRunFailure, jobRunStatus, type JobRun } from './databricks-workspace';
import { type PipelineFailure, RECONCILIATION_NOT_RECORDED_ON_DATABRICKS } from './pipeline-results';
import type { RestClient } from './rest';
import type { PipelineRunner, RunningRun, RunSnapshot } from './run-pipeline';
import { isFinished, type UncertainStart, type WorkStatus } from './work-status';

/** DLT update states in which an update is still going. */
const ACTIVE_UPDATE_STATES = new Set(['QUEUED', 'CREATED', 'WAITING_FOR_RESOURCES', 'INITIALIZING', 'RESETTING', 'SETTING_UP_TABLES', 'RUNNING', 'STOPPING']);

export interface DatabricksRunnerProps {
  readonly scope: NamingScope;
  readonly plan: RunPlan;
  /** The workspace (https://adb-....azuredatabricks.net, or a local fake's URL). */
  readonly workspace: RestClient;
  readonly clock: Clock;
  /** Random numbers for the idempotency token of run-now. @default Math.random */
  readonly random?: () => number;
}

/**
 * `platform run --cloud databricks`: the environment's dbt job (`jobs/run-now`, which builds silver and
 * gold with the project's tests) and, for a pipeline with stream datasets, an update of its DLT
 * pipeline (`pipelines/<id>/updates`) unless that pipeline runs continuously; both followed to their
 * end (`jobs/runs/get`, `pipelines/<id>/updates/<id>`). The job and pipeline are found by the names
 * the lakehouse stack gives them. A job with an active run or a pipeline with an active update is
 * not started again.
 */
export class DatabricksRunner implements PipelineRunner {
  readonly cloud = 'databricks';
  readonly region: string;
  private readonly jobName: string;
  private readonly dltName?: string;
  private resolved?: { jobId: number; dlt?: DltPipeline };
  private readonly token: string;
  private inFlight?: { kind: 'databricks-job-run' | 'dlt-update'; name: string };
  private readonly started: WorkStatus[] = [];
  private readonly api: DatabricksWorkspaceApi;

  constructor(private readonly props: DatabricksRunnerProps) {
    this.api = new DatabricksWorkspaceApi(props.workspace);
    this.region = props.workspace.base;
    this.jobName = dbtJobName(props.scope);
    this.dltName = props.plan.pipeline.streamDatasets.length > 0 ? dltPipelineName(props.scope, props.plan.pipeline.name) : undefined;
    const random = props.random ?? Math.random;
    this.token = `platform-run-${props.clock.now()}-${Math.floor(random() * 1e9)}`;
  }

  private get<T>(path: string, operation: string): Promise<T> {
    return this.api.get<T>(path, operation);
  }

  /** The job's id and the DLT pipeline, by name; an OpsError when the lakehouse stack did not create them. */
  private async resolve(): Promise<{ jobId: number; dlt?: DltPipeline }> {
    if (this.resolved) return this.resolved;
    const jobId = await this.api.jobId(this.jobName);
    const dlt = this.dltName ? await this.api.dltPipeline(this.dltName) : undefined;
    this.resolved = { jobId, dlt };
    return this.resolved;
  }

  async running(): Promise<RunningRun[]> {
    const { jobId, dlt } = await this.resolve();
    const runs = await this.api.jobRuns(jobId, { activeOnly: true });
    const running: RunningRun[] = runs.map((run) => ({
      description: `Databricks job run ${this.jobName}`,
      id: String(run.run_id),
      startedAt: run.start_time ? new Date(run.start_time) : undefined,
    }));
    // A continuous pipeline always has an update running: it is not started, so it cannot collide.
    if (dlt && !dlt.spec?.continuous) {
      for (const update of dlt.latest_updates ?? []) {
        if (ACTIVE_UPDATE_STATES.has(update.state))
          running.push({
            description: `DLT pipeline update ${this.dltName}`,
            id: update.update_id,
            startedAt: update.creation_time ? new Date(update.creation_time) : undefined,
          });
      }
    }
    return running;
  }

  async start(): Promise<RunSnapshot> {
    const { jobId, dlt } = await this.resolve();
    const now = () => new Date(this.props.clock.now());
    if (dlt && !dlt.spec?.continuous) {
      this.inFlight = { kind: 'dlt-update', name: this.dltName as string };
      const { update_id } = await this.props.workspace.request<{ update_id: string }>(
        'POST',
        `/api/2.0/pipelines/${dlt.pipeline_id}/updates`,
        { full_refresh: false },
        { service: 'Databricks', operation: 'pipelines/updates' },
        'start',
      );
      this.started.push({
        kind: 'dlt-update',
        name: this.dltName as string,
        id: update_id,
        state: 'QUEUED',
        submittedAt: now(),
        stopWith: `databricks pipelines stop ${dlt.pipeline_id}`,
      });
    }
    this.inFlight = { kind: 'databricks-job-run', name: this.jobName };
    // The idempotency token makes run-now safe to retry: a repeat returns the run already started.
    const { run_id } = await this.props.workspace.request<{ run_id: number }>(
      'POST',
      '/api/2.1/jobs/run-now',
      { job_id: jobId, idempotency_token: this.token },
      { service: 'Databricks', operation: 'jobs/run-now' },
      'read',
    );
    this.inFlight = undefined;
    this.started.push({
      kind: 'databricks-job-run',
      name: this.jobName,
      id: String(run_id),
      state: 'PENDING',
      submittedAt: now(),
      stopWith: `databricks jobs cancel-run ${run_id}`,
    });
    return this.snapshot(this.started);
  }

  async poll(previous: RunSnapshot): Promise<RunSnapshot> {
    const failures: PipelineFailure[] = [];
    const transform = await Promise.all(
      previous.transform.map(async (work): Promise<WorkStatus> => {
        if (isFinished(work)) return work;
        if (work.kind === 'dlt-update') {
          const pipelineId = (work.stopWith ?? '').split(' ').pop();
          const { update } = await this.get<{ update?: { state?: string; creation_time?: string } }>(
            `/api/2.0/pipelines/${pipelineId}/updates/${work.id}`,
            'pipelines/updates/get',
          );
          const state = update?.state ?? 'UNKNOWN';
          if (state === 'FAILED' || state === 'CANCELED') failures.push({ state: work.name, error: state, cause: DLT_FAILURE_CAUSE });
          return { ...work, state, startedAt: update?.creation_time ? new Date(update.creation_time) : work.startedAt };
        }
        const run = await this.get<JobRun>(`/api/2.1/jobs/runs/get?run_id=${work.id}`, 'jobs/runs/get');
        const current = jobRunStatus(work.name, run);
        const status: WorkStatus = {
          ...work,
          state: current.state,
          startedAt: current.startedAt ?? work.startedAt,
          endedAt: current.endedAt,
          url: current.url,
        };
        if (!isFinished(status) || status.state === 'SUCCESS') return status;
        const failure = jobRunFailure(work.name, run);
        failures.push(failure);
        return { ...status, error: failure.cause };
      }),
    );
    return this.snapshot(transform, failures[0]);
  }

  private snapshot(transform: readonly WorkStatus[], failure?: PipelineFailure): RunSnapshot {
    const finished = transform.every(isFinished);
    return {
      ingestion: [],
      transform,
      finished,
      succeeded: finished && transform.every((work) => work.state === (work.kind === 'dlt-update' ? 'COMPLETED' : 'SUCCESS')),
      failure,
      reconciliation: RECONCILIATION_NOT_RECORDED_ON_DATABRICKS,
    };
  }

  lastStageStarted(snapshot: RunSnapshot): boolean {
    return snapshot.transform.some((work) => work.kind === 'databricks-job-run');
  }

  startedSoFar(): readonly WorkStatus[] {
    return this.started;
  }

  uncertainStart(): UncertainStart | undefined {
    if (!this.inFlight) return undefined;
    return {
      ...this.inFlight,
      call: this.inFlight.kind === 'dlt-update' ? 'Databricks pipelines/updates' : 'Databricks jobs/run-now',
      check: this.inFlight.kind === 'dlt-update' ? `databricks pipelines list-updates <pipeline id>` : `databricks jobs list-runs --active-only`,
    };
  }
}
