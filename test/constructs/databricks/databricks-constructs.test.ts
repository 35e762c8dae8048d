import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { TerraformStack, Testing, Token } from 'cdktf';
import { ComputePolicies, computePolicyDefinition } from '../../../constructs/databricks/compute-policies';
import { DBT_JOB_PACKAGES, DbtJob, dbtJobCommands } from '../../../constructs/databricks/dbt-job';
import { LakehouseCatalog } from '../../../constructs/databricks/lakehouse-catalog';
import { ServerlessSqlWarehouse } from '../../../constructs/databricks/serverless-sql-warehouse';
import { StreamPipeline } from '../../../constructs/databricks/stream-pipeline';
import { TableGrantsJob } from '../../../constructs/databricks/table-grants-job';
import { WorkspaceSourceFiles } from '../../../constructs/databricks/workspace-source-files';
import { WorkspaceSubnets } from '../../../constructs/databricks/workspace-subnets';
import { WorkspaceAudit } from '../../../constructs/databricks/workspace-audit';
import { unityCatalogGrants } from '../../../lib/access/unity-catalog-grants';
import { bronzeMetadataColumns } from '../../../lib/lake';
import { unityCatalogBronzeTable } from '../../../lib/naming';
import { exampleConfig } from '../../fixtures/platform';

function workspaceStack() {
  const stack = new TerraformStack(Testing.app(), 'test');
  const provider = new DatabricksProvider(stack, 'databricks', { alias: 'workspace', host: 'https://adb-1.1.azuredatabricks.net' });
  return { stack, provider };
}

const sizing = {
  runtimeVersion: '15.4.x-scala2.12',
  nodeTypes: ['Standard_D4ds_v5'],
  minWorkers: 1,
  maxWorkers: 4,
  idleTimeoutMinutes: 30,
  costTags: { 'cost-center': 'cc-1' },
};
const kafka = {
  namespaceHost: 'evhns-x.servicebus.windows.net',
  tokenEndpoint: 'https://login.microsoftonline.com/t/oauth2/v2.0/token',
  secretScope: 'scope',
  clientIdSecret: 'id',
  clientSecretSecret: 'secret',
  consumerGroup: 'cg',
};
const schemas = { bronze: 'bronze', silver: 'silver', gold: 'gold' };

describe('ComputePolicies', () => {
  test('fails when worker limits or auto-termination are out of bounds, naming each', () => {
    const { stack, provider } = workspaceStack();
    expect(
      () =>
        new ComputePolicies(stack, 'Policies', {
          provider,
          ...sizing,
          minWorkers: 4,
          maxWorkers: 2,
          idleTimeoutMinutes: 5,
          names: { job: 'j', pipeline: 'p', interactive: 'i' },
          users: { job: [], pipeline: [], interactive: [] },
        }),
    ).toThrow(
      'ComputePolicies: maxWorkers (2) must be a whole number of at least minWorkers (4); idleTimeoutMinutes (5) must be a whole number of at least 10',
    );
  });

  test('pins the runtime for job and interactive clusters, not for pipelines', () => {
    expect(computePolicyDefinition('job', sizing).spark_version).toEqual({ type: 'fixed', value: '15.4.x-scala2.12' });
    expect(computePolicyDefinition('pipeline', sizing)).not.toHaveProperty('spark_version');
    expect(computePolicyDefinition('interactive', sizing).autotermination_minutes).toEqual({ type: 'range', minValue: 10, maxValue: 30, defaultValue: 30 });
    expect(computePolicyDefinition('job', sizing)['custom_tags.cost-center']).toEqual({ type: 'fixed', value: 'cc-1' });
  });
});

