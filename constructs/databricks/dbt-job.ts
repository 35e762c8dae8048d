import { Job, type JobTask } from '@cdktf/provider-databricks/lib/job';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { Construct } from 'constructs';
import type { BronzeTablesPlan } from '../../lib/pipelines';
import { gitProviderOf, KNOWN_GIT_HOSTS } from '../../lib/config/git-provider';
import { DBT_JOB_TASKS } from '../../lib/naming';
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

/** The bronze refresh that runs before `dbt build`: bronze_tables.py over the plan of the batch datasets. */
export interface BronzeTablesTask {
  /** The plan (see `dataFactoryBronzeTablesPlan`); this construct writes it as a workspace file. */
  readonly plan: BronzeTablesPlan;
  /** Workspace path of `bronze_tables.py` (deployed with the pipeline sources). */
  readonly sourcePath: string;
  /** Workspace path of the plan file, e.g. `/Shared/acme-dev/pipelines/bronze_tables.json`. */
  readonly planPath: string;
  /** Smallest and largest number of workers of its job cluster (the job policy's limits apply). */
  readonly minWorkers: number;
  readonly maxWorkers: number;
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
   * The bronze refresh before `dbt build`: the batch datasets' landed files into their bronze tables,
   * which the dbt sources read.
   * @default - no bronze refresh (the bronze tables are loaded elsewhere)
   */
  readonly bronzeTables?: BronzeTablesTask;
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
 * The environment's processing job: the bronze refresh, then the repository's dbt project. Its first task
 * (`bronze_tables`, when `bronzeTables` is given) loads the files Data Factory landed since the last run
 * into the catalog's bronze tables (bronze_tables.py with Auto Loader, on a job cluster of the job policy);
 * then a `dbt_task` builds silver and gold on the SQL warehouse, only when the bronze refresh succeeded.
 * The project comes from Git (the branch in the definition), so every run uses the committed project
 * with no copy of it in the workspace or in Terraform state; the dbt CLI runs on a small single-node job
 * cluster of the job policy while the SQL runs on the serverless warehouse. Its sources are the Unity
 * Catalog bronze tables of the catalog (lib/dbt/sources.ts); the sample landing seeds are never loaded
 * (`dbtJobCommands`). One run at a time; runs asked for meanwhile (Data Factory starts it after each
 * domain's copy, the schedule) wait in the queue instead of being skipped. Failures are retried once and
 * emailed.
 */
export class DbtJob extends Construct {
  readonly job: Job;
  /** The bronze tables plan file, when the job refreshes bronze. */
  readonly bronzePlanFile?: WorkspaceFile;

  constructor(scope: Construct, id: string, props: DbtJobProps) {
    super(scope, id);
    const quartz = quartzCronExpression(props.schedule);
    const provider = gitProviderOf(props.project.repositoryUrl);
    if (!provider)
      throw new Error(
        `DbtJob: project.repositoryUrl "${props.project.repositoryUrl}" is not on a Git host the Databricks jobs service knows; hosts: ${KNOWN_GIT_HOSTS}`,
      );
    const bronze = props.bronzeTables;
    if (bronze && bronze.plan.tables.length === 0) throw new Error(`DbtJob ${props.name}: bronzeTables.plan has no table; leave bronzeTables out`);
    if (bronze && (!Number.isInteger(bronze.minWorkers) || bronze.minWorkers < 1 || bronze.maxWorkers < bronze.minWorkers))
      throw new Error(
        `DbtJob ${props.name}: bronzeTables workers must be whole numbers with 1 <= minWorkers <= maxWorkers; got ${bronze.minWorkers}..${bronze.maxWorkers}`,
      );
    this.bronzePlanFile = bronze
      ? new WorkspaceFile(this, 'BronzeTablesPlan', {
          provider: props.provider,
          path: bronze.planPath,
          contentBase64: Buffer.from(`${JSON.stringify(bronze.plan, null, 2)}\n`).toString('base64'),
        })
      : undefined;
    const emails = props.failureEmails ?? [];
    const retry = { maxRetries: 1, minRetryIntervalMillis: 300000 };
    const tasks: JobTask[] = [];
    if (bronze) {
      tasks.push({
        taskKey: DBT_JOB_TASKS.bronzeTables,
        jobClusterKey: 'bronze',
        ...retry,
        sparkPythonTask: {
          pythonFile: bronze.sourcePath,
          source: 'WORKSPACE',
          // The job run is the _batch_id of the binary datasets' manifest rows (Data Factory's binary copy adds no columns).
          parameters: ['--plan', `/Workspace${bronze.planPath}`, '--reader', 'autoloader', '--run-id', '{{job.run_id}}'],
        },
      });
    }
    tasks.push({
      taskKey: DBT_JOB_TASKS.dbtBuild,
      jobClusterKey: 'dbt-cli',
      ...retry,
      ...(bronze ? { dependsOn: [{ taskKey: DBT_JOB_TASKS.bronzeTables }] } : {}),
      library: DBT_JOB_PACKAGES.map((pkg) => ({ pypi: { package: pkg } })),
      dbtTask: {
        source: 'GIT',
        projectDirectory: props.project.projectDirectory,
        warehouseId: props.warehouseId,
        catalog: props.catalog,
        schema: props.schema,
        commands: dbtJobCommands(),
      },
    });
    if (props.warehouseLoad) tasks.push(props.warehouseLoad.jobTask(DBT_JOB_TASKS.dbtBuild, 'dbt-cli'));
    const cluster = (minWorkers: number, maxWorkers: number) => ({
      policyId: props.clusterPolicyId,
      applyPolicyDefaultValues: true,
      autoscale: { minWorkers, maxWorkers },
    });
    this.job = new Job(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      description: `${bronze ? 'Bronze refresh and ' : ''}dbt build of ${props.project.repositoryUrl} (${props.project.branch}) into ${props.catalog}`,
      maxConcurrentRuns: 1,
      queue: { enabled: true },
      gitSource: { url: props.project.repositoryUrl, provider, branch: props.project.branch },
      schedule: { quartzCronExpression: quartz, timezoneId: 'UTC', pauseStatus: props.paused ? 'PAUSED' : 'UNPAUSED' },
      jobCluster: [
        ...(bronze ? [{ jobClusterKey: 'bronze', newCluster: cluster(bronze.minWorkers, bronze.maxWorkers) }] : []),
        { jobClusterKey: 'dbt-cli', newCluster: cluster(1, 1) },
      ],
      task: tasks,
      emailNotifications: emails.length > 0 ? { onFailure: [...emails], noAlertForSkippedRuns: true } : undefined,
      tags: { component: 'dbt' },
      dependsOn: this.bronzePlanFile ? [this.bronzePlanFile] : undefined,
    });
    grantGroups(this, 'Permissions', props.provider, { jobId: this.job.id }, props.runners ?? [], 'CAN_MANAGE_RUN');
  }
}
