import { Match, Template } from 'aws-cdk-lib/assertions';
import { NetworkStack, StorageStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function networkStack(name: string): NetworkStack {
  const app = testApp();
  const environment = environmentOf(config, name);
  const storage = new StorageStack(app, { config, environment });
  return new NetworkStack(app, { config, environment, encryptionKey: storage.dataLake.key });
}

describe('NetworkStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(networkStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-network and uses the environment VPC range', () => {
    const stack = networkStack('staging');
    expect(stack.stackName).toBe('acme-staging-network');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
  });

  test('spreads production over three zones and other environments over two', () => {
    expect(Object.keys(Template.fromStack(networkStack('prod')).findResources('AWS::EC2::Subnet'))).toHaveLength(3);
    expect(Object.keys(Template.fromStack(networkStack('dev')).findResources('AWS::EC2::Subnet'))).toHaveLength(2);
  });

  test('encrypts flow logs with the storage stack key and keeps them in production', () => {
    Template.fromStack(networkStack('prod')).hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-storage' }) } },
      DeletionPolicy: 'Retain',
    });
  });
});
