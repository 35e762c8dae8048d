import { Template } from 'aws-cdk-lib/assertions';
import { AnalyticsStack, StorageStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function analyticsStack(name: string): AnalyticsStack {
  const app = testApp();
  const environment = environmentOf(config, name);
  const storage = new StorageStack(app, { config, environment });
  return new AnalyticsStack(app, { config, environment, encryptionKey: storage.dataLake.key, accessLogsBucket: storage.dataLake.accessLogs });
}

describe('AnalyticsStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(analyticsStack(environment))).toMatchSnapshot();
  });

  test('names the workgroup and its results bucket from the naming functions', () => {
    const template = Template.fromStack(analyticsStack('prod'));
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'acme-prod-analytics' });
    template.hasResource('AWS::S3::Bucket', { Properties: { BucketName: 'acme-prod-athena-results-333333333333-eu-west-1' }, DeletionPolicy: 'Retain' });
  });
});
