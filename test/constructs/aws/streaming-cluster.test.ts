import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { StreamingCluster } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function cluster(maxAzs = 2) {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', { maxAzs, natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED }] });
  const created = new StreamingCluster(stack, 'Cluster', { clusterName: 'acme-dev-streaming', vpc });
  return { stack, vpc, created };
}

describe('StreamingCluster', () => {
  test('authenticates with IAM only and admits nobody until a client is allowed, then on 9098 only', () => {
    const { stack, vpc, created } = cluster();
    created.allowClientsFrom(new SecurityGroup(stack, 'Clients', { vpc }), 'clients');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::MSK::ServerlessCluster', {
      ClusterName: 'acme-dev-streaming',
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
    });
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { FromPort: 9098, ToPort: 9098 }, 1);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
  });

  test('names topics and consumer groups by the cluster name, any UUID, known at synth (no token)', () => {
    const { created } = cluster();
    expect(created.topicArn('web.clickstream.v1')).toBe('arn:aws:kafka:eu-west-1:111111111111:topic/acme-dev-streaming/*/web.clickstream.v1');
    expect(created.groupArn('acme-dev-stream-web_events*')).toBe('arn:aws:kafka:eu-west-1:111111111111:group/acme-dev-streaming/*/acme-dev-stream-web_events*');
  });

  test('fails with fewer than two subnets', () => {
    expect(() => cluster(1)).toThrow('vpcSubnets selects 1 subnet(s); MSK Serverless needs at least two');
  });
});
