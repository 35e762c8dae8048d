import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InterfaceVpcEndpointAwsService } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { DataPlatformNetwork, type DataPlatformNetworkProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function networkTemplate(props: Partial<DataPlatformNetworkProps> = {}) {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new DataPlatformNetwork(stack, 'Network', { region: 'eu-west-1', encryptionKey: new Key(stack, 'Key'), cidr: '10.10.0.0/16', ...props });
  return Template.fromStack(stack);
}

describe('DataPlatformNetwork', () => {
  test('has only isolated subnets: no internet gateway, no NAT gateway', () => {
    const template = networkTemplate();
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.10.0.0/16' });
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('records all traffic in flow logs encrypted with the key', () => {
    const template = networkTemplate();
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] }, RetentionInDays: 365 });
  });

  test('reaches S3 through a gateway endpoint and Glue, STS, KMS, Logs, Secrets Manager and EMR through private interface endpoints', () => {
    const template = networkTemplate();
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
    const interfaces = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    expect(interfaces.map((e) => e.Properties.ServiceName)).toEqual(
      ['glue', 'sts', 'kms', 'logs', 'secretsmanager', 'elasticmapreduce'].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    for (const endpoint of interfaces) expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
  });

  test('lets only the VPC reach the endpoints, on 443', () => {
    networkTemplate().hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '10.10.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
      SecurityGroupEgress: Match.anyValue(),
    });
  });

  test('lets CloudFormation pick the zones, so synth needs no lookup', () => {
    const azs = Object.values(networkTemplate({ maxAzs: 3 }).findResources('AWS::EC2::Subnet')).map((subnet) => subnet.Properties.AvailabilityZone);
    expect(azs).toEqual([0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': 'eu-west-1' }] })));
  });

  test('fails when maxAzs is outside 1-6', () => {
    expect(() => networkTemplate({ maxAzs: 0 })).toThrow('maxAzs (0) must be a whole number from 1 to 6');
  });

  test('hands out its interface endpoints by service, once each, and fails naming those it has for another', () => {
    const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const network = new DataPlatformNetwork(stack, 'Network', {
      region: 'eu-west-1',
      encryptionKey: new Key(stack, 'Key'),
      interfaceEndpoints: [InterfaceVpcEndpointAwsService.ATHENA, InterfaceVpcEndpointAwsService.APIGATEWAY, InterfaceVpcEndpointAwsService.ATHENA],
    });
    expect(network.interfaceEndpoint(InterfaceVpcEndpointAwsService.APIGATEWAY).node.id).toBe('ExecuteapiEndpoint');
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 3); // Athena, execute-api and the S3 gateway
    expect(() => network.interfaceEndpoint(InterfaceVpcEndpointAwsService.GLUE)).toThrow(
      'the network has no interface endpoint for glue; endpoints: AthenaEndpoint, ExecuteapiEndpoint',
    );
  });
});
