import { Job } from '@cdktf/provider-databricks/lib/job';
import { Construct } from 'constructs';
import { gitProviderOf, KNOWN_GIT_HOSTS } from '../../lib/config/git-provider';
import { quartzCronExpression } from '../../lib/schedules/quartz-cron';
import type { WarehouseLoad } from './warehouse-load';
import { type FailureNotificationProps, grantGroups, type WorkspaceScopedProps } from './workspace-scoped';

/**
 * The dbt releases the job installs: the pins of requirements.txt, with which `npm run dbt:databricks`
 * parses and compiles the project (a test holds them equal).
 */
export const DBT_JOB_PACKAGES = ['dbt-core==1.11.16', 'dbt-databricks==1.12.7'] as const;

/**
 * The selector of dbt/selectors.yml every run builds: the project without the sample landing seeds
 * (dirty test data that no source reads on Databricks); the reference seeds load.
 */
export const DBT_JOB_SELECTOR = 'scheduled';

/**
 * The dbt commands of a run, the same in every environment: build the `scheduled` selection into the
 * catalog's layer schemas (`schema_per_layer`), whose models read the Unity Catalog bronze tables.
 */
export function dbtJobCommands(): string[] {
  return [`dbt build --selector ${DBT_JOB_SELECTOR} --vars '${JSON.stringify({ schema_per_layer: true })}'`];
}

/** Where the dbt project is: a Git repository the Databricks jobs service checks out on every run. */
export interface DbtProjectSource {
  /** HTTPS URL of the repository, on a host the jobs service knows (GitHub, GitLab, Bitbucket, Azure DevOps). */
  readonly repositoryUrl: string;
  /** Branch every run builds. */
  readonly branch: string;
  /**
   * Folder of `dbt_project.yml` in the repository.
   * @default - the repository root
   */
  readonly projectDirectory?: string;
}

export interface DbtJobProps extends WorkspaceScopedProps, FailureNotificationProps {
  /** Job name (see `dbtJobName`). */
  readonly name: string;
  /** The repository, branch and directory of the dbt project. */
  readonly project: DbtProjectSource;
  /** When it runs: a five-field cron expression (UTC). */
  readonly schedule: string;
  /** Id of the SQL warehouse the models run on. */
  readonly warehouseId: string;
  /** The environment's catalog. */
  readonly catalog: string;
  /** Schema the dbt profile targets; with `schema_per_layer` the models land in the layer schemas. */
  readonly schema: string;
  /** Id of the job cluster policy the dbt CLI runs under. */
  readonly clusterPolicyId: string;
  /**
   * Whether the schedule starts paused (e.g. while an environment is being set up).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Databricks groups that may run and watch the job (`CAN_MANAGE_RUN`).
   * @default - none beyond the workspace admins
   */
  readonly runners?: readonly string[];
  /**
   * Loads the gold tables into the Azure SQL warehouse after each successful build, on the job's cluster.
   * @default - no load (the environment has no warehouse)
   */
  readonly warehouseLoad?: WarehouseLoad;
}

/**
 * A job that runs the repository's dbt project with a `dbt_task` on the SQL warehouse, on the
 * environment's schedule. The project comes from Git (the branch in the definition), so every run uses
 * the committed project with no copy of it in the workspace or in Terraform state; the dbt CLI runs on
 * a small single-node job cluster of the job policy while the SQL runs on the serverless warehouse.
 * Its sources are the Unity Catalog bronze tables of the catalog (lib/dbt/sources.ts); the sample
 * landing seeds are never loaded (`dbtJobCommands`). One run at a time; failures are retried once and
 * emailed.
 */
export class DbtJob extends Construct {
  readonly job: Job;

  constructor(scope: Construct, id: string, props: DbtJobProps) {
    super(scope, id);
    const quartz = quartzCronExpression(props.schedule);
    const provider = gitProviderOf(props.project.repositoryUrl);
    if (!provider)
      throw new Error(
        `DbtJob: project.repositoryUrl "${props.project.repositoryUrl}" is not on a Git host the Databricks jobs service knows; hosts: ${KNOWN_GIT_HOSTS}`,
      );
    const emails = props.failureEmails ?? [];
    this.job = new Job(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      description: `dbt build of ${props.project.repositoryUrl} (${props.project.branch}) into ${props.catalog}`,
      maxConcurrentRuns: 1,
      gitSource: { url: props.project.repositoryUrl, provider, branch: props.project.branch },
      schedule: { quartzCronExpression: quartz, timezoneId: 'UTC', pauseStatus: props.paused ? 'PAUSED' : 'UNPAUSED' },
      jobCluster: [
        {
          jobClusterKey: 'dbt-cli',
          newCluster: { policyId: props.clusterPolicyId, applyPolicyDefaultValues: true, autoscale: { minWorkers: 1, maxWorkers: 1 } },
        },
      ],
      task: [
        {
          taskKey: 'dbt_build',
          jobClusterKey: 'dbt-cli',
          maxRetries: 1,
          minRetryIntervalMillis: 300000,
          library: DBT_JOB_PACKAGES.map((pkg) => ({ pypi: { package: pkg } })),
          dbtTask: {
            source: 'GIT',
            projectDirectory: props.project.projectDirectory,
            warehouseId: props.warehouseId,
            catalog: props.catalog,
            schema: props.schema,
            commands: dbtJobCommands(),
          },
        },
        ...(props.warehouseLoad ? [props.warehouseLoad.jobTask('dbt_build', 'dbt-cli')] : []),
      ],
      emailNotifications: emails.length > 0 ? { onFailure: [...emails], noAlertForSkippedRuns: true } : undefined,
      tags: { component: 'dbt' },
    });
    grantGroups(this, 'Permissions', props.provider, { jobId: this.job.id }, props.runners ?? [], 'CAN_MANAGE_RUN');
  }
}
