import { Credential } from '@cdktf/provider-databricks/lib/credential';
import { Job } from '@cdktf/provider-databricks/lib/job';
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { TerraformStack, Testing } from 'cdktf';
import { DbtJob } from '../../../constructs/databricks/dbt-job';
import { WarehouseLoad, type WarehouseLoadProps } from '../../../constructs/databricks/warehouse-load';
import { readGoldContracts, warehouseLoadPlan } from '../../../lib/warehouse';
import { onlyResource, resourcesOf, synthesize } from '../../fixtures/terraform-json';

function workspaceStack() {
  const stack = new TerraformStack(Testing.app(), 'test');
  const provider = new DatabricksProvider(stack, 'databricks', { alias: 'workspace', host: 'https://adb-1.1.azuredatabricks.net' });
  return { stack, provider };
}

const plan = warehouseLoadPlan(readGoldContracts(), 'tsql');
const props = (provider: DatabricksProvider): WarehouseLoadProps => ({
  provider,
  plan,
  workspaceFolder: '/Shared/acme-dev/warehouse',
  catalog: 'acme_dev',
  serverHost: 'sql-acme-dev.database.windows.net',
  database: 'warehouse',
  credentialName: 'acme_dev_warehouse_load',
  accessConnectorId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/dbac-acme-dev',
});

describe('WarehouseLoad', () => {
  const { stack, provider } = workspaceStack();
  const load = new WarehouseLoad(stack, 'Load', props(provider));
  new DbtJob(stack, 'Dbt', {
    provider,
    name: 'acme-dev-dbt',
    project: { repositoryUrl: 'https://github.com/acme/x.git', branch: 'main', projectDirectory: 'dbt' },
    schedule: '0 5 * * *',
    warehouseId: 'w',
    catalog: 'acme_dev',
    schema: 'dbt',
    clusterPolicyId: 'p',
    warehouseLoad: load,
  });
  const json = synthesize(stack);

  test("signs in as the access connector's managed identity through a Unity Catalog service credential", () => {
    expect(onlyResource(json, Credential.tfResourceType)).toEqual(
      expect.objectContaining({
        name: 'acme_dev_warehouse_load',
        purpose: 'SERVICE',
        azure_managed_identity: { access_connector_id: props(provider).accessConnectorId },
      }),
    );
  });

  test('deploys the load code and the plan of the gold contracts as workspace files', () => {
    const files = Object.values<any>(resourcesOf(json, WorkspaceFile.tfResourceType));
    expect(files.map((file) => file.path).sort()).toEqual([
      '/Shared/acme-dev/warehouse/gold_tables_load.py',
      '/Shared/acme-dev/warehouse/warehouse_load.json',
      '/Shared/acme-dev/warehouse/warehouse_load.py',
    ]);
    const planFile = files.find((file) => file.path.endsWith('.json'));
    expect(JSON.parse(Buffer.from(planFile.content_base64, 'base64').toString('utf8'))).toEqual(plan);
  });

  test('runs after dbt_build on the dbt job cluster, with the catalog, the server, the database and the credential', () => {
    const tasks = onlyResource(json, Job.tfResourceType).task;
    expect(tasks.map((task: any) => task.task_key)).toEqual(['dbt_build', 'warehouse_load']);
    expect(tasks[1]).toEqual(
      expect.objectContaining({
        depends_on: [{ task_key: 'dbt_build' }],
        job_cluster_key: 'dbt-cli',
        max_retries: 1,
        spark_python_task: expect.objectContaining({ source: 'WORKSPACE', python_file: expect.stringMatching(/_Sources_warehouse_load_\w+\.path\}$/) }),
      }),
    );
    const parameters: string[] = tasks[1].spark_python_task.parameters;
    expect(parameters.slice(2)).toEqual([
      '--catalog',
      'acme_dev',
      '--server',
      'sql-acme-dev.database.windows.net',
      '--database',
      'warehouse',
      '--credential',
      expect.stringContaining('databricks_credential.'),
    ]);
    expect(parameters.slice(0, 2)).toEqual(['--plan', expect.stringMatching(/^\/Workspace\$\{databricks_workspace_file\..*\.path\}$/)]);
  });

  test('fails on a plan that is not T-SQL, or empty', () => {
    const other = workspaceStack();
    expect(() => new WarehouseLoad(other.stack, 'Load', { ...props(other.provider), plan: warehouseLoadPlan(readGoldContracts(), 'postgres') })).toThrow(
      'WarehouseLoad: plan.dialect is "postgres"; the Azure SQL warehouse needs the tsql plan',
    );
    expect(() => new WarehouseLoad(other.stack, 'Empty', { ...props(other.provider), plan: { ...plan, tables: [] } })).toThrow(
      'WarehouseLoad: plan.tables is empty; there is no gold table to load',
    );
  });
});
