import {
  clusterPolicyName,
  databricksAccessConnectorName,
  databricksManagedResourceGroupName,
  databricksWorkspaceName,
  dbfsStorageAccountName,
  dbtJobName,
  dltPipelineName,
  keyVaultSecretScopeName,
  mlflowExperimentPath,
  qualifiedTableName,
  serverlessConnectivityName,
  sqlWarehouseName,
  unityCatalogBronzeTable,
  unityCatalogLayerSchema,
  unityCatalogName,
} from '../../lib/naming';

const scope = { prefix: 'acme', environment: 'prod' };

describe('Databricks names', () => {
  test('compose the lakehouse resources of an environment', () => {
    expect(databricksWorkspaceName(scope)).toBe('dbw-acme-prod');
    expect(databricksAccessConnectorName(scope)).toBe('dbac-acme-prod');
    expect(databricksManagedResourceGroupName(scope)).toBe('rg-acme-prod-databricks-managed');
    expect(dbfsStorageAccountName(scope, '8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1')).toMatch(/^acmeproddbfs[0-9a-f]{4}$/);
    expect(dltPipelineName(scope, 'marketing')).toBe('acme-prod-dlt-marketing');
    expect(dbtJobName(scope)).toBe('acme-prod-dbt');
    expect(clusterPolicyName(scope, 'job')).toBe('acme-prod-job-compute');
    expect(sqlWarehouseName(scope)).toBe('acme-prod-sql');
    expect(keyVaultSecretScopeName(scope)).toBe('acme-prod-key-vault');
    expect(serverlessConnectivityName(scope)).toBe('acme-prod-serverless');
    expect(mlflowExperimentPath(scope, 'customer_churn')).toBe('/Shared/acme-prod/ml/customer_churn');
  });

  test("put every dataset's bronze table in the bronze schema of the environment's catalog, under the dataset's name", () => {
    expect(unityCatalogLayerSchema('silver')).toBe('silver');
    expect(unityCatalogBronzeTable({ name: 'order_items' })).toEqual({ schema: 'bronze', table: 'order_items' });
    expect(qualifiedTableName(unityCatalogName(scope), unityCatalogBronzeTable({ name: 'web_events' }))).toBe('acme_prod.bronze.web_events');
  });

  test('fails when a dataset name is no Unity Catalog identifier', () => {
    expect(() => unityCatalogBronzeTable({ name: 'Web-Events' })).toThrow(/^Unity Catalog identifier name "Web-Events"/);
  });

  test('fails when a composed name breaks its limits, saying which', () => {
    expect(() => dltPipelineName(scope, 'd'.repeat(90))).toThrow(
      /^Databricks pipeline, job, policy or SQL warehouse name "acme-prod-dlt-d+" is 104 characters; allowed: 1-100$/,
    );
    expect(() => dbfsStorageAccountName({ prefix: 'acmecorporat', environment: 'staging' }, 'x')).toThrow(
      /Azure storage account \(DBFS root\) name "acmecorporatstagingdbfs[0-9a-f]{4}" is 27 characters; allowed: 3-24/,
    );
  });
});
