import { succeeded } from './incremental-copy';

/**
 * The processing that follows a copy into bronze: the Databricks job that builds the domain's silver and
 * gold, run by Data Factory's Databricks Job activity (which starts the job and waits for its result,
 * failing the pipeline when the job fails). The job belongs to another Terraform stack (the Databricks
 * lakehouse), so its id is not known here: a Web activity asks the workspace's Jobs API for the job by
 * name first (`GET /api/2.1/jobs/list?name=`, with the factory's managed identity, through the managed
 * private endpoint to the workspace), and a missing job fails the run with a clear message instead of a
 * deployment order between the stacks.
 */

type Json = Record<string, unknown>;

/** The Azure Databricks application: the audience of a managed-identity token for the workspace. */
export const AZURE_DATABRICKS_RESOURCE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

/** The Databricks job a pipeline runs after its copy. */
export interface ProcessingJob {
  /** The job's name in the workspace (see `dbtJobName`). */
  readonly jobName: string;
  /** The workspace URL without scheme (`adb-<id>.<n>.azuredatabricks.net`). */
  readonly workspaceUrl: string;
  /** The Databricks linked service the job activity runs through. */
  readonly linkedService: string;
  /** The integration runtime the lookup of the job goes through (the managed virtual network's). */
  readonly integrationRuntime: string;
}

/** The activity names, for dependencies and tests. */
export const PROCESSING_ACTIVITIES = { find: 'find_processing_job', run: 'run_processing_job' } as const;

/** The two activities that run the processing job after `after` succeeded: find it by name, then run it and wait. */
export function processingActivities(job: ProcessingJob, after: string): Json[] {
  const policy = { timeout: '0.00:05:00', retry: 2, retryIntervalInSeconds: 30, secureInput: false, secureOutput: false };
  return [
    {
      name: PROCESSING_ACTIVITIES.find,
      type: 'WebActivity',
      dependsOn: [succeeded(after)],
      policy,
      typeProperties: {
        method: 'GET',
        url: `https://${job.workspaceUrl}/api/2.1/jobs/list?name=${encodeURIComponent(job.jobName)}`,
        authentication: { type: 'MSI', resource: AZURE_DATABRICKS_RESOURCE },
        connectVia: { referenceName: job.integrationRuntime, type: 'IntegrationRuntimeReference' },
      },
    },
    {
      name: PROCESSING_ACTIVITIES.run,
      type: 'DatabricksJob',
      dependsOn: [succeeded(PROCESSING_ACTIVITIES.find)],
      policy: { ...policy, timeout: '0.12:00:00', retry: 0 },
      linkedServiceName: { referenceName: job.linkedService, type: 'LinkedServiceReference' },
      typeProperties: {
        // No job of that name makes `jobs` absent: the run fails here, naming the expression.
        jobId: { value: `@string(activity('${PROCESSING_ACTIVITIES.find}').output.jobs[0].job_id)`, type: 'Expression' },
      },
    },
  ];
}