describe('ServerlessSqlWarehouse', () => {
  test('fails when it would never stop or has a size that does not exist', () => {
    const { stack, provider } = workspaceStack();
    expect(
      () => new ServerlessSqlWarehouse(stack, 'Warehouse', { provider, name: 'w', size: 'Tiny' as never, autoStopMinutes: 0, costTags: {}, users: [] }),
    ).toThrow(
      'ServerlessSqlWarehouse: size ("Tiny") must be one of: 2X-Small, X-Small, Small, Medium, Large, ' +
        'X-Large, 2X-Large, 3X-Large, 4X-Large; autoStopMinutes (0) must be a whole number from 1 to ' +
        '120; a warehouse that never stops keeps billing',
    );
  });
});

describe('StreamPipeline', () => {
  const base = { name: 'p', catalog: 'c', schemas, sourcePath: '/p.py', rootPath: '/', kafka, clusterPolicyId: 'policy', minWorkers: 1, maxWorkers: 2 };

  const clicks = {
    name: 'clicks',
    description: 'Page clicks',
    topic: 'web-clicks',
    format: 'json' as const,
    columns: [{ name: 'id', type: 'string', nullable: false }],
    keys: ['id'],
  };

  test('writes each dataset for the pipeline code into its configuration', () => {
    const { stack, provider } = workspaceStack();
    new StreamPipeline(stack, 'Pipeline', { provider, ...base, datasets: [clicks] });
    const [pipeline] = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.databricks_pipeline);
    expect(JSON.parse(pipeline.configuration['platform.datasets'])).toEqual([
      {
        ...clicks,
        quality: [],
        cdc: null,
        tables: { raw: 'clicks_raw', bronze: 'clicks', silver: 'clicks', quarantine: 'clicks_quarantine', gold: 'clicks_daily' },
        source: 'kafka:web-clicks',
        metadataColumns: [
          { name: '_kafka_partition', type: 'int' },
          { name: '_kafka_offset', type: 'bigint' },
          { name: '_source', type: 'string' },
          { name: '_batch_id', type: 'string' },
          { name: '_ingested_at', type: 'timestamp' },
        ],
      },
    ]);
    expect(pipeline.configuration['platform.deduplicationWindow']).toBe('1 hour');
  });

  test('passes the SCD type of a change-event dataset to the pipeline code', () => {
    const { stack, provider } = workspaceStack();
    new StreamPipeline(stack, 'Pipeline', { provider, ...base, datasets: [{ ...clicks, cdc: { scdType: 2 } }] });
    const [pipeline] = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.databricks_pipeline);
    expect(JSON.parse(pipeline.configuration['platform.datasets'])[0].cdc).toEqual({ scdType: 2 });
  });

  test("passes the bronze table the metadata columns of the bronze layout, a change-event dataset's change fields first", () => {
    const { stack, provider } = workspaceStack();
    new StreamPipeline(stack, 'Pipeline', { provider, ...base, datasets: [clicks, { ...clicks, name: 'changes', topic: 'db-changes', cdc: { scdType: 1 } }] });
    const [pipeline] = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.databricks_pipeline);
    const [facts, changes] = JSON.parse(pipeline.configuration['platform.datasets']);
    const layout = (cdc: boolean) => bronzeMetadataColumns({ cdc, source: { kind: 'stream' } }).map(({ name, type }) => ({ name, type }));
    expect(facts.metadataColumns).toEqual(layout(false));
    expect(changes.metadataColumns).toEqual(layout(true));
    expect(changes.metadataColumns.slice(0, 2)).toEqual([
      { name: '_op', type: 'string' },
      { name: '_change_seq', type: 'bigint' },
    ]);
    expect(changes.source).toBe('kafka:db-changes');
    // The bronze table is the one the dbt sources read.
    expect(changes.tables.bronze).toBe(unityCatalogBronzeTable({ name: 'changes' }).table);
  });

  test('fails when a change-event dataset has an SCD type the pipeline cannot keep', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new StreamPipeline(stack, 'Pipeline', { provider, ...base, datasets: [{ ...clicks, cdc: { scdType: 3 as never } }] })).toThrow(
      'StreamPipeline p: dataset "clicks" has cdc.scdType 3; allowed: 1, 2',
    );
  });

  test('names every table it publishes with the datasets whose data it holds, the event log holding all of them', () => {
    const { stack, provider } = workspaceStack();
    const views = { ...clicks, name: 'views', topic: 'web-views' };
    const pipeline = new StreamPipeline(stack, 'Pipeline', { provider, ...base, name: 'acme-dev-dlt-web', datasets: [clicks, views] });
    expect(pipeline.tables.filter((table) => table.datasets.includes('views'))).toEqual([
      { layer: 'bronze', name: 'views_raw', kind: 'table', datasets: ['views'] },
      { layer: 'bronze', name: 'views', kind: 'table', datasets: ['views'] },
      { layer: 'silver', name: 'views', kind: 'table', datasets: ['views'] },
      { layer: 'silver', name: 'views_quarantine', kind: 'table', datasets: ['views'] },
      { layer: 'gold', name: 'views_daily', kind: 'view', datasets: ['views'] },
      { layer: 'silver', name: 'acme_dev_dlt_web_event_log', kind: 'view', datasets: ['clicks', 'views'] },
    ]);
    const [resource] = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.databricks_pipeline);
    expect(resource.event_log).toEqual({ catalog: 'c', schema: 'silver', name: 'acme_dev_dlt_web_event_log' });
  });

  test('fails when a dataset is listed twice', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new StreamPipeline(stack, 'Pipeline', { provider, ...base, datasets: [clicks, clicks] })).toThrow(
      'StreamPipeline p: datasets has "clicks" more than once; each dataset is one set of tables',
    );
  });

  test('fails when it has no dataset', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new StreamPipeline(stack, 'Pipeline', { provider, ...base, datasets: [] })).toThrow(
      'StreamPipeline p: datasets is empty; a pipeline needs at least one stream dataset',
    );
  });
});

