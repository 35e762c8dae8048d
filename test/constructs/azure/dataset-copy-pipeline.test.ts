import { DataFactory } from '@cdktf/provider-azurerm/lib/data-factory';
import { DataFactoryIntegrationRuntimeAzure } from '@cdktf/provider-azurerm/lib/data-factory-integration-runtime-azure';
import { DataFactoryLinkedServiceDataLakeStorageGen2 } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-data-lake-storage-gen2';
import { DataFactoryLinkedServiceKeyVault } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-key-vault';
import { TerraformStack, Testing } from 'cdktf';
import { DatasetCopyPipeline, type DatasetCopyOptions } from '../../../constructs/azure/dataset-copy-pipeline';

function copyStack(dataset: DatasetCopyOptions) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const factory = new DataFactory(stack, 'Factory', { name: 'adf', resourceGroupName: 'rg', location: 'westeurope' });
  const integrationRuntime = new DataFactoryIntegrationRuntimeAzure(stack, 'Runtime', { name: 'runtime', dataFactoryId: factory.id, location: 'AutoResolve' });
  const lakeLinkedService = new DataFactoryLinkedServiceDataLakeStorageGen2(stack, 'Lake', {
    name: 'ls_lake',
    dataFactoryId: factory.id,
    url: 'https://dl.dfs.core.windows.net',
    useManagedIdentity: true,
  });
  const keyVaultLinkedService = new DataFactoryLinkedServiceKeyVault(stack, 'Vault', {
    name: 'ls_key_vault',
    dataFactoryId: factory.id,
    keyVaultId: 'vault-id',
  });
  const copy = new DatasetCopyPipeline(stack, dataset.name, {
    ...dataset,
    factory,
    integrationRuntime,
    lakeLinkedService,
    keyVaultLinkedService,
    lakeAccountName: 'dl',
  });
  return { stack, copy };
}

const customers: DatasetCopyOptions = {
  name: 'customers',
  domain: 'crm',
  format: 'json',
  source: { kind: 'api', baseUrl: 'https://api.example.com', path: '/customers', authSecret: 'crm-token', pagination: 'cursor' },
  columns: [{ name: 'customer_id', type: 'string' }],
  sourceDescription: 'https://api.example.com/customers',
  schedule: '15 * * * *',
};

describe('DatasetCopyPipeline', () => {
  test('copies an API source into bronze/<domain>/<name>/ on its schedule, with the credential from the vault', () => {
    const { stack, copy } = copyStack(customers);
    const json = JSON.parse(Testing.synth(stack));
    const [linkedService] = Object.values<any>(json.resource.azurerm_data_factory_linked_custom_service);
    expect(linkedService.name).toBe('ls_customers');
    expect(JSON.parse(linkedService.type_properties_json).authHeaders.Authorization.store.referenceName).toBe(
      '${azurerm_data_factory_linked_service_key_vault.Vault.name}',
    );
    const sink = Object.values<any>(json.resource.azurerm_data_factory_custom_dataset).find((dataset) => dataset.name === 'ds_customers_bronze');
    expect(JSON.parse(sink.type_properties_json).location).toEqual({
      type: 'AzureBlobFSLocation',
      fileSystem: 'bronze',
      folderPath: { value: "@concat('crm/customers/ingestion_date=', dataset().ingestionDate)", type: 'Expression' },
    });
    const [trigger] = Object.values<any>(json.resource.azurerm_data_factory_trigger_schedule);
    expect(trigger).toEqual(expect.objectContaining({ name: 'schedule_customers', activated: true, time_zone: 'UTC' }));
    expect(copy.pipeline.nameInput).toBe('ingest_customers');
  });

  test('fails when an incremental database copy tracks a column that cannot hold a watermark, naming it', () => {
    const invoices: DatasetCopyOptions = {
      ...customers,
      name: 'invoices',
      source: { kind: 'database', engine: 'postgres', connectionSecret: 'erp', table: 'public.invoices', changeTrackingColumn: 'status' },
      columns: [{ name: 'status', type: 'string' }],
    };
    expect(() => copyStack(invoices)).toThrow(
      'dataset "invoices": source.changeTrackingColumn "status" has type string, which cannot hold a watermark; types: timestamp, int, bigint, decimal(p,0)',
    );
  });

  test('fails when the source is a stream', () => {
    const stream = { ...customers, source: { kind: 'stream', topic: 't' } } as unknown as DatasetCopyOptions;
    expect(() => copyStack(stream)).toThrow(
      'DatasetCopyPipeline: dataset "customers" has a stream source, which Data Factory does not copy in batches; sources: database, api, files',
    );
  });

  test('fails when the schedule is not a cron expression Data Factory can express, naming the dataset', () => {
    expect(() => copyStack({ ...customers, schedule: 'continuous' })).toThrow(
      /^dataset "customers": schedule "continuous" cannot be a Data Factory schedule trigger/,
    );
  });
});
