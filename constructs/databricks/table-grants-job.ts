import { Job } from '@cdktf/provider-databricks/lib/job';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { Construct } from 'constructs';
import type { TableGrants } from '../../lib/access/unity-catalog-grants';
import { quartzCronExpression } from '../../lib/schedules/quartz-cron';
import { type FailureNotificationProps, grantGroups, type WorkspaceScopedProps } from './workspace-scoped';

/** Version of the plan file; apply_table_grants.py refuses others. */
export const TABLE_GRANTS_PLAN_VERSION = 1;

/** The plan file the job reads: the tables and their grants. */
export interface TableGrantsPlan {
  readonly version: typeof TABLE_GRANTS_PLAN_VERSION;
  readonly tables: readonly TableGrants[];
}

/** The serverless environment version the job's Python task runs in (Python 3.11, Spark Connect). */
export const TABLE_GRANTS_ENVIRONMENT_VERSION = '2';

export interface TableGrantsJobProps extends WorkspaceScopedProps, FailureNotificationProps {
  /** Job name (see `tableGrantsJobName`). */
  readonly name: string;
  /** The tables the pipelines create, each with its grants (see `unityCatalogTableGrants`). At least one. */
  readonly tables: readonly TableGrants[];
  /** Workspace path of `apply_table_grants.py` (deployed with the pipeline sources, next to `table_grants.py`). */
  readonly sourcePath: string;
  /** Workspace path of the plan file this construct writes, e.g. `/Shared/acme-dev/pipelines/table_grants.json`. */
  readonly planPath: string;
  /**
   * When it runs (five-field cron, UTC). A table a pipeline creates is readable only by the pipeline's
   * identity until the next run grants it, and a grant made by hand lasts until then.
   * @default '*\/15 * * * *' (every 15 minutes)
   */
  readonly schedule?: string;
  /**
   * Id of the budget policy whose tags its serverless compute carries.
   * @default - the workspace's default budget policy
   */
  readonly budgetPolicyId?: string;
  /**
   * Databricks groups that may run and watch the job (`CAN_MANAGE_RUN`).
   * @default - none beyond the workspace admins
   */
  readonly runners?: readonly string[];
}

/**
 * The post-create step of the pipelines' tables. A Delta Live Tables pipeline publishes its tables at
 * run time and cannot grant on them, and Terraform cannot grant on a table that does not exist yet; so
 * this job (apply_table_grants.py, on serverless compute) gives every planned table exactly its planned
 * grants — revoking what is held beyond them — on a schedule. The plan, from the definition, is a
 * workspace file whose content is in the Terraform JSON, so a plan shows every grant a deployment makes.
 * Until a new table is granted only its owner (the pipeline's identity) reads it: the job's delay never
 * exposes data, it only delays readers. dbt applies the grants of its models itself (the generated dbt
 * grants), so the two never manage the same table.
 */
export class TableGrantsJob extends Construct {
  readonly job: Job;
  readonly planFile: WorkspaceFile;

  constructor(scope: Construct, id: string, props: TableGrantsJobProps) {
    super(scope, id);
    if (props.tables.length === 0) throw new Error(`TableGrantsJob ${props.name}: tables is empty; the job needs at least one table to grant`);
    const names = props.tables.map((table) => table.table);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) throw new Error(`TableGrantsJob ${props.name}: tables has "${repeated}" more than once; each table has one set of grants`);
    const malformed = names.find((name) => name.split('.').length !== 3);
    if (malformed) throw new Error(`TableGrantsJob ${props.name}: table "${malformed}" must be fully qualified: <catalog>.<schema>.<table>`);
    const plan: TableGrantsPlan = { version: TABLE_GRANTS_PLAN_VERSION, tables: props.tables };
    this.planFile = new WorkspaceFile(this, 'Plan', {
      provider: props.provider,
      path: props.planPath,
      contentBase64: Buffer.from(`${JSON.stringify(plan, null, 2)}\n`).toString('base64'),
    });
    const emails = props.failureEmails ?? [];
    this.job = new Job(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      description: `Gives the ${props.tables.length} tables the pipelines create their grants from the platform definition`,
      maxConcurrentRuns: 1,
      budgetPolicyId: props.budgetPolicyId,
      schedule: { quartzCronExpression: quartzCronExpression(props.schedule ?? '*/15 * * * *'), timezoneId: 'UTC', pauseStatus: 'UNPAUSED' },
      environment: [{ environmentKey: 'default', spec: { environmentVersion: TABLE_GRANTS_ENVIRONMENT_VERSION } }],
      task: [
        {
          taskKey: 'apply_table_grants',
          environmentKey: 'default',
          maxRetries: 1,
          minRetryIntervalMillis: 60000,
          sparkPythonTask: { pythonFile: props.sourcePath, source: 'WORKSPACE', parameters: ['--plan', `/Workspace${props.planPath}`] },
        },
      ],
      emailNotifications: emails.length > 0 ? { onFailure: [...emails], noAlertForSkippedRuns: true } : undefined,
      tags: { component: 'table-grants' },
      dependsOn: [this.planFile],
    });
    grantGroups(this, 'Permissions', props.provider, { jobId: this.job.id }, props.runners ?? [], 'CAN_MANAGE_RUN');
  }
}