describe('DbtJob', () => {
  test('installs the dbt releases the repository pins and compiles with (requirements.txt)', () => {
    const pins = readFileSync(join(__dirname, '..', '..', '..', 'requirements.txt'), 'utf8').split('\n');
    for (const pkg of DBT_JOB_PACKAGES) expect(pins).toContain(pkg);
  });

  test('builds the scheduled selection, which leaves out the sample landing seeds, into the layer schemas', () => {
    expect(dbtJobCommands()).toEqual(['dbt build --selector scheduled --vars \'{"schema_per_layer":true}\'']);
    const selectors = parse(readFileSync(join(__dirname, '..', '..', '..', 'dbt', 'selectors.yml'), 'utf8')).selectors;
    expect(selectors.find((selector: { name: string }) => selector.name === 'scheduled').definition).toEqual({
      union: [{ method: 'selector', value: 'default' }, { exclude: [{ method: 'path', value: 'seeds/bronze' }] }],
    });
  });

  test('fails when the repository is on a host the jobs service does not know', () => {
    const { stack, provider } = workspaceStack();
    expect(
      () =>
        new DbtJob(stack, 'Job', {
          provider,
          name: 'j',
          project: { repositoryUrl: 'https://git.example.com/x.git', branch: 'main', projectDirectory: 'dbt' },
          schedule: '0 5 * * *',
          warehouseId: 'w',
          catalog: 'c',
          schema: 'dbt',
          clusterPolicyId: 'p',
        }),
    ).toThrow(
      'DbtJob: project.repositoryUrl "https://git.example.com/x.git" is not on a Git host the Databricks ' +
        'jobs service knows; hosts: github.com, gitlab.com, bitbucket.org, dev.azure.com',
    );
  });
});

