import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { IngestionFactory } from '../../../constructs/azure/ingestion-factory';
import { exampleConfig } from '../../fixtures/platform';

function factory(datasetNames: string[]) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-ingestion', location: 'westeurope' });
  const datasets = exampleConfig().datasets.filter((dataset) => datasetNames.includes(dataset.name));
  return new IngestionFactory(stack, 'DataFactory', { resourceGroup, name: 'adf-test-1234', lake: { accountId: 'account-id', accountName: 'acmetestdl1234' }, keyVaultId: 'vault-id', datasets });
}

describe('IngestionFactory', () => {
  test('exposes the pipeline of each dataset', () => {
    const ingestion = factory(['orders']);
    expect(ingestion.pipelineFor('orders').nameInput).toBe('ingest_orders');
    expect(() => ingestion.pipelineFor('products')).toThrow('pipelineFor: dataset "products" has no pipeline in this factory; datasets: orders');
  });

  test('fails when given a stream dataset, naming it', () => {
    expect(() => factory(['orders', 'web_events'])).toThrow('IngestionFactory: dataset "web_events" has a stream source, which Data Factory does not copy in batches; sources: database, api, files');
  });
});
