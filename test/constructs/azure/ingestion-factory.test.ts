import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import type { DatasetCopyOptions } from '../../../constructs/azure/dataset-copy-pipeline';
import { IngestionFactory, type IngestionDatabricksProps } from '../../../constructs/azure/ingestion-factory';

const orders: DatasetCopyOptions = {
  name: 'orders',
  domain: 'sales',
  format: 'parquet',
  source: { kind: 'database', engine: 'postgres', connectionSecret: 'orders-db', table: 'public.orders', changeTrackingColumn: 'updated_at' },
  columns: [
    { name: 'order_id', type: 'bigint' },
    { name: 'updated_at', type: 'timestamp' },
  ],
  sourceDescription: 'postgres:public.orders',
  schedule: '0 2 * * *',
};
const products: DatasetCopyOptions = {
  name: 'products',
  domain: 'sales',
  format: 'csv',
  source: { kind: 'files', pathPattern: 'incoming/products/*.csv' },
  columns: [{ name: 'product_id', type: 'string' }],
  sourceDescription: '_landing/incoming/products/*.csv',
  schedule: '30 1 * * *',
};

function factory(datasets: readonly DatasetCopyOptions[], databricks?: IngestionDatabricksProps) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-ingestion', location: 'westeurope' });
  return new IngestionFactory(stack, 'DataFactory', {
    resourceGroup,
    name: 'adf-test-1234',
    lake: { accountId: 'account-id', accountName: 'acmetestdl1234' },
    keyVaultId: 'vault-id',
    datasets,
    databricks,
  });
}

const workspace = {
  workspaceId: 'workspace-id',
  workspaceUrl: 'adb-1.1.azuredatabricks.net',
  clusterVersion: '15.4.x-scala2.12',
  nodeType: 'Standard_D4ds_v5',
  minWorkers: 1,
  maxWorkers: 2,
};

describe('IngestionFactory', () => {
  test('exposes the pipeline of each dataset', () => {
    const ingestion = factory([orders]);
    expect(ingestion.pipelineFor('orders').nameInput).toBe('ingest_orders');
    expect(() => ingestion.pipelineFor('products')).toThrow('pipelineFor: dataset "products" has no pipeline in this factory; datasets: orders');
  });

  test("gives each dataset's copy pipeline the id of its name, so the Terraform addresses stay <factory>/<dataset>/<resource>", () => {
    // GIVEN a factory copying two datasets THEN each resource's logical id is the one of its path
    // DataFactory/<dataset>/<resource> (the ids before DatasetCopyPipeline existed): renaming one replaces it.
    const json = JSON.parse(Testing.synth(TerraformStack.of(factory([orders, products]))));
    const ids = (type: string) => Object.keys(json.resource[type]).sort();
    expect(ids('azurerm_data_factory_pipeline')).toEqual(['DataFactory_orders_Pipeline_7D162DCC', 'DataFactory_products_Pipeline_32616AE4']);
    expect(ids('azurerm_data_factory_trigger_schedule')).toEqual(['DataFactory_orders_Trigger_741E46B6', 'DataFactory_products_Trigger_033323AF']);
    expect(ids('azurerm_data_factory_custom_dataset')).toEqual([
      'DataFactory_orders_Sink_C6D3889A',
      'DataFactory_orders_Source_EF257332',
      'DataFactory_orders_WatermarkState_6DDA11E9',
      'DataFactory_products_Sink_1738A942',
      'DataFactory_products_Source_D48DC25B',
      'DataFactory_products_WatermarkState_16CD67D4',
    ]);
    // Files land in the lake: only the database source has a linked service of its own.
    expect(ids('azurerm_data_factory_linked_custom_service')).toEqual(['DataFactory_orders_SourceLinkedService_4D8460F5']);
  });

  test('fails when given a stream dataset, naming it', () => {
    const webEvents = {
      name: 'web_events',
      domain: 'web',
      format: 'json',
      source: { kind: 'stream', topic: 'web-events' },
      schedule: 'continuous',
    } as unknown as DatasetCopyOptions;
    expect(() => factory([orders, webEvents])).toThrow(
      'IngestionFactory: dataset "web_events" has a stream source, which Data Factory does not copy in batches; sources: database, api, files',
    );
  });

  test('fails when a dataset is added twice', () => {
    const ingestion = factory([orders]);
    expect(() => ingestion.addDatasetCopy(orders)).toThrow(
      'IngestionFactory: dataset "orders" is already copied by this factory; dataset names must be unique',
    );
  });

  test("links a Databricks workspace with the factory's managed identity", () => {
    const json = JSON.parse(Testing.synth(TerraformStack.of(factory([orders], workspace))));
    expect(Object.values<any>(json.resource.azurerm_data_factory_linked_service_azure_databricks)).toEqual([
      expect.objectContaining({ name: 'ls_databricks', adb_domain: 'https://adb-1.1.azuredatabricks.net', msi_work_space_resource_id: 'workspace-id' }),
    ]);
  });

  test('fails when the Databricks job clusters have an impossible size', () => {
    expect(() => factory([orders], { ...workspace, minWorkers: 3, maxWorkers: 2 })).toThrow(
      'IngestionFactory: databricks.minWorkers (3) and maxWorkers (2) must be whole numbers with 1 <= minWorkers <= maxWorkers',
    );
  });
});
