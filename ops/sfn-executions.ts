import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { DataQualityResult, PipelineFailure } from './pipeline-results';
import { type RetryOptions, withRetry } from './retry';
import type { WorkStatus } from './work-status';

/** An execution of a pipeline's state machine, as ListExecutions and DescribeExecution give it. */
export interface ExecutionSummary {
  readonly arn: string;
  readonly name: string;
  readonly state: string;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
}

function summaryOf(item: ExecutionListItem): ExecutionSummary {
  return { arn: item.executionArn ?? '?', name: item.name ?? '?', state: item.status ?? 'UNKNOWN', startedAt: item.startDate, endedAt: item.stopDate };
}

/** The RUNNING executions of the state machine, oldest first. */
export async function runningExecutions(sfn: SFNClient, stateMachineArn: string, retry: RetryOptions = {}): Promise<ExecutionSummary[]> {
  const found: ExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetry(
      (signal) => sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken }), { abortSignal: signal }),
      'read',
      retry,
      { service: 'Step Functions', operation: 'ListExecutions' },
    );
    found.push(...(page.executions ?? []).map(summaryOf));
    nextToken = page.nextToken;
  } while (nextToken);
  return found.sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
}

/** The newest execution of the state machine, whatever its state; undefined when it never ran. */
export async function latestExecution(sfn: SFNClient, stateMachineArn: string, retry: RetryOptions = {}): Promise<ExecutionSummary | undefined> {
  const page = await withRetry((signal) => sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }), { abortSignal: signal }), 'read', retry, {
    service: 'Step Functions',
    operation: 'ListExecutions',
  });
  const [item] = page.executions ?? [];
  return item ? summaryOf(item) : undefined;
}

/**
 * Starts an execution called `name` with `input`. StartExecution is idempotent for a name and input
 * (a repeat returns the same execution), so, unlike the other starts, it is retried like a read: a
 * retry after a lost answer cannot start a second execution.
 */
export async function startExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
  input: string,
  retry: RetryOptions = {},
): Promise<ExecutionSummary> {
  const answer = await withRetry((signal) => sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }), { abortSignal: signal }), 'read', retry, {
    service: 'Step Functions',
    operation: 'StartExecution',
  });
  if (!answer.executionArn) throw new Error(`Step Functions StartExecution of ${stateMachineArn} returned no executionArn`);
  return { arn: answer.executionArn, name, state: 'RUNNING', startedAt: answer.startDate };
}

/** The execution's current state, with the error and cause of a failed one. */
export async function describeExecution(sfn: SFNClient, executionArn: string, retry: RetryOptions = {}) {
  const answer = await withRetry((signal) => sfn.send(new DescribeExecutionCommand({ executionArn }), { abortSignal: signal }), 'read', retry, {
    service: 'Step Functions',
    operation: 'DescribeExecution',
  });
  return {
    arn: executionArn,
    name: answer.name ?? executionArn.split(':').pop() ?? '?',
    state: answer.status ?? 'UNKNOWN',
    startedAt: answer.startDate,
    endedAt: answer.stopDate,
    error: answer.error,
    cause: answer.cause,
  };
}

/** Pages of GetExecutionHistory read at most: 10,000 events, far more than a pipeline execution makes. */
const MAX_HISTORY_PAGES = 10;

/** Every event of the execution's history, oldest first. */
export async function executionHistory(sfn: SFNClient, executionArn: string, retry: RetryOptions = {}): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const answer = await withRetry(
      (signal) => sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }), { abortSignal: signal }),
      'read',
      retry,
      { service: 'Step Functions', operation: 'GetExecutionHistory' },
    );
    events.push(...(answer.events ?? []));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return events;
}

/** What an execution's history says: the Glue runs, EMR steps and EMR on EKS job runs it started, its data quality and its failure. */
export interface ExecutionTrace {
  /** Glue job runs the execution started (state STARTING until polled). */
  readonly glueRuns: readonly WorkStatus[];
  /** EMR steps the execution added (state PENDING until polled). */
  readonly emrSteps: readonly WorkStatus[];
  /**
   * EMR on EKS job runs the execution started, in the state the history shows: SUBMITTED while the
   * `.sync` task waits, COMPLETED or FAILED (with the error and cause) once it has ended.
   */
  readonly eksJobRuns: readonly WorkStatus[];
  /** One per dataset whose quality result the execution read. */
  readonly dataQuality: readonly DataQualityResult[];
  /** Where and why the execution failed, once it has. */
  readonly failure?: PipelineFailure;
}

/** The states of the failure path every stage's Catch leads to: they report a failure, they do not cause it. */
const FAILURE_PATH = new Set(['Notify failure', 'Failed']);
/** The state that reads a dataset's quality result, and whose output the definition shapes as {dataset, score, failed}. */
const QUALITY_RESULT_STATE = 'Read quality result';

const FAILURE_EVENTS = new Set([
  'FailStateEntered',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'TaskStartTimedOut',
  'ExecutionFailed',
  'ExecutionTimedOut',
  'ExecutionAborted',
]);

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorAndCause(event: HistoryEvent): { error?: string; cause?: string } {
  const details =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails;
  return { error: details?.error || undefined, cause: details?.cause || undefined };
}