describe('LakehouseCatalog', () => {
  const filesystemUrls = {
    bronze: 'abfss://bronze@a.dfs.core.windows.net/',
    silver: 'abfss://silver@a.dfs.core.windows.net/',
    gold: 'abfss://gold@a.dfs.core.windows.net/',
    'bronze-work': 'abfss://bronze-work@a.dfs.core.windows.net/',
  };
  const props = { metastoreId: 'm', workspaceId: '1', accessConnectorId: 'a', filesystemUrls, grants: unityCatalogGrants(exampleConfig()) };

  test('keeps the bronze schema in an external location of bronze work, apart from the landed files', () => {
    const { stack, provider } = workspaceStack();
    const catalog = new LakehouseCatalog(stack, 'Catalog', { provider, ...props, catalogName: 'acme_dev', credentialName: 'acme_dev' });
    const json = JSON.parse(Testing.synth(stack));
    const locations = Object.values<any>(json.resource.databricks_external_location).map((location) => [location.name, location.url]);
    expect(Object.fromEntries(locations)).toEqual({
      acme_dev_bronze: filesystemUrls.bronze,
      acme_dev_silver: filesystemUrls.silver,
      acme_dev_gold: filesystemUrls.gold,
      acme_dev_bronze_work: filesystemUrls['bronze-work'],
    });
    const rootOf = (name: string) => Object.values<any>(json.resource.databricks_schema).find((schema) => schema.name === name).storage_root;
    expect(rootOf('bronze')).toMatch(/^\$\{databricks_external_location\.Catalog_bronze-work-location_[0-9A-F]{8}\.url\}tables\/$/);
    expect(rootOf('silver')).toMatch(/^\$\{databricks_external_location\.Catalog_silver-location_[0-9A-F]{8}\.url\}tables\/$/);
    expect(catalog.externalLocation('bronze-work').urlInput).toBe(filesystemUrls['bronze-work']);
    expect(() => catalog.externalLocation('platinum' as never)).toThrow(
      'externalLocation: "platinum" is not an area of the lake; areas: bronze, silver, gold, bronze-work',
    );
  });

  test('fails when the catalog name is not a Unity Catalog identifier', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new LakehouseCatalog(stack, 'Catalog', { provider, ...props, catalogName: 'acme-dev', credentialName: 'c' })).toThrow(
      'LakehouseCatalog: catalogName: Unity Catalog identifier name "acme-dev" has characters that are not allowed',
    );
  });
});

describe('WorkspaceSubnets', () => {
  test('fails when the address space is too small for two /24 workspace subnets', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new ResourceGroup(stack, 'rg', { name: 'rg', location: 'westeurope' });
    expect(
      () =>
        new WorkspaceSubnets(stack, 'Subnets', {
          networkResourceGroupName: 'rg',
          virtualNetworkName: 'vnet',
          addressSpace: '10.0.0.0/24',
          resourceGroupName: 'rg',
          location: 'westeurope',
          names: { host: { subnet: 'h', securityGroup: 'hn' }, container: { subnet: 'c', securityGroup: 'cn' } },
          natGatewayName: 'ng',
          egressAddressName: 'pip',
        }),
    ).toThrow('WorkspaceSubnets: addressSpace ("10.0.0.0/24") has prefix /24; allowed: /16 to /22, so that each workspace subnet is at least /24');
  });
});

describe('WorkspaceSourceFiles', () => {
  test('deploys each .py file of the pipelines folder and fails when a requested file was not deployed', () => {
    const { stack, provider } = workspaceStack();
    const files = new WorkspaceSourceFiles(stack, 'Files', { provider, workspaceFolder: '/Shared/x' });
    expect(Token.isUnresolved(files.pathOf('stream_medallion.py'))).toBe(true);
    const deployed = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.databricks_workspace_file);
    expect(deployed.map((file) => [file.path, file.provider])).toEqual([
      ['/Shared/x/apply_table_grants.py', 'databricks.workspace'],
      ['/Shared/x/bronze_tables.py', 'databricks.workspace'],
      ['/Shared/x/stream_medallion.py', 'databricks.workspace'],
      ['/Shared/x/stream_rules.py', 'databricks.workspace'],
      ['/Shared/x/table_grants.py', 'databricks.workspace'],
    ]);
    expect(files.folder).toBe('/Shared/x');
    expect(() => files.pathOf('other.py')).toThrow(
      'pathOf: "other.py" is not a deployed source file; files: apply_table_grants.py, bronze_tables.py, stream_medallion.py, stream_rules.py, table_grants.py',
    );
  });
});

