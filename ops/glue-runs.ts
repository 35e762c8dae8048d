import { BatchGetJobsCommand, GetJobRunCommand, GetJobRunsCommand, type GlueClient, type JobRun, StartJobRunCommand } from '@aws-sdk/client-glue';
import { type RetryOptions, withRetry } from './retry';
import { NO_RUNS, NOT_FOUND, type WorkStatus } from './work-status';

function runStatus(jobName: string, run: JobRun): WorkStatus {
  return {
    kind: 'glue-job-run',
    name: jobName,
    id: run.Id,
    state: run.JobRunState ?? 'UNKNOWN',
    startedAt: run.StartedOn,
    endedAt: run.CompletedOn,
    error: run.ErrorMessage || undefined,
  };
}

/** Starts a run of Glue job `jobName` and returns its status (STARTING, with its run id). */
export async function startJobRun(glue: GlueClient, jobName: string, retry: RetryOptions = {}): Promise<WorkStatus> {
  const { JobRunId } = await withRetry((signal) => glue.send(new StartJobRunCommand({ JobName: jobName }), { abortSignal: signal }), 'start', retry, {
    service: 'Glue',
    operation: 'StartJobRun',
  });
  if (!JobRunId) throw new Error(`Glue StartJobRun for ${jobName} returned no JobRunId`);
  return { kind: 'glue-job-run', name: jobName, id: JobRunId, state: 'STARTING' };
}

/** The current status of run `runId` of job `jobName`. */
export async function jobRunStatus(glue: GlueClient, jobName: string, runId: string, retry: RetryOptions = {}): Promise<WorkStatus> {
  const { JobRun } = await withRetry((signal) => glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }), { abortSignal: signal }), 'read', retry, {
    service: 'Glue',
    operation: 'GetJobRun',
  });
  return JobRun ? runStatus(jobName, JobRun) : { kind: 'glue-job-run', name: jobName, id: runId, state: 'UNKNOWN' };
}

/** BatchGetJobs takes at most this many names per call. */
const BATCH_GET_JOBS_LIMIT = 25;

/** The names among `jobNames` that are not Glue jobs of the account and region. */
export async function missingJobs(glue: GlueClient, jobNames: readonly string[], retry: RetryOptions = {}): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < jobNames.length; i += BATCH_GET_JOBS_LIMIT) {
    const chunk = jobNames.slice(i, i + BATCH_GET_JOBS_LIMIT);
    const { JobsNotFound = [] } = await withRetry((signal) => glue.send(new BatchGetJobsCommand({ JobNames: chunk }), { abortSignal: signal }), 'read', retry, {
      service: 'Glue',
      operation: 'BatchGetJobs',
    });
    missing.push(...chunk.filter((name) => JobsNotFound.includes(name)));
  }
  return missing;
}

/** The most recent run of job `jobName`; a NO_RUNS status when it never ran, NOT_FOUND when it does not exist. */
export async function latestJobRun(glue: GlueClient, jobName: string, retry: RetryOptions = {}): Promise<WorkStatus> {
  let JobRuns: JobRun[];
  try {
    ({ JobRuns = [] } = await withRetry(
      (signal) => glue.send(new GetJobRunsCommand({ JobName: jobName, MaxResults: 10 }), { abortSignal: signal }),
      'read',
      retry,
      { service: 'Glue', operation: 'GetJobRuns' },
    ));
  } catch (error) {
    if ((error as Error).name !== 'EntityNotFoundException') throw error;
    return { kind: 'glue-job-run', name: jobName, state: NOT_FOUND, error: 'the Glue job does not exist in this account and region (not deployed?)' };
  }
  const latest = [...JobRuns].sort((a, b) => (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0))[0];
  return latest ? runStatus(jobName, latest) : { kind: 'glue-job-run', name: jobName, state: NO_RUNS };
}
