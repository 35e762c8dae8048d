/**
 * Example: an environment's Unity Catalog (metastore assignment, credential, a location per lake filesystem,
 * a schema per layer plus `ml`) and one ML use case: its MLflow experiment and registered model with grants.
 * Type-checked by `tsc`; to synthesize it, run `npx ts-node --swc constructs/databricks/examples/ml-use-case.ts`.
 */
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { LakehouseCatalog, MlUseCase } from '..';

export function mlUseCaseExample(app = new App()): TerraformStack {
  const stack = new TerraformStack(app, 'ml-use-case-example');
  const provider = new DatabricksProvider(stack, 'databricks', { alias: 'workspace', host: 'https://adb-1234567890123456.7.azuredatabricks.net' });
  const scientists = [{ principal: 'data-scientists', privileges: ['USE_SCHEMA', 'CREATE_MODEL'] }];
  const catalog = new LakehouseCatalog(stack, 'UnityCatalog', {
    provider,
    metastoreId: '00000000-0000-0000-0000-000000000000',
    workspaceId: '1234567890123456',
    catalogName: 'example',
    accessConnectorId:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-example/providers/Microsoft.Databricks/accessConnectors/ac-example',
    credentialName: 'example',
    filesystemUrls: {
      bronze: 'abfss://bronze@exampledl01.dfs.core.windows.net/',
      silver: 'abfss://silver@exampledl01.dfs.core.windows.net/',
      gold: 'abfss://gold@exampledl01.dfs.core.windows.net/',
      'bronze-work': 'abfss://bronze-work@exampledl01.dfs.core.windows.net/',
    },
    grants: {
      catalog: [{ principal: 'data-scientists', privileges: ['USE_CATALOG'] }],
      schemas: { gold: [{ principal: 'data-scientists', privileges: ['USE_SCHEMA', 'SELECT'] }], ml: scientists },
      externalLocations: {},
      registeredModels: {},
    },
  });
  new MlUseCase(stack, 'churn-ml', {
    provider,
    name: 'churn',
    description: 'Predicts which customers cancel within 30 days',
    experimentPath: '/Shared/example/ml/churn',
    catalog,
    catalogName: 'example',
    schemaName: 'ml',
    featureTables: ['example.gold.customer_features'],
    modelGrants: [
      { principal: 'data-scientists', privileges: ['ALL_PRIVILEGES'] },
      { principal: 'analysts', privileges: ['EXECUTE'] },
    ],
    ownerGroups: ['data-scientists'],
    readerGroups: ['analysts'],
  });
  return stack;
}

if (require.main === module) (TerraformStack.of(mlUseCaseExample()).node.root as App).synth();
