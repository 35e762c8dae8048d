import { DataFactory } from '@cdktf/provider-azurerm/lib/data-factory';
import { DataFactoryCustomDataset } from '@cdktf/provider-azurerm/lib/data-factory-custom-dataset';
import { DataFactoryIntegrationRuntimeAzure } from '@cdktf/provider-azurerm/lib/data-factory-integration-runtime-azure';
import { DataFactoryLinkedCustomService } from '@cdktf/provider-azurerm/lib/data-factory-linked-custom-service';
import { DataFactoryLinkedServiceAzureDatabricks } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-azure-databricks';
import { DataFactoryLinkedServiceAzureSqlDatabase } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-azure-sql-database';
import { DataFactoryLinkedServiceDataLakeStorageGen2 } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-data-lake-storage-gen2';
import { DataFactoryManagedPrivateEndpoint } from '@cdktf/provider-azurerm/lib/data-factory-managed-private-endpoint';
import { DataFactoryPipeline } from '@cdktf/provider-azurerm/lib/data-factory-pipeline';
import { DataFactoryTriggerSchedule } from '@cdktf/provider-azurerm/lib/data-factory-trigger-schedule';
import { DataFactoryTriggerTumblingWindow } from '@cdktf/provider-azurerm/lib/data-factory-trigger-tumbling-window';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzureIngestionStack } from '../../../stacks/azure/ingestion-stack';
import { configWith, configWithBinaryDataset, environmentOf, exampleConfig, problemsAfter } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';
import { environmentStacks } from '../../../lib/plan';

const byName = (resources: Record<string, any>) => Object.fromEntries(Object.values(resources).map((resource: any) => [resource.name, resource]));

