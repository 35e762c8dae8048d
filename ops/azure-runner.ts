import { dataFactoryName, dataFactoryPipelineName, type NamingScope, resourceGroupName } from '../lib/naming';
import type { RunPlan } from '../lib/pipelines/pipelines';
import type { Clock } from './clock';
import { OpsError, UsageError } from './errors';
import { type PipelineFailure, RECONCILIATION_NOT_RECORDED } from './pipeline-results';
import type { RestClient } from './rest';
import { CallAbortedError } from './retry';
import type { PipelineRunner, RunningRun, RunSnapshot } from './run-pipeline';
import { describeWork, isFinished, type UncertainStart, type WorkStatus } from './work-status';

/** The Data Factory REST API version (Microsoft.DataFactory, 2018-06-01: createRun, pipelineruns, queryActivityruns). */
export const DATA_FACTORY_API_VERSION = '2018-06-01';

/** Pipeline run states in which a run is still going (Data Factory's own spelling). */
const ACTIVE_RUN_STATES = ['Queued', 'InProgress', 'Canceling'];

/** How far back the search for a run in progress looks: Data Factory runs time out long before. */
const RUNNING_LOOKBACK_MS = 7 * 24 * 3600 * 1000;

interface PipelineRun {
  runId: string;
  pipelineName: string;
  status: string;
  runStart?: string;
  runEnd?: string;
  message?: string;
}

interface ActivityRun {
  activityName: string;
  status: string;
  error?: { errorCode?: string; message?: string };
}

export interface AzureRunnerProps {
  readonly scope: NamingScope;
  readonly subscriptionId: string;
  readonly location: string;
  readonly plan: RunPlan;
  readonly skipIngestion: boolean;
  /** Azure Resource Manager (https://management.azure.com, or a local fake's URL). */
  readonly arm: RestClient;
  readonly clock: Clock;
}

/**
 * `platform run --cloud azure`: the Data Factory pipelines `ingest_<dataset>` of the plan's batch
 * datasets (the ones their schedule triggers start), through the Data Factory REST API: createRun,
 * then the pipeline run's status, and for a failed run the activity runs, to name the activity that
 * failed and its error. A pipeline with a run queued or in progress is not started again.
 */
export class AzureRunner implements PipelineRunner {
  readonly cloud = 'azure';
  readonly region: string;
  private readonly factory: string;
  private readonly resourceGroup: string;
  private readonly pipelines: readonly string[];
  private readonly started: WorkStatus[] = [];
  private inFlight?: string;

  constructor(private readonly props: AzureRunnerProps) {
    if (props.skipIngestion)
      throw new UsageError(
        '--skip-ingestion leaves nothing to run on Azure: Data Factory runs the ingestion only (silver and gold are built on Databricks: --cloud databricks)',
      );
    if (props.plan.datasets.length === 0)
      throw new UsageError(`pipeline ${props.plan.pipeline.name} has no batch dataset: Data Factory has nothing to ingest for it`);
    this.region = props.location;
    this.factory = dataFactoryName(props.scope, props.subscriptionId);
    this.resourceGroup = resourceGroupName(props.scope, 'ingestion');
    this.pipelines = props.plan.datasets.map((dataset) => dataFactoryPipelineName(dataset.name));
  }

  private path(rest: string): string {
    return (
      `/subscriptions/${this.props.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.DataFactory/factories/` +
      `${this.factory}${rest}${rest.includes('?') ? '&' : '?'}api-version=${DATA_FACTORY_API_VERSION}`
    );
  }

  private stopWith(runId: string): string {
    return (
      `az datafactory pipeline-run cancel --subscription ${this.props.subscriptionId} --resource-group ${this.resourceGroup} ` +
      `--factory-name ${this.factory} --run-id ${runId}`
    );
  }

  async running(): Promise<RunningRun[]> {
    const now = this.props.clock.now();
    const answer = await this.notDeployed(
      this.props.arm.request<{ value?: PipelineRun[] }>(
        'POST',
        this.path('/queryPipelineRuns'),
        {
          lastUpdatedAfter: new Date(now - RUNNING_LOOKBACK_MS).toISOString(),
          lastUpdatedBefore: new Date(now + 60_000).toISOString(),
          filters: [
            { operand: 'PipelineName', operator: 'In', values: this.pipelines },
            { operand: 'Status', operator: 'In', values: ACTIVE_RUN_STATES },
          ],
        },
        { service: 'Data Factory', operation: 'QueryPipelineRuns' },
        'read',
      ),
    );
    return (answer.value ?? []).map((run) => ({
      description: `Data Factory pipeline run ${run.pipelineName}`,
      id: run.runId,
      startedAt: run.runStart ? new Date(run.runStart) : undefined,
    }));
  }

