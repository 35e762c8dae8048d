import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { IngestionFactory, type IngestionDatabricksProps } from '../../../constructs/azure/ingestion-factory';
import { exampleConfig } from '../../fixtures/platform';

function factory(datasetNames: string[], databricks?: IngestionDatabricksProps) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-ingestion', location: 'westeurope' });
  const datasets = exampleConfig().datasets.filter((dataset) => datasetNames.includes(dataset.name));
  return new IngestionFactory(stack, 'DataFactory', { resourceGroup, name: 'adf-test-1234', lake: { accountId: 'account-id', accountName: 'acmetestdl1234' }, keyVaultId: 'vault-id', datasets, databricks });
}

const workspace = { workspaceId: 'workspace-id', workspaceUrl: 'adb-1.1.azuredatabricks.net', clusterVersion: '15.4.x-scala2.12', nodeType: 'Standard_D4ds_v5', minWorkers: 1, maxWorkers: 2 };

describe('IngestionFactory', () => {
  test('exposes the pipeline of each dataset', () => {
    const ingestion = factory(['orders']);
    expect(ingestion.pipelineFor('orders').nameInput).toBe('ingest_orders');
    expect(() => ingestion.pipelineFor('products')).toThrow('pipelineFor: dataset "products" has no pipeline in this factory; datasets: orders');
  });

  test('fails when given a stream dataset, naming it', () => {
    expect(() => factory(['orders', 'web_events'])).toThrow('IngestionFactory: dataset "web_events" has a stream source, which Data Factory does not copy in batches; sources: database, api, files');
  });

  test('links a Databricks workspace with the factory\'s managed identity', () => {
    const json = JSON.parse(Testing.synth(TerraformStack.of(factory(['orders'], workspace))));
    expect(Object.values<any>(json.resource.azurerm_data_factory_linked_service_azure_databricks)).toEqual([
      expect.objectContaining({ name: 'ls_databricks', adb_domain: 'https://adb-1.1.azuredatabricks.net', msi_work_space_resource_id: 'workspace-id' }),
    ]);
  });

  test('fails when the Databricks job clusters have an impossible size', () => {
    expect(() => factory(['orders'], { ...workspace, minWorkers: 3, maxWorkers: 2 })).toThrow(
      'IngestionFactory: databricks.minWorkers (3) and maxWorkers (2) must be whole numbers with 1 <= minWorkers <= maxWorkers',
    );
  });
});
