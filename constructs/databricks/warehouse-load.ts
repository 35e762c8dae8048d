import { join } from 'node:path';
import { Credential } from '@cdktf/provider-databricks/lib/credential';
import type { JobTask } from '@cdktf/provider-databricks/lib/job';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { Construct } from 'constructs';
import type { WarehouseLoadPlan } from '../../lib/warehouse';
import { WorkspaceSourceFiles } from './workspace-source-files';
import type { WorkspaceScopedProps } from './workspace-scoped';

/** The load's code: warehouse_load.py (the task's entry point) and gold_tables_load.py (its core). */
export const WAREHOUSE_LOAD_SOURCE_DIRECTORY = join(__dirname, 'warehouse');

/** The plan file's name in the workspace folder. */
export const WAREHOUSE_LOAD_PLAN_FILE = 'warehouse_load.json';

export interface WarehouseLoadProps extends WorkspaceScopedProps {
  /** The T-SQL load plan of the gold contracts (`warehouseLoadPlan(readGoldContracts(), 'tsql')`). */
  readonly plan: WarehouseLoadPlan;
  /** Workspace folder the code and the plan go to, e.g. `/Shared/acme-dev/warehouse`. */
  readonly workspaceFolder: string;
  /** The catalog whose `gold` schema is loaded. */
  readonly catalog: string;
  /** Host name of the Azure SQL server, e.g. `sql-acme-dev-1a2b.database.windows.net`. */
  readonly serverHost: string;
  /** The warehouse database. */
  readonly database: string;
  /** Name of the Unity Catalog service credential this construct creates (unique in the metastore). */
  readonly credentialName: string;
  /** ARM id of the Databricks access connector whose managed identity signs in to the database. */
  readonly accessConnectorId: string;
}

/**
 * Loads the catalog's gold tables into the Azure SQL warehouse, as a task of the dbt job after its build
 * (`jobTask`), on the job's cluster. The table definitions and the load plan come from the dbt gold
 * contracts (lib/warehouse), deployed as a workspace file whose content is in the Terraform JSON beside
 * the code (constructs/databricks/warehouse). Each table is replaced in one transaction from a staging
 * table; a table whose columns have drifted from its contract is refused. The load signs in as the access
 * connector's managed identity through a Unity Catalog service credential (`databricks_credential`,
 * purpose SERVICE): no secret exists. That identity's database user and rights are a one-time T-SQL step
 * of the SQL admin group (`scripts/warehouse-plan.ts grants <environment>`). The job cluster runs in the
 * environment network (VNet injection), whose private DNS zone resolves the server to its private endpoint.
 */
export class WarehouseLoad extends Construct {
  readonly credential: Credential;
  readonly planFile: WorkspaceFile;
  readonly sources: WorkspaceSourceFiles;
  private readonly props: WarehouseLoadProps;

  constructor(scope: Construct, id: string, props: WarehouseLoadProps) {
    super(scope, id);
    if (props.plan.dialect !== 'tsql') throw new Error(`WarehouseLoad: plan.dialect is "${props.plan.dialect}"; the Azure SQL warehouse needs the tsql plan`);
    if (props.plan.tables.length === 0) throw new Error('WarehouseLoad: plan.tables is empty; there is no gold table to load');
    this.props = props;
    this.credential = new Credential(this, 'Credential', {
      provider: props.provider,
      name: props.credentialName,
      purpose: 'SERVICE',
      azureManagedIdentity: { accessConnectorId: props.accessConnectorId },
      comment: `The gold warehouse load's identity for ${props.database} on ${props.serverHost}`,
    });
    this.sources = new WorkspaceSourceFiles(this, 'Sources', {
      provider: props.provider,
      workspaceFolder: props.workspaceFolder,
      sourceDirectory: WAREHOUSE_LOAD_SOURCE_DIRECTORY,
    });
    this.planFile = new WorkspaceFile(this, 'Plan', {
      provider: props.provider,
      path: `${props.workspaceFolder}/${WAREHOUSE_LOAD_PLAN_FILE}`,
      contentBase64: Buffer.from(`${JSON.stringify(props.plan, null, 2)}\n`).toString('base64'),
    });
  }

  /** The job task that runs the load after `after` succeeded, on the job cluster `jobClusterKey`. */
  jobTask(after: string, jobClusterKey: string): JobTask {
    const props = this.props;
    return {
      taskKey: 'warehouse_load',
      dependsOn: [{ taskKey: after }],
      jobClusterKey,
      maxRetries: 1,
      minRetryIntervalMillis: 300000,
      sparkPythonTask: {
        pythonFile: this.sources.pathOf('warehouse_load.py'),
        source: 'WORKSPACE',
        parameters: [
          ...['--plan', `/Workspace${this.planFile.path}`, '--catalog', props.catalog, '--server', props.serverHost],
          ...['--database', props.database, '--credential', this.credential.name],
        ],
      },
    };
  }
}
