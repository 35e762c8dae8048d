import { App as CdkApp } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Testing } from 'cdktf';
import { datasetIngestionExample } from '../../constructs/aws/examples/dataset-ingestion';
import { medallionLakeExample } from '../../constructs/aws/examples/medallion-lake';
import { adlsIngestionExample } from '../../constructs/azure/examples/adls-ingestion';
import { lakehouseJobsExample } from '../../constructs/databricks/examples/lakehouse-jobs';
import { mlUseCaseExample } from '../../constructs/databricks/examples/ml-use-case';

// The README examples synthesize (cheap: under a second each for CDKTF, about two for the AWS one).
describe('construct package examples', () => {
  test('aws: medallion lake and dataset tables', () => {
    const template = Template.fromStack(medallionLakeExample(new CdkApp({ context: { [S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY]: true } })));
    template.resourceCountIs('AWS::S3::Bucket', 4);
    template.resourceCountIs('AWS::Glue::Table', 3);
  });

  test('aws: dataset ingestion job', () => {
    Template.fromStack(datasetIngestionExample(new CdkApp())).hasResourceProperties('AWS::Glue::Job', { Name: 'example-ingest-orders', GlueVersion: '5.0' });
  });

  test('azure: ADLS lake and Data Factory ingestion', () => {
    const json = JSON.parse(Testing.synth(adlsIngestionExample(Testing.app())));
    expect(Object.keys(json.resource.azurerm_data_factory_pipeline)).toHaveLength(2);
  });

  test('databricks: stream pipeline with its table grants job, and dbt job', () => {
    const json = JSON.parse(Testing.synth(lakehouseJobsExample(Testing.app())));
    expect(Object.keys(json.resource.databricks_pipeline)).toHaveLength(1);
    expect(
      Object.values<any>(json.resource.databricks_job)
        .map((job) => job.name)
        .sort(),
    ).toEqual(['example-dbt', 'example-table-grants']);
  });

  test('databricks: catalog and ML use case', () => {
    const json = JSON.parse(Testing.synth(mlUseCaseExample(Testing.app())));
    expect(Object.values<any>(json.resource.databricks_registered_model)).toEqual([expect.objectContaining({ name: 'churn', schema_name: 'ml' })]);
  });
});
