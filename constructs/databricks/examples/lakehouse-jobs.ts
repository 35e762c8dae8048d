/**
 * Example: on one workspace's provider, the cluster policies, a serverless SQL warehouse, a Delta Live
 * Tables pipeline for one stream dataset with the job that grants its tables, and the dbt job. Type-checked by `tsc`; to synthesize it, run
 * `npx ts-node --swc constructs/databricks/examples/lakehouse-jobs.ts`.
 */
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { ComputePolicies, DbtJob, ServerlessSqlWarehouse, StreamPipeline, TableGrantsJob, WorkspaceSourceFiles } from '..';

export function lakehouseJobsExample(app = new App()): TerraformStack {
  const stack = new TerraformStack(app, 'lakehouse-jobs-example');
  const provider = new DatabricksProvider(stack, 'databricks', { alias: 'workspace', host: 'https://adb-1234567890123456.7.azuredatabricks.net' });
  const policies = new ComputePolicies(stack, 'ComputePolicies', {
    provider,
    names: { job: 'example-job', pipeline: 'example-pipeline', interactive: 'example-interactive' },
    runtimeVersion: '15.4.x-scala2.12',
    nodeTypes: ['Standard_D4ds_v5'],
    minWorkers: 1,
    maxWorkers: 2,
    idleTimeoutMinutes: 30,
    costTags: { 'cost-center': 'cc-example' },
    users: { job: ['data-engineers'], pipeline: ['data-engineers'], interactive: ['data-engineers', 'analysts'] },
  });
  const warehouse = new ServerlessSqlWarehouse(stack, 'SqlWarehouse', {
    provider,
    name: 'example-sql',
    costTags: { 'cost-center': 'cc-example' },
    users: ['analysts'],
  });
  const sources = new WorkspaceSourceFiles(stack, 'PipelineSources', { provider, workspaceFolder: '/Shared/example/pipelines' });
  const pipeline = new StreamPipeline(stack, 'web-pipeline', {
    provider,
    name: 'example-web-streams',
    datasets: [
      {
        name: 'page_views',
        topic: 'page-views',
        format: 'json',
        columns: [
          { name: 'view_id', type: 'string', nullable: false },
          { name: 'viewed_at', type: 'timestamp', nullable: false },
        ],
        keys: ['view_id'],
        quality: [{ rule: 'not_null', column: 'viewed_at' }],
      },
    ],
    catalog: 'example',
    schemas: { bronze: 'bronze', silver: 'silver', gold: 'gold' },
    sourcePath: sources.pathOf('stream_medallion.py'),
    rootPath: sources.folder,
    kafka: {
      namespaceHost: 'evhns-example.servicebus.windows.net',
      tokenEndpoint: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token',
      secretScope: 'example-kv',
      clientIdSecret: 'databricks-kafka-client-id',
      clientSecretSecret: 'databricks-kafka-client-secret',
      consumerGroup: 'databricks-bronze',
    },
    clusterPolicyId: policies.policy('pipeline').id,
    minWorkers: 1,
    maxWorkers: 2,
    runners: ['data-engineers'],
  });
  // Its tables' grants; in the platform they come from the definition (unityCatalogTableGrants).
  new TableGrantsJob(stack, 'TableGrants', {
    provider,
    name: 'example-table-grants',
    tables: pipeline.tables.map((table) => ({
      table: `example.${table.layer}.${table.name}`,
      kind: table.kind,
      grants: [{ principal: 'data-engineers', privileges: table.kind === 'table' ? ['APPLY_TAG', 'MODIFY', 'SELECT'] : ['APPLY_TAG', 'SELECT'] }],
    })),
    sourcePath: sources.pathOf('apply_table_grants.py'),
    planPath: `${sources.folder}/table_grants.json`,
    runners: ['data-engineers'],
  });
  new DbtJob(stack, 'DbtJob', {
    provider,
    name: 'example-dbt',
    project: { repositoryUrl: 'https://github.com/example/data-platform.git', branch: 'main', projectDirectory: 'dbt' },
    schedule: '0 5 * * *',
    warehouseId: warehouse.warehouse.id,
    catalog: 'example',
    schema: 'dbt',
    clusterPolicyId: policies.policy('job').id,
    failureEmails: ['data-platform@example.com'],
  });
  return stack;
}

if (require.main === module) (TerraformStack.of(lakehouseJobsExample()).node.root as App).synth();