describe('AzureIngestionStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, synthStack(AzureIngestionStack, config, name)]));
  const dev = stacks.dev.json;

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('locks the factory down: managed identity, managed virtual network, no public access', () => {
    expect(onlyResource(dev, DataFactory.tfResourceType)).toMatchObject({
      name: expect.stringMatching(/^adf-acme-dev-[0-9a-f]{4}$/),
      identity: { type: 'SystemAssigned' },
      managed_virtual_network_enabled: true,
      public_network_enabled: false,
    });
    expect(onlyResource(dev, DataFactoryIntegrationRuntimeAzure.tfResourceType)).toMatchObject({ virtual_network_enabled: true, location: 'AutoResolve' });
  });

  test('reaches the lake and the vault through managed private endpoints', () => {
    const endpoints = byName(resourcesOf(dev, DataFactoryManagedPrivateEndpoint.tfResourceType));
    // No endpoint to the SQL warehouse: Data Factory does not load it (the Databricks processing job does).
    expect(Object.keys(endpoints).sort()).toEqual(['databricks', 'key-vault', 'lake-blob', 'lake-dfs']);
    expect(Object.keys(byName(resourcesOf(stacks.staging.json, DataFactoryManagedPrivateEndpoint.tfResourceType))).sort()).toEqual([
      'databricks',
      'key-vault',
      'lake-blob',
      'lake-dfs',
    ]);
    expect(endpoints['lake-dfs']).toMatchObject({
      subresource_name: 'dfs',
      target_resource_id: expect.stringMatching(/\/rg-acme-dev-data\/providers\/Microsoft\.Storage\/storageAccounts\/acmedevdl[0-9a-f]{4}$/),
    });
    expect(endpoints['key-vault'].target_resource_id).toMatch(/\/rg-acme-dev-security\/providers\/Microsoft\.KeyVault\/vaults\/kv-acme-dev-[0-9a-f]{4}$/);
  });

  test("writes bronze and bronze's working data only, reads secrets only, and signs in to the Databricks workspace only", () => {
    const roles = Object.values(resourcesOf(dev, RoleAssignment.tfResourceType)).map((role: any) => [
      role.role_definition_name,
      role.scope.split('/').slice(-4).join('/'),
    ]);
    expect(roles.sort()).toEqual([
      ['Contributor', 'providers/Microsoft.Databricks/workspaces/dbw-acme-dev'],
      ['Key Vault Secrets User', expect.stringMatching(/^providers\/Microsoft\.KeyVault\/vaults\/kv-acme-dev-/)],
      ['Storage Blob Data Contributor', 'blobServices/default/containers/bronze'],
      // Its watermarks, which it replaces after every run: never in bronze, which is immutable.
      ['Storage Blob Data Contributor', 'blobServices/default/containers/bronze-work'],
    ]);
  });

  test('uses the managed identity for the lake and Key Vault secrets, by name, for sources', () => {
    expect(onlyResource(dev, DataFactoryLinkedServiceDataLakeStorageGen2.tfResourceType)).toMatchObject({
      use_managed_identity: true,
      url: expect.stringMatching(/^https:\/\/acmedevdl[0-9a-f]{4}\.dfs\.core\.windows\.net$/),
    });
    const services = byName(resourcesOf(dev, DataFactoryLinkedCustomService.tfResourceType));
    expect(services.ls_customers.type).toBe('SqlServer');
    expect(JSON.parse(services.ls_customers.type_properties_json).connectionString).toMatchObject({
      type: 'AzureKeyVaultSecret',
      secretName: 'sales-crm-replica',
    });
    expect(services.ls_exchange_rates.type).toBe('RestService');
    expect(JSON.parse(services.ls_exchange_rates.type_properties_json)).toMatchObject({
      url: 'https://api.treasury-rates.example.com',
      authHeaders: { Authorization: { type: 'AzureKeyVaultSecret', secretName: 'sales-treasury-api' } },
    });
    expect(resourcesOf(dev, DataFactoryLinkedServiceAzureSqlDatabase.tfResourceType)).toEqual({});
    expect(JSON.stringify(dev)).not.toMatch(/password|AccountKey=/i);
  });

  test("links the Databricks workspace, looked up by name, with the factory's managed identity", () => {
    expect(onlyResource(dev, DataFactoryLinkedServiceAzureDatabricks.tfResourceType)).toMatchObject({
      name: 'ls_databricks',
      adb_domain: 'https://${data.azurerm_databricks_workspace.DatabricksWorkspace.workspace_url}',
      msi_work_space_resource_id: expect.stringMatching(
        /\/resourceGroups\/rg-acme-dev-databricks\/providers\/Microsoft\.Databricks\/workspaces\/dbw-acme-dev$/,
      ),
      new_cluster_config: { cluster_version: '16.4.x-scala2.12', node_type: 'Standard_D4ds_v5', min_number_of_workers: 1, max_number_of_workers: 2 },
    });
    expect((dev as { data?: Record<string, any> }).data?.azurerm_databricks_workspace.DatabricksWorkspace).toEqual({
      name: 'dbw-acme-dev',
      resource_group_name: 'rg-acme-dev-databricks',
    });
    expect(byName(resourcesOf(dev, DataFactoryManagedPrivateEndpoint.tfResourceType)).databricks.subresource_name).toBe('databricks_ui_api');
    expect(onlyResource(stacks.prod.json, DataFactoryLinkedServiceAzureDatabricks.tfResourceType).new_cluster_config).toMatchObject({
      node_type: 'Standard_D8ds_v5',
      max_number_of_workers: 16,
    });
  });

  test('has no Databricks linked service where the environment has no Databricks', () => {
    const withoutDatabricks = configWith((definition) => {
      definition.environments.dev.clouds = ['aws', 'azure'];
      delete definition.environments.dev.databricks;
    });
    expect(resourcesOf(synthStack(AzureIngestionStack, withoutDatabricks, 'dev').json, DataFactoryLinkedServiceAzureDatabricks.tfResourceType)).toEqual({});
  });

  test('has a copy pipeline and a trigger per batch dataset (a tumbling window for changes captured from SQL Server), and none for streams', () => {
    const pipelines = Object.values(resourcesOf(dev, DataFactoryPipeline.tfResourceType)).map((pipeline: any) => pipeline.name);
    expect(pipelines.sort()).toEqual([
      'ingest_campaigns',
      'ingest_customers',
      'ingest_exchange_rates',
      'ingest_newsletter_signups',
      'ingest_order_items',
      'ingest_orders',
      'ingest_products',
    ]);
    expect(Object.keys(resourcesOf(dev, DataFactoryTriggerSchedule.tfResourceType))).toHaveLength(6);
    expect(Object.values(resourcesOf(dev, DataFactoryTriggerTumblingWindow.tfResourceType)).map((trigger: any) => trigger.name)).toEqual(['window_customers']);
  });

  test('lands files from bronze/_landing in bronze/<domain>/<dataset>/ingestion_date=<run date>/ in their format', () => {
    const datasets = byName(resourcesOf(dev, DataFactoryCustomDataset.tfResourceType));
    expect(datasets.ds_products_bronze.type).toBe('DelimitedText');
    expect(JSON.parse(datasets.ds_products_bronze.type_properties_json)).toMatchObject({
      location: { fileSystem: 'bronze', folderPath: { value: "@concat('sales/products/ingestion_date=', dataset().ingestionDate)", type: 'Expression' } },
      firstRowAsHeader: true,
    });
    const pipeline = byName(resourcesOf(dev, DataFactoryPipeline.tfResourceType)).ingest_products;
    const copy = JSON.parse(pipeline.activities_json).find((activity: any) => activity.name === 'copy_products_to_bronze');
    expect(copy.typeProperties.source.storeSettings).toMatchObject({
      wildcardFolderPath: '_landing/incoming/products',
      wildcardFileName: '*.csv',
    });
  });

  test('schedules each pipeline from its cron expression, in UTC', () => {
    const triggers = byName(resourcesOf(dev, DataFactoryTriggerSchedule.tfResourceType));
    expect(triggers.schedule_products).toMatchObject({
      frequency: 'Day',
      interval: 1,
      schedule: { hours: [2], minutes: [30] },
      time_zone: 'UTC',
      activated: true,
    });
    expect(triggers.schedule_orders.schedule.minutes).toEqual([0]);
    expect(triggers.schedule_orders.schedule.hours).toHaveLength(24);
    // "15 * * * *" of the captured SQL Server customers: hourly windows starting at :15.
    expect(byName(resourcesOf(dev, DataFactoryTriggerTumblingWindow.tfResourceType)).window_customers).toMatchObject({
      frequency: 'Hour',
      interval: 1,
      start_time: '2026-01-01T00:15:00Z',
    });
  });

  test('copies a binary dataset byte for byte into its bronze partition: no metadata columns, no mapping, nothing to quarantine', () => {
    const json = synthStack(AzureIngestionStack, configWithBinaryDataset(), 'dev').json;
    const datasets = byName(resourcesOf(json, DataFactoryCustomDataset.tfResourceType));
    expect(datasets.ds_campaign_assets_bronze.type).toBe('Binary');
    expect(JSON.parse(datasets.ds_campaign_assets_bronze.type_properties_json)).toEqual({
      location: {
        type: 'AzureBlobFSLocation',
        fileSystem: 'bronze',
        folderPath: { value: "@concat('marketing/campaign_assets/ingestion_date=', dataset().ingestionDate)", type: 'Expression' },
      },
    });
    const activities = JSON.parse(byName(resourcesOf(json, DataFactoryPipeline.tfResourceType)).ingest_campaign_assets.activities_json);
    const copy = activities.find((activity: any) => activity.name === 'copy_campaign_assets_to_bronze');
    expect(copy.typeProperties.source).toMatchObject({
      type: 'BinarySource',
      storeSettings: { wildcardFolderPath: '_landing/incoming/campaign-assets', wildcardFileName: '*' },
    });
    expect(copy.typeProperties.source).not.toHaveProperty('additionalColumns');
    expect(copy.typeProperties.sink).toEqual({ type: 'BinarySink', storeSettings: { type: 'AzureBlobFSWriteSettings', copyBehavior: 'PreserveHierarchy' } });
    expect(copy.typeProperties).not.toHaveProperty('translator');
    expect(copy.typeProperties).not.toHaveProperty('enableSkipIncompatibleRow');
  });

  test('adds a pipeline and trigger for a dataset added to the definition, without code changes', () => {
    const withAnother = configWith((definition) => {
      const products = definition.datasets.find((dataset: any) => dataset.name === 'products');
      definition.datasets.push({ ...products, name: 'suppliers', source: { kind: 'files', pathPattern: 'incoming/suppliers/*.csv' }, schedule: '0 7 * * 1-5' });
    });
    const json = synthStack(AzureIngestionStack, withAnother, 'dev').json;
    expect(byName(resourcesOf(json, DataFactoryPipeline.tfResourceType))).toHaveProperty('ingest_suppliers');
    expect(byName(resourcesOf(json, DataFactoryTriggerSchedule.tfResourceType)).schedule_suppliers).toMatchObject({
      frequency: 'Week',
      schedule: { days_of_week: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], hours: [7], minutes: [0] },
    });
  });

  test('fails at validation, before any synth, when a schedule cannot be a Data Factory trigger, naming the dataset', () => {
    expect(() =>
      configWith((definition) => {
        definition.datasets.find((dataset: any) => dataset.name === 'orders').schedule = '0 1 1 1,4,7,10 *';
      }),
    ).toThrow(
      'datasets[1].schedule: "0 1 1 1,4,7,10 *" cannot be a Data Factory schedule trigger (Azure ' +
        'environments: dev, staging, prod): Data Factory schedules cannot be limited to some months',
    );
  });

  test('logs runs to resource-specific tables and alerts the action group on failed runs', () => {
    expect(onlyResource(dev, MonitorDiagnosticSetting.tfResourceType)).toMatchObject({
      log_analytics_destination_type: 'Dedicated',
      log_analytics_workspace_id: expect.stringMatching(/\/workspaces\/log-acme-dev$/),
    });
    const alerts = byName(resourcesOf(dev, MonitorMetricAlert.tfResourceType));
    expect(Object.keys(alerts).sort()).toEqual(['alert-acme-dev-pipeline-failed', 'alert-acme-dev-pipeline-step-failed']);
    expect(alerts['alert-acme-dev-pipeline-failed']).toMatchObject({
      criteria: [{ metric_namespace: 'Microsoft.DataFactory/factories', metric_name: 'PipelineFailedRuns', operator: 'GreaterThan', threshold: 0 }],
      action: [{ action_group_id: expect.stringMatching(/\/rg-acme-dev-monitoring\/providers\/Microsoft\.Insights\/actionGroups\/ag-acme-dev-alerts$/) }],
    });
  });

  test('is needed only when the definition has a batch dataset', () => {
    const streamsOnly = configWith((definition) => {
      definition.datasets = definition.datasets.filter((dataset: any) => dataset.source.kind === 'stream');
      delete definition.consumers; // the API exposes batch datasets
    });
    expect(environmentStacks(streamsOnly, environmentOf(streamsOnly, 'dev')).map((stack) => stack.name)).not.toContain('acme-dev-azure-ingestion');
  });

  describe('batch datasets land like AWS: incremental, in the bronze layout, quarantined, then processed', () => {
    // Two database datasets without CDC beside the example's: one incremental on updated_at, one snapshot.
    const batchConfig = configWith((definition) => {
      const orders = definition.datasets.find((dataset: any) => dataset.name === 'orders');
      const copyOf = (name: string, source: Record<string, unknown>) => ({
        ...structuredClone(orders),
        name,
        cdc: false,
        source: { ...orders.source, ...source },
      });
      definition.datasets.push(
        copyOf('invoices', { engine: 'sqlserver', table: 'dbo.invoices', changeTrackingColumn: 'updated_at' }),
        copyOf('price_list', { table: 'public.price_list', load: 'snapshot' }),
      );
      definition.datasets.find((dataset: any) => dataset.name === 'exchange_rates').source.pagination = 'page';
    });
    const json = synthStack(AzureIngestionStack, batchConfig, 'dev').json;
    const pipelines = byName(resourcesOf(json, DataFactoryPipeline.tfResourceType));
    const datasets = byName(resourcesOf(json, DataFactoryCustomDataset.tfResourceType));
    const activitiesOf = (name: string): any[] => JSON.parse(pipelines[`ingest_${name}`].activities_json);
    const activity = (name: string, activityName: string) => activitiesOf(name).find((candidate) => candidate.name === activityName);
    const after = (name: string) => [{ activity: name, dependencyConditions: ['Succeeded'] }];

    test('reads a database from the stored watermark to the change-tracking column maximum, and stores the new one after the copy', () => {
      expect(activitiesOf('invoices').map((a) => a.name)).toEqual([
        'read_new_watermark',
        'set_new_watermark',
        'check_stored_watermark',
        'if_watermark_stored',
        'copy_invoices_to_bronze',
        'store_watermark',
        'find_processing_job',
        'run_processing_job',
      ]);
      expect(activity('invoices', 'read_new_watermark').typeProperties.source).toEqual({
        type: 'SqlServerSource',
        query: "SELECT COALESCE(FORMAT(MAX([updated_at]), 'yyyy-MM-dd HH:mm:ss.ffffff'), '0001-01-01 00:00:00.000000') AS watermark FROM dbo.invoices",
      });
      const copy = activity('invoices', 'copy_invoices_to_bronze');
      expect(copy.dependsOn).toEqual([...after('set_new_watermark'), ...after('if_watermark_stored')]);
      expect(copy.typeProperties.source.query).toEqual({
        value:
          "SELECT * FROM dbo.invoices WHERE [updated_at] > CAST('@{variables('stored_watermark')}' AS datetime2) " +
          "AND [updated_at] <= CAST('@{variables('new_watermark')}' AS datetime2)",
        type: 'Expression',
      });
      // A first run has no state file: the stored watermark keeps its default, the lowest timestamp.
      expect(pipelines.ingest_invoices.variables).toEqual({ stored_watermark: '0001-01-01 00:00:00.000000', new_watermark: '' });
      expect(activity('invoices', 'if_watermark_stored').typeProperties.ifTrueActivities.map((a: any) => a.name)).toEqual([
        'read_stored_watermark',
        'set_stored_watermark',
      ]);
      expect(JSON.parse(datasets.ds_invoices_watermark.type_properties_json).location).toEqual({
        type: 'AzureBlobFSLocation',
        fileSystem: 'bronze-work',
        folderPath: '_state/sales/invoices',
        fileName: 'watermark.json',
      });
      const store = activity('invoices', 'store_watermark');
      expect(store.dependsOn).toEqual(after('copy_invoices_to_bronze'));
      expect(store.typeProperties).toMatchObject({
        method: 'PUT',
        url: expect.stringMatching(/^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\/bronze-work\/_state\/sales\/invoices\/watermark\.json$/),
        authentication: { type: 'MSI', resource: 'https://storage.azure.com/' },
        body: { value: `@concat('{"watermark":"', variables('new_watermark'), '"}')`, type: 'Expression' },
      });
    });

    test('copies a snapshot database dataset whole, without a watermark', () => {
      expect(activitiesOf('price_list').map((a) => a.name)).toEqual(['copy_price_list_to_bronze', 'find_processing_job', 'run_processing_job']);
      expect(activity('price_list', 'copy_price_list_to_bronze').typeProperties.source).not.toHaveProperty('query');
      expect(pipelines.ingest_price_list.variables).toBeUndefined();
      expect(datasets.ds_price_list_watermark).toBeUndefined();
    });

    test('copies only the files landed since the last successful run', () => {
      expect(activity('products', 'set_new_watermark').typeProperties.value.value).toBe("@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-ddTHH:mm:ssZ')");
      expect(activity('products', 'copy_products_to_bronze').typeProperties.source.storeSettings).toMatchObject({
        modifiedDatetimeStart: { value: "@{variables('stored_watermark')}", type: 'Expression' },
        modifiedDatetimeEnd: { value: "@{variables('new_watermark')}", type: 'Expression' },
      });
      expect(pipelines.ingest_products.variables).toEqual({ stored_watermark: '1900-01-01T00:00:00Z', new_watermark: '' });
    });

    test('follows the API pagination of the definition and reads the records of each page', () => {
      const copy = activity('campaigns', 'copy_campaigns_to_bronze');
      expect(copy.typeProperties.source.paginationRules).toEqual({ 'QueryParameters.cursor': '$.next_cursor' });
      expect(copy.typeProperties.translator.collectionReference).toBe('$.data');
      expect(copy.typeProperties.sink.formatSettings).toEqual({ type: 'JsonWriteSettings', filePattern: 'setOfObjects' });
      // Pages of 500 until an empty one, as glue_ingest.py asks for them.
      expect(activity('exchange_rates', 'copy_exchange_rates_to_bronze').typeProperties.source.paginationRules).toEqual({
        'QueryParameters.page': 'RANGE:1::1',
        EndCondition: '$.data:Empty',
      });
      expect(JSON.parse(datasets.ds_exchange_rates_source.type_properties_json)).toEqual({ relativeUrl: '/v2/rates/daily?page_size=500' });
    });

    test.each([
      ['invoices', ['_source', '_batch_id', '_ingested_at'], 'sqlserver:dbo.invoices'],
      ['products', ['_source_file', '_source', '_batch_id', '_ingested_at'], '_landing/incoming/products/*.csv'],
      ['exchange_rates', ['_source', '_batch_id', '_ingested_at'], 'https://api.treasury-rates.example.com/v2/rates/daily'],
    ])('%s: adds the bronze metadata columns of lib/lake and writes the run date partition', (name, columns, source) => {
      const copy = activity(name, `copy_${name}_to_bronze`);
      const additional = copy.typeProperties.source.additionalColumns;
      expect(additional.map((column: any) => column.name)).toEqual(columns);
      expect(additional.find((column: any) => column.name === '_source').value).toBe(source);
      expect(additional.find((column: any) => column.name === '_batch_id').value).toEqual({ value: '@pipeline().RunId', type: 'Expression' });
      expect(copy.outputs[0].parameters).toEqual({ ingestionDate: "@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-dd')" });
      // The metadata columns are mapped through after the declared ones, so they land in bronze.
      expect(copy.typeProperties.translator.mappings.slice(-columns.length).map((m: any) => m.sink.name)).toEqual(columns);
    });

    test('converts each declared column to its type and quarantines the rows that do not convert, with the reason', () => {
      const copy = activity('invoices', 'copy_invoices_to_bronze');
      expect(copy.typeProperties.translator).toMatchObject({ type: 'TabularTranslator', typeConversion: true });
      expect(copy.typeProperties.translator.mappings.slice(0, 3)).toEqual([
        { source: { name: 'order_id' }, sink: { name: 'order_id', type: 'Int64' } },
        { source: { name: 'customer_id' }, sink: { name: 'customer_id', type: 'Int64' } },
        { source: { name: 'order_status' }, sink: { name: 'order_status', type: 'String' } },
      ]);
      expect(copy.typeProperties.enableSkipIncompatibleRow).toBe(true);
      expect(copy.typeProperties.logSettings).toEqual({
        enableCopyActivityLog: true,
        copyActivityLogSettings: { logLevel: 'Warning', enableReliableLogging: true },
        logLocationSettings: {
          linkedServiceName: { referenceName: expect.stringContaining('DataFactory_LakeLinkedService'), type: 'LinkedServiceReference' },
          path: 'bronze/_quarantine/sales/invoices',
        },
      });
    });

    test("runs the environment's Databricks processing job after the copy, found by name, and waits for it", () => {
      const find = activity('invoices', 'find_processing_job');
      expect(find.dependsOn).toEqual(after('store_watermark'));
      expect(find.typeProperties).toMatchObject({
        method: 'GET',
        url: expect.stringMatching(/\/api\/2\.1\/jobs\/list\?name=acme-dev-dbt$/),
        authentication: { type: 'MSI', resource: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d' },
      });
      const run = activity('invoices', 'run_processing_job');
      expect(run).toMatchObject({
        type: 'DatabricksJob',
        dependsOn: after('find_processing_job'),
        linkedServiceName: { referenceName: expect.stringContaining('DataFactory_DatabricksLinkedService'), type: 'LinkedServiceReference' },
        typeProperties: { jobId: { value: "@string(activity('find_processing_job').output.jobs[0].job_id)", type: 'Expression' } },
      });
    });

    test('alerts the action group on every failed step, per pipeline and activity type', () => {
      const alert = byName(resourcesOf(json, MonitorMetricAlert.tfResourceType))['alert-acme-dev-pipeline-step-failed'];
      expect(alert.criteria).toEqual([
        expect.objectContaining({
          metric_name: 'ActivityFailedRuns',
          threshold: 0,
          dimension: [
            { name: 'PipelineName', operator: 'Include', values: ['*'] },
            { name: 'ActivityType', operator: 'Include', values: ['*'] },
            { name: 'FailureType', operator: 'Include', values: ['*'] },
          ],
        }),
      ]);
    });
  });

  describe('change capture (cdc: true database datasets)', () => {
    const pipelines = byName(resourcesOf(dev, DataFactoryPipeline.tfResourceType));
    const datasets = byName(resourcesOf(dev, DataFactoryCustomDataset.tfResourceType));

    test('reads PostgreSQL changes from a replication slot up to the WAL position, then advances it', () => {
      const activities = JSON.parse(pipelines.ingest_orders.activities_json);
      expect(activities.map((a: any) => a.name)).toEqual([
        'read_wal_position',
        'copy_orders_changes_to_bronze',
        'advance_slot',
        'find_processing_job',
        'run_processing_job',
      ]);
      expect(activities[3].dependsOn).toEqual([{ activity: 'advance_slot', dependencyConditions: ['Succeeded'] }]);
      const copy = activities[1];
      expect(copy.dependsOn).toEqual([{ activity: 'read_wal_position', dependencyConditions: ['Succeeded'] }]);
      expect(copy.typeProperties.source.type).toBe('PostgreSqlV2Source');
      expect(copy.typeProperties.source.query.value).toContain(
        "pg_logical_slot_peek_changes('acme_dev_orders', '@{activity('read_wal_position').output.firstRow.upto}'::pg_lsn, NULL, 'format-version', '2'",
      );
      expect(copy.typeProperties.source.query.value).toContain("'add-tables', 'public.orders'");
      expect(copy.typeProperties.source.query.value).toContain(
        `CASE d->>'action' WHEN 'I' THEN 'insert' WHEN 'U' THEN 'update' WHEN 'D' THEN 'delete' END AS "_op"`,
      );
      expect(copy.typeProperties.source.query.value).toContain(`(lsn - '0/0'::pg_lsn)::bigint AS "_change_seq"`);
      expect(copy.typeProperties.source.additionalColumns.map((c: any) => c.name)).toEqual(['_source', '_batch_id', '_ingested_at']);
      expect(activities[2].typeProperties.source.query).toEqual({
        value: "SELECT pg_replication_slot_advance('acme_dev_orders', '@{activity('read_wal_position').output.firstRow.upto}'::pg_lsn)::text AS advanced",
        type: 'Expression',
      });
      expect(activities[2].dependsOn).toEqual([{ activity: 'copy_orders_changes_to_bronze', dependencyConditions: ['Succeeded'] }]);
    });

    test('reads SQL Server CDC changes per tumbling window, update before-images left out', () => {
      const pipeline = pipelines.ingest_customers;
      expect(pipeline.parameters).toEqual({ windowStart: '', windowEnd: '' });
      const [copy] = JSON.parse(pipeline.activities_json);
      expect(copy.typeProperties.source.type).toBe('SqlServerSource');
      expect(copy.typeProperties.source.query.value).toContain('FROM cdc.[dbo_customers_CT] ct JOIN cdc.lsn_time_mapping m ON m.start_lsn = ct.[__$start_lsn]');
      expect(copy.typeProperties.source.query.value).toContain(
        "WHERE ct.[__$operation] <> 3 AND m.tran_end_time >= '@{pipeline().parameters.windowStart}' AND m.tran_end_time < '@{pipeline().parameters.windowEnd}'",
      );
      expect(copy.typeProperties.source.query.value).toContain(
        "CASE ct.[__$operation] WHEN 2 THEN 'insert' WHEN 4 THEN 'update' WHEN 1 THEN 'delete' END AS [_op]",
      );
      const trigger = byName(resourcesOf(dev, DataFactoryTriggerTumblingWindow.tfResourceType)).window_customers;
      expect(trigger).toMatchObject({ delay: '00:15:00', max_concurrency: 1, retry: { count: 3, interval: 300 } });
      expect(trigger.pipeline.parameters).toEqual({ windowStart: '@{trigger().outputs.windowStartTime}', windowEnd: '@{trigger().outputs.windowEndTime}' });
    });

    test('writes the bronze CDC layout: Parquet under bronze/<domain>/<dataset>/ingestion_date=<run date>/', () => {
      expect(datasets.ds_orders_bronze.type).toBe('Parquet');
      expect(datasets.ds_orders_bronze.parameters).toEqual({ ingestionDate: '' });
      expect(JSON.parse(datasets.ds_orders_bronze.type_properties_json).location).toEqual({
        type: 'AzureBlobFSLocation',
        fileSystem: 'bronze',
        folderPath: { value: "@concat('sales/orders/ingestion_date=', dataset().ingestionDate)", type: 'Expression' },
      });
      const [, copy] = JSON.parse(pipelines.ingest_orders.activities_json);
      expect(copy.outputs[0].parameters).toEqual({ ingestionDate: "@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-dd')" });
    });

    test('fails at validation when a captured SQL Server dataset on Azure has a schedule no tumbling window expresses, or is MySQL', () => {
      const problems = problemsAfter((definition) => {
        definition.datasets.find((dataset: any) => dataset.name === 'customers').schedule = '15 6,18 * * *';
        definition.datasets.find((dataset: any) => dataset.name === 'orders').source.engine = 'mysql';
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^datasets\[0\]\.schedule: "15 6,18 \* \* \*": change capture from SQL Server reads back-to-back windows of one size; .*\(dataset "customers"\)$/,
          ),
          expect.stringMatching(/^datasets\[1\]\.source\.engine: is "mysql"; cdc: true on AZURE captures postgres, sqlserver .*\(dataset "orders"\)$/),
        ]),
      );
    });
  });
});
