import { dataFactoryPipelineName, type NamingScope } from '../lib/naming';
import type { RunPlan } from '../lib/pipelines/pipelines';
import type { Clock } from './clock';
import { OpsError, UsageError } from './errors';
import { DataFactoryApi, pipelineRunStatus, type PipelineRun } from './data-factory';
import { type PipelineFailure, RECONCILIATION_IN_COPY_OUTPUT } from './pipeline-results';
import type { RestClient } from './rest';
import { CallAbortedError } from './retry';
import type { PipelineRunner, RunningRun, RunSnapshot } from './run-pipeline';
import { describeWork, isFinished, type UncertainStart, type WorkStatus } from './work-status';

/** Pipeline run states in which a run is still going (Data Factory's own spelling). */
const ACTIVE_RUN_STATES = ['Queued', 'InProgress', 'Canceling'];

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
  private readonly api: DataFactoryApi;
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
    this.api = new DataFactoryApi(props.arm, props.scope, props.subscriptionId, props.clock);
    this.pipelines = props.plan.datasets.map((dataset) => dataFactoryPipelineName(dataset.name));
  }

  async running(): Promise<RunningRun[]> {
    const runs = await this.api.queryPipelineRuns([
      { operand: 'PipelineName', operator: 'In', values: this.pipelines },
      { operand: 'Status', operator: 'In', values: ACTIVE_RUN_STATES },
    ]);
    return runs.map((run) => ({
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
        ({ runId } = await this.api.notDeployed(
          this.props.arm.request<{ runId: string }>(
            'POST',
            this.api.path(`/pipelines/${pipeline}/createRun`),
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
        stopWith: this.api.cancelCommand(runId),
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
          this.api.path(`/pipelineruns/${run.id}`),
          undefined,
          { service: 'Data Factory', operation: 'GetPipelineRun' },
          'read',
        );
        const status: WorkStatus = { ...run, ...pipelineRunStatus({ ...answer, pipelineName: run.name }, run.stopWith) };
        return { ...status, startedAt: status.startedAt ?? run.startedAt };
      }),
    );
    const failed = ingestion.find((run) => isFinished(run) && run.state !== 'Succeeded');
    return this.snapshot(ingestion, failed && (await this.failureOf(failed)));
  }

  /** The activity that failed in a failed pipeline run, with its error. */
  private async failureOf(run: WorkStatus): Promise<PipelineFailure> {
    return DataFactoryApi.failureOf(run, await this.api.activityRuns(run.id as string));
  }

  private snapshot(ingestion: readonly WorkStatus[], failure?: PipelineFailure): RunSnapshot {
    const finished = ingestion.every(isFinished);
    return {
      ingestion,
      transform: [],
      finished,
      succeeded: finished && ingestion.every((run) => run.state === 'Succeeded'),
      failure,
      reconciliation: RECONCILIATION_IN_COPY_OUTPUT,
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
        `az datafactory pipeline-run query-by-factory --subscription ${this.props.subscriptionId} --resource-group ${this.api.resourceGroup} ` +
        `--factory-name ${this.api.factory} --last-updated-after <start> --last-updated-before <now>`,
    };
  }
}