  async start(): Promise<RunSnapshot> {
    for (const pipeline of this.pipelines) {
      this.inFlight = pipeline;
      let runId: string;
      try {
        // createRun has no idempotency key: retried only when Data Factory certainly did not start a run.
        ({ runId } = await this.notDeployed(
          this.props.arm.request<{ runId: string }>(
            'POST',
            this.path(`/pipelines/${pipeline}/createRun`),
            {},
            { service: 'Data Factory', operation: 'CreateRun' },
            'start',
          ),
        ));
      } catch (error) {
        if (this.started.length === 0 || error instanceof OpsError || error instanceof CallAbortedError) throw error;
        throw new OpsError(
          [
            `cannot start Data Factory pipeline ${pipeline}: ${(error as Error).message}`,
            'already started, still running in Azure:',
            ...this.started.map((run) => `  ${describeWork(run)}; stop it with: ${run.stopWith}`),
          ].join('\n'),
          undefined,
          { cause: error },
        );
      }
      this.started.push({
        kind: 'adf-pipeline-run',
        name: pipeline,
        id: runId,
        state: 'Queued',
        submittedAt: new Date(this.props.clock.now()),
        stopWith: this.stopWith(runId),
      });
    }
    this.inFlight = undefined;
    return this.snapshot(this.started);
  }

  async poll(previous: RunSnapshot): Promise<RunSnapshot> {
    const ingestion = await Promise.all(
      previous.ingestion.map(async (run) => {
        if (isFinished(run)) return run;
        const answer = await this.props.arm.request<PipelineRun>(
          'GET',
          this.path(`/pipelineruns/${run.id}`),
          undefined,
          { service: 'Data Factory', operation: 'GetPipelineRun' },
          'read',
        );
        const status: WorkStatus = {
          ...run,
          state: answer.status,
          startedAt: answer.runStart ? new Date(answer.runStart) : run.startedAt,
          endedAt: answer.runEnd ? new Date(answer.runEnd) : undefined,
          error: answer.status === 'Failed' || answer.status === 'Cancelled' ? answer.message || undefined : undefined,
        };
        return status;
      }),
    );
    const failed = ingestion.find((run) => isFinished(run) && run.state !== 'Succeeded');
    return this.snapshot(ingestion, failed && (await this.failureOf(failed)));
  }

  /** The activity that failed in a failed pipeline run, with its error. */
  private async failureOf(run: WorkStatus): Promise<PipelineFailure> {
    const now = this.props.clock.now();
    const answer = await this.props.arm.request<{ value?: ActivityRun[] }>(
      'POST',
      this.path(`/pipelineruns/${run.id}/queryActivityruns`),
      { lastUpdatedAfter: new Date(now - RUNNING_LOOKBACK_MS).toISOString(), lastUpdatedBefore: new Date(now + 60_000).toISOString() },
      { service: 'Data Factory', operation: 'QueryActivityRuns' },
      'read',
    );
    const activity = (answer.value ?? []).find((candidate) => candidate.status === 'Failed');
    return {
      state: activity ? `${run.name}/${activity.activityName}` : run.name,
      error: activity?.error?.errorCode || run.state,
      cause: activity?.error?.message || run.error,
    };
  }

  private snapshot(ingestion: readonly WorkStatus[], failure?: PipelineFailure): RunSnapshot {
    const finished = ingestion.every(isFinished);
    return {
      ingestion,
      transform: [],
      finished,
      succeeded: finished && ingestion.every((run) => run.state === 'Succeeded'),
      failure,
      reconciliation: RECONCILIATION_NOT_RECORDED,
    };
  }

  /** Data Factory runs only ingestion here: once its runs have started, the last stage has. */
  lastStageStarted(snapshot: RunSnapshot): boolean {
    return snapshot.ingestion.length === this.pipelines.length;
  }

  startedSoFar(): readonly WorkStatus[] {
    return this.started;
  }

  uncertainStart(): UncertainStart | undefined {
    if (!this.inFlight) return undefined;
    return {
      kind: 'adf-pipeline-run',
      name: this.inFlight,
      call: 'Data Factory CreateRun',
      check:
        `az datafactory pipeline-run query-by-factory --subscription ${this.props.subscriptionId} --resource-group ${this.resourceGroup} ` +
        `--factory-name ${this.factory} --last-updated-after <start> --last-updated-before <now>`,
    };
  }

  /** A factory or pipeline that does not exist: the ingestion stack is not deployed. */
  private async notDeployed<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      const name = (error as Error).name;
      if (!['ResourceNotFound', 'ResourceGroupNotFound', 'PipelineNotFound', 'NotFound', 'Http404'].includes(name)) throw error;
      throw new OpsError(
        `Data Factory ${this.factory} (resource group ${this.resourceGroup}) or its pipeline not found: ${(error as Error).message}; ` +
          `deploy the environment's Azure ingestion stack first`,
        undefined,
        { cause: error },
      );
    }
  }
}