describe('TableGrantsJob', () => {
  const base = { name: 'acme-dev-table-grants', sourcePath: '/Shared/x/apply_table_grants.py', planPath: '/Shared/x/table_grants.json' };
  const clicks = {
    table: 'acme_dev.silver.clicks',
    kind: 'table' as const,
    grants: [
      { principal: 'data-engineering', privileges: ['APPLY_TAG', 'MODIFY', 'SELECT'] },
      { principal: 'marketing', privileges: ['SELECT'] },
    ],
  };

  test('writes the plan as a workspace file and runs apply_table_grants.py on serverless compute every 15 minutes', () => {
    const { stack, provider } = workspaceStack();
    new TableGrantsJob(stack, 'Grants', { provider, ...base, tables: [clicks], runners: ['data-engineering'], failureEmails: ['ops@example.com'] });
    const json = JSON.parse(Testing.synth(stack));
    const [plan] = Object.values<any>(json.resource.databricks_workspace_file);
    expect(plan.path).toBe('/Shared/x/table_grants.json');
    expect(JSON.parse(Buffer.from(plan.content_base64, 'base64').toString('utf8'))).toEqual({ version: 1, tables: [clicks] });
    const [job] = Object.values<any>(json.resource.databricks_job);
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 */15 * * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' });
    expect(job.environment).toEqual([{ environment_key: 'default', spec: { environment_version: '2' } }]);
    expect(job.task).toEqual([
      expect.objectContaining({
        environment_key: 'default',
        spark_python_task: {
          python_file: '/Shared/x/apply_table_grants.py',
          source: 'WORKSPACE',
          parameters: ['--plan', '/Workspace/Shared/x/table_grants.json'],
        },
      }),
    ]);
    expect(job.email_notifications.on_failure).toEqual(['ops@example.com']);
    const [permissions] = Object.values<any>(json.resource.databricks_permissions);
    expect(permissions.access_control).toEqual([{ group_name: 'data-engineering', permission_level: 'CAN_MANAGE_RUN' }]);
  });

  test('fails when there is no table, a table is listed twice or is not fully qualified', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new TableGrantsJob(stack, 'A', { provider, ...base, tables: [] })).toThrow(
      'TableGrantsJob acme-dev-table-grants: tables is empty; the job needs at least one table to grant',
    );
    expect(() => new TableGrantsJob(stack, 'B', { provider, ...base, tables: [clicks, clicks] })).toThrow(
      'TableGrantsJob acme-dev-table-grants: tables has "acme_dev.silver.clicks" more than once; each table has one set of grants',
    );
    expect(() => new TableGrantsJob(stack, 'C', { provider, ...base, tables: [{ ...clicks, table: 'silver.clicks' }] })).toThrow(
      'TableGrantsJob acme-dev-table-grants: table "silver.clicks" must be fully qualified: <catalog>.<schema>.<table>',
    );
  });
});

describe('WorkspaceAudit', () => {
  test('enables nothing by default', () => {
    const { stack, provider } = workspaceStack();
    const audit = new WorkspaceAudit(stack, 'Audit', { provider });
    expect(audit.systemSchemas).toEqual([]);
    expect(audit.workspaceConf).toBeUndefined();
  });

  test('fails when a system schema is named twice', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new WorkspaceAudit(stack, 'Audit', { provider, systemSchemas: ['access', 'billing', 'access'] })).toThrow(
      'WorkspaceAudit: systemSchemas names "access" more than once',
    );
  });
});