/**
 * Reads the history of a pipeline execution: the Glue job runs (glue:startJobRun.sync), EMR steps
 * (elasticmapreduce:addStep.sync) and EMR on EKS job runs (emr-containers:startJobRun.sync) it started,
 * from each task's scheduled parameters and submitted output (a job run's end from its task's end);
 * the data-quality result of each dataset (the output of "Read quality result"); and, for a
 * failed execution, the state that failed (not the notification path after it) with the error and cause.
 */
export function traceExecution(events: readonly HistoryEvent[]): ExecutionTrace {
  const byId = new Map(events.map((event) => [event.id, event]));
  /** The nearest state entered on the event's chain: the state the event belongs to. */
  const stateOf = (event: HistoryEvent): string | undefined => {
    for (let current: HistoryEvent | undefined = event, depth = 0; current && depth < 50; current = byId.get(current.previousEventId), depth++) {
      if (current.stateEnteredEventDetails?.name) return current.stateEnteredEventDetails.name;
      if (current.stateExitedEventDetails?.name && current !== event) return undefined;
    }
    return undefined;
  };
  /** The TaskScheduled event a TaskSubmitted event answers. */
  const scheduledOf = (event: HistoryEvent): HistoryEvent | undefined => {
    for (let current: HistoryEvent | undefined = event, depth = 0; current && depth < 10; current = byId.get(current.previousEventId), depth++) {
      if (current.type === 'TaskScheduled') return current;
    }
    return undefined;
  };

  const glueRuns: WorkStatus[] = [];
  const emrSteps: WorkStatus[] = [];
  /** EMR on EKS job runs by the id of the TaskScheduled event of their task, whose end is their end. */
  const eksJobRuns = new Map<number | undefined, WorkStatus>();
  const dataQuality: DataQualityResult[] = [];
  let failure: PipelineFailure | undefined;
  let finalError: { error?: string; cause?: string } | undefined;
  let notifying = false;
  for (const event of events) {
    if (event.type === 'TaskSubmitted') {
      const scheduled = scheduledOf(event);
      const resource = `${scheduled?.taskScheduledEventDetails?.resourceType}:${scheduled?.taskScheduledEventDetails?.resource}`;
      const parameters = parseJson(scheduled?.taskScheduledEventDetails?.parameters) ?? {};
      const output = parseJson(event.taskSubmittedEventDetails?.output) ?? {};
      if (resource.startsWith('glue:startJobRun') && typeof output.JobRunId === 'string') {
        glueRuns.push({ kind: 'glue-job-run', name: String(parameters.JobName), id: output.JobRunId, state: 'STARTING', submittedAt: event.timestamp });
      } else if (resource.startsWith('elasticmapreduce:addStep') && typeof output.StepId === 'string') {
        const step = (parameters.Step ?? {}) as { Name?: string };
        emrSteps.push({
          kind: 'emr-step',
          name: step.Name ?? '?',
          id: output.StepId,
          clusterId: String(parameters.ClusterId),
          state: 'PENDING',
          submittedAt: event.timestamp,
        });
      } else if (resource.startsWith('emr-containers:startJobRun') && typeof (output.Id ?? output.id) === 'string') {
        eksJobRuns.set(scheduled?.id, {
          kind: 'emr-eks-job-run',
          name: String(parameters.Name ?? '?'),
          id: String(output.Id ?? output.id),
          clusterId: String(parameters.VirtualClusterId ?? output.VirtualClusterId ?? '?'),
          state: 'SUBMITTED',
          submittedAt: event.timestamp,
        });
      }
    }
    if (event.type === 'TaskSucceeded' || event.type === 'TaskFailed' || event.type === 'TaskTimedOut') {
      const scheduledId = scheduledOf(event)?.id;
      const run = eksJobRuns.get(scheduledId);
      if (run && run.state === 'SUBMITTED') {
        const { error, cause } = errorAndCause(event);
        eksJobRuns.set(scheduledId, {
          ...run,
          state: event.type === 'TaskSucceeded' ? 'COMPLETED' : 'FAILED',
          endedAt: event.timestamp,
          ...(event.type === 'TaskSucceeded' ? {} : { error: [error, cause].filter(Boolean).join(': ') || undefined }),
        });
      }
    }
    if (event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === QUALITY_RESULT_STATE) {
      const output = parseJson(event.stateExitedEventDetails.output) ?? {};
      const failed = Array.isArray(output.failed) ? output.failed.map(String) : [];
      dataQuality.push({
        dataset: String(output.dataset ?? '?'),
        result: failed.length === 0 ? 'passed' : 'failed',
        ...(typeof output.score === 'number' ? { score: output.score } : {}),
        failedRules: failed,
      });
    }
    if (event.stateEnteredEventDetails?.name === 'Notify failure') notifying = true;
    if (event.type && FAILURE_EVENTS.has(event.type)) {
      const state = stateOf(event);
      if (event.type.startsWith('Execution')) finalError = errorAndCause(event);
      else if (!notifying && state && !FAILURE_PATH.has(state)) failure = { state, ...errorAndCause(event) };
    }
  }
  if (finalError) {
    // The Fail state's own error and cause (what the Catch recorded) are those of the execution.
    failure = { state: failure?.state ?? 'Failed', error: finalError.error ?? failure?.error, cause: finalError.cause ?? failure?.cause };
  }
  return { glueRuns, emrSteps, eksJobRuns: [...eksJobRuns.values()], dataQuality, failure };
}
