import { dataFactoryName, type NamingScope, resourceGroupName } from '../lib/naming';
import type { Clock } from './clock';
import { OpsError } from './errors';
import type { PipelineFailure } from './pipeline-results';
import type { RestClient } from './rest';
import type { WorkStatus } from './work-status';

/** The Data Factory REST API version (Microsoft.DataFactory, 2018-06-01: createRun, pipelineruns, queryPipelineRuns, queryActivityruns). */
export const DATA_FACTORY_API_VERSION = '2018-06-01';

/** How far back run queries look: Data Factory keeps run history for 45 days, and its runs time out long before a week. */
export const RUN_LOOKBACK_MS = 7 * 24 * 3600 * 1000;

/** A pipeline run as Data Factory reports it. */
export interface PipelineRun {
  readonly runId: string;
  readonly pipelineName: string;
  readonly status: string;
  readonly runStart?: string;
  readonly runEnd?: string;
  readonly message?: string;
}

/** An activity run as queryActivityruns reports it; `output` is absent when the activity's output is secure. */
export interface ActivityRun {
  readonly activityName: string;
  readonly activityType?: string;
  readonly status: string;
  readonly activityRunStart?: string;
  readonly activityRunEnd?: string;
  readonly output?: Record<string, unknown> | null;
  readonly error?: { errorCode?: string; message?: string };
}

/** A filter of queryPipelineRuns, e.g. { operand: 'PipelineName', operator: 'In', values: ['ingest_orders'] }. */
export interface RunFilter {
  readonly operand: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/**
 * The environment's Data Factory (the one the Azure ingestion stack deploys, named by lib/naming) through
 * Azure Resource Manager: what `platform run --cloud azure` and `platform status --cloud azure` share.
 */
export class DataFactoryApi {
  readonly factory: string;
  readonly resourceGroup: string;

  constructor(
    private readonly arm: RestClient,
    scope: NamingScope,
    readonly subscriptionId: string,
    private readonly clock: Clock,
  ) {
    this.factory = dataFactoryName(scope, subscriptionId);
    this.resourceGroup = resourceGroupName(scope, 'ingestion');
  }

  /** The factory's ARM resource id. */
  get resourceId(): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.DataFactory/factories/${this.factory}`;
  }

  /** A path under the factory, with the api-version. */
  path(rest: string): string {
    return `${this.resourceId}${rest}${rest.includes('?') ? '&' : '?'}api-version=${DATA_FACTORY_API_VERSION}`;
  }

  /** The Azure CLI command that cancels a pipeline run. */
  cancelCommand(runId: string): string {
    return (
      `az datafactory pipeline-run cancel --subscription ${this.subscriptionId} --resource-group ${this.resourceGroup} ` +
      `--factory-name ${this.factory} --run-id ${runId}`
    );
  }

  /** The time window of run queries: the last RUN_LOOKBACK_MS, up to a minute ahead (clock skew). */
  private window(): { lastUpdatedAfter: string; lastUpdatedBefore: string } {
    const now = this.clock.now();
    return { lastUpdatedAfter: new Date(now - RUN_LOOKBACK_MS).toISOString(), lastUpdatedBefore: new Date(now + 60_000).toISOString() };
  }

  /** queryPipelineRuns over the lookback window, newest start first. */
  async queryPipelineRuns(filters: readonly RunFilter[]): Promise<PipelineRun[]> {
    const answer = await this.notDeployed(
      this.arm.request<{ value?: PipelineRun[] }>(
        'POST',
        this.path('/queryPipelineRuns'),
        { ...this.window(), filters, orderBy: [{ orderBy: 'RunStart', order: 'DESC' }] },
        { service: 'Data Factory', operation: 'QueryPipelineRuns' },
        'read',
      ),
    );
    return answer.value ?? [];
  }

  /** The latest run of `pipeline` in the lookback window, or undefined when it has none. */
  async latestRun(pipeline: string): Promise<PipelineRun | undefined> {
    const runs = await this.queryPipelineRuns([{ operand: 'PipelineName', operator: 'Equals', values: [pipeline] }]);
    // Ordered by the service; sorted again so that a missing order cannot show an older run.
    return runs.filter((run) => run.pipelineName === pipeline).sort((a, b) => startOf(b) - startOf(a))[0];
  }

  /** The activity runs of a pipeline run. */
  async activityRuns(runId: string): Promise<ActivityRun[]> {
    const answer = await this.arm.request<{ value?: ActivityRun[] }>(
      'POST',
      this.path(`/pipelineruns/${runId}/queryActivityruns`),
      this.window(),
      { service: 'Data Factory', operation: 'QueryActivityRuns' },
      'read',
    );
    return answer.value ?? [];
  }

  /** A failed or cancelled pipeline run's failure: the activity that failed (from its activity runs) with its error. */
  static failureOf(run: Pick<WorkStatus, 'name' | 'state' | 'error'>, activities: readonly ActivityRun[]): PipelineFailure {
    const activity = activities.find((candidate) => candidate.status === 'Failed');
    return {
      state: activity ? `${run.name}/${activity.activityName}` : run.name,
      error: activity?.error?.errorCode || run.state,
      cause: activity?.error?.message || run.error,
    };
  }

  /** A factory or pipeline that does not exist: the ingestion stack is not deployed. */
  async notDeployed<T>(call: Promise<T>): Promise<T> {
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

function startOf(run: PipelineRun): number {
  return run.runStart ? Date.parse(run.runStart) : 0;
}

/** A pipeline run as a WorkStatus: Data Factory's states, its message as the error of a run that did not succeed. */
export function pipelineRunStatus(run: PipelineRun, stopWith?: string): WorkStatus {
  return {
    kind: 'adf-pipeline-run',
    name: run.pipelineName,
    id: run.runId,
    state: run.status,
    startedAt: run.runStart ? new Date(run.runStart) : undefined,
    endedAt: run.runEnd ? new Date(run.runEnd) : undefined,
    error: run.status === 'Failed' || run.status === 'Cancelled' ? run.message || undefined : undefined,
    stopWith,
  };
}
