/**
 * Example: an ADLS Gen2 medallion lake (default lifecycle) and a Data Factory copying one database table
 * and one landed CSV file set into bronze on their schedules. Type-checked by `tsc`; to synthesize it,
 * run `npx ts-node --swc constructs/azure/examples/adls-ingestion.ts`.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, TerraformStack } from 'cdktf';
import { AdlsDataLake, IngestionFactory } from '..';

export function adlsIngestionExample(app = new App()): TerraformStack {
  const stack = new TerraformStack(app, 'adls-ingestion-example');
  new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-example-data', location: 'westeurope' });
  const lake = new AdlsDataLake(stack, 'DataLake', { resourceGroup, accountName: 'exampledatalake01', replication: 'ZRS' });
  const ingestion = new IngestionFactory(stack, 'DataFactory', {
    resourceGroup,
    name: 'adf-example-01',
    lake: { accountId: lake.account.id, accountName: lake.accountName },
    keyVaultId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-example-security/providers/Microsoft.KeyVault/vaults/kv-example-01',
    datasets: [
      {
        name: 'orders',
        domain: 'sales',
        format: 'parquet',
        // Rows whose updated_at is past the stored watermark, then the watermark moves (incremental-copy.ts).
        source: { kind: 'database', engine: 'postgres', connectionSecret: 'orders-db', table: 'public.orders', changeTrackingColumn: 'updated_at' },
        columns: [
          { name: 'order_id', type: 'bigint' },
          { name: 'amount', type: 'decimal(12,2)' },
          { name: 'updated_at', type: 'timestamp' },
        ],
        sourceDescription: 'postgres:public.orders',
        schedule: '0 2 * * *',
      },
    ],
  });
  // Datasets can also be added one by one; each is a DatasetCopyPipeline under the factory.
  ingestion.addDatasetCopy({
    name: 'products',
    domain: 'sales',
    format: 'csv',
    source: { kind: 'files', pathPattern: 'incoming/products/*.csv', delimiter: ';' },
    columns: [
      { name: 'product_id', type: 'string' },
      { name: 'price', type: 'decimal(10,2)' },
    ],
    sourceDescription: '_landing/incoming/products/*.csv',
    schedule: '30 1 * * *',
  });
  return stack;
}

if (require.main === module) (TerraformStack.of(adlsIngestionExample()).node.root as App).synth();
