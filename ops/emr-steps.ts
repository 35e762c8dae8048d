import {
  AddJobFlowStepsCommand,
  type ClusterState,
  DescribeStepCommand,
  type EMRClient,
  ListClustersCommand,
  ListStepsCommand,
  type StepStatus,
} from '@aws-sdk/client-emr';
import { ACTIVE_EMR_CLUSTER_STATES } from '../lib/pipelines/emr-cluster-states';
import type { SparkStep } from '../lib/pipelines/spark-step';
import { OpsError } from './errors';
import { type RetryOptions, withRetry } from './retry';
import { NO_RUNS, type WorkStatus } from './work-status';

/** Cluster states in which a cluster accepts steps (the pipelines look for the same). */
export const ACTIVE_CLUSTER_STATES: ClusterState[] = [...ACTIVE_EMR_CLUSTER_STATES];

export interface ActiveCluster {
  readonly id: string;
  readonly name: string;
  readonly state: string;
}

/** Active clusters called `name`, newest first. */
export async function activeClustersNamed(emr: EMRClient, name: string, retry: RetryOptions = {}): Promise<ActiveCluster[]> {
  const found: Array<ActiveCluster & { created: number }> = [];
  let marker: string | undefined;
  do {
    const page = await withRetry(
      (signal) => emr.send(new ListClustersCommand({ ClusterStates: ACTIVE_CLUSTER_STATES, Marker: marker }), { abortSignal: signal }),
      'read',
      retry,
      { service: 'EMR', operation: 'ListClusters' },
    );
    for (const cluster of page.Clusters ?? []) {
      if (cluster.Name === name && cluster.Id) {
        found.push({ id: cluster.Id, name, state: cluster.Status?.State ?? 'UNKNOWN', created: cluster.Status?.Timeline?.CreationDateTime?.getTime() ?? 0 });
      }
    }
    marker = page.Marker;
  } while (marker);
  return found.sort((a, b) => b.created - a.created).map(({ id, state }) => ({ id, name, state }));
}

/** The active cluster called `name` (the newest if several); an OpsError saying what to check otherwise. */
export async function findActiveCluster(emr: EMRClient, name: string, region: string, retry: RetryOptions = {}): Promise<ActiveCluster> {
  const [cluster] = await activeClustersNamed(emr, name, retry);
  if (!cluster) {
    throw new OpsError(
      `no active EMR cluster named "${name}" in ${region} (states ${ACTIVE_CLUSTER_STATES.join(', ')}); ` +
        `deploy the processing stack or start the cluster, then retry`,
    );
  }
  return cluster;
}

/** What the Spark step runs: `spark-submit` through command-runner.jar. */

/**
 * Adds `step` to cluster `clusterId`. ActionOnFailure CONTINUE: a failed pipeline must not terminate
 * or block the shared cluster that other pipelines' steps run on.
 */
export async function addSparkStep(emr: EMRClient, clusterId: string, step: SparkStep, retry: RetryOptions = {}): Promise<WorkStatus> {
  const { StepIds = [] } = await withRetry(
    (signal) =>
      emr.send(
        new AddJobFlowStepsCommand({
          JobFlowId: clusterId,
          Steps: [
            { Name: step.name, ActionOnFailure: 'CONTINUE', HadoopJarStep: { Jar: 'command-runner.jar', Args: ['spark-submit', ...step.sparkSubmitArgs] } },
          ],
        }),
        { abortSignal: signal },
      ),
    'start',
    retry,
    { service: 'EMR', operation: 'AddJobFlowSteps' },
  );
  if (!StepIds[0]) throw new Error(`EMR AddJobFlowSteps on ${clusterId} returned no step id`);
  return { kind: 'emr-step', name: step.name, id: StepIds[0], clusterId, state: 'PENDING' };
}

/** `reason: message (logs: s3://...)` from a step's FailureDetails. */
function failureText(status: StepStatus | undefined): string | undefined {
  const details = status?.FailureDetails;
  const text = [details?.Reason, details?.Message].filter(Boolean).join(': ');
  const reason = text || status?.StateChangeReason?.Message;
  if (!reason && !details?.LogFile) return undefined;
  return `${reason ?? 'failed'}${details?.LogFile ? ` (logs: ${details.LogFile})` : ''}`;
}

function stepStatus(clusterId: string, step: { Id?: string; Name?: string; Status?: StepStatus }, fallbackName: string): WorkStatus {
  const state = step.Status?.State ?? 'UNKNOWN';
  return {
    kind: 'emr-step',
    name: step.Name ?? fallbackName,
    id: step.Id,
    clusterId,
    state,
    startedAt: step.Status?.Timeline?.StartDateTime,
    endedAt: step.Status?.Timeline?.EndDateTime,
    error: ['FAILED', 'CANCELLED', 'INTERRUPTED'].includes(state) ? failureText(step.Status) : undefined,
  };
}

/** The current status of step `stepId` on cluster `clusterId`. */
export async function stepStatusOf(emr: EMRClient, clusterId: string, stepId: string, name: string, retry: RetryOptions = {}): Promise<WorkStatus> {
  const { Step } = await withRetry(
    (signal) => emr.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: stepId }), { abortSignal: signal }),
    'read',
    retry,
    { service: 'EMR', operation: 'DescribeStep' },
  );
  return Step ? stepStatus(clusterId, Step, name) : { kind: 'emr-step', name, id: stepId, clusterId, state: 'UNKNOWN' };
}

/** Pages of ListSteps read at most by `latestStepsNamed`: the newest 500 steps of the cluster. */
export const MAX_STEP_PAGES = 10;

/**
 * The most recent step of each of `names` on the cluster (ListSteps returns newest first); NO_RUNS for
 * a name without a step among the newest MAX_STEP_PAGES pages.
 */
export async function latestStepsNamed(
  emr: EMRClient,
  clusterId: string,
  names: readonly string[],
  retry: RetryOptions = {},
): Promise<Map<string, WorkStatus>> {
  const latest = new Map<string, WorkStatus>();
  let marker: string | undefined;
  for (let page = 0; page < MAX_STEP_PAGES && latest.size < names.length; page++) {
    const response = await withRetry(
      (signal) => emr.send(new ListStepsCommand({ ClusterId: clusterId, Marker: marker }), { abortSignal: signal }),
      'read',
      retry,
      { service: 'EMR', operation: 'ListSteps' },
    );
    for (const step of response.Steps ?? []) {
      if (step.Name && names.includes(step.Name) && !latest.has(step.Name)) latest.set(step.Name, stepStatus(clusterId, step, step.Name));
    }
    marker = response.Marker;
    if (!marker) break;
  }
  for (const name of names) if (!latest.has(name)) latest.set(name, { kind: 'emr-step', name, clusterId, state: NO_RUNS });
  return latest;
}
