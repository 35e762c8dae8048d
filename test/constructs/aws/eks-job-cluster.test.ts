import { Stack } from 'aws-cdk-lib';
import { IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EksJobCluster } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function vpcWith(maxAzs: number) {
  const stack = new Stack(testApp(), 'Kubernetes', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    ipAddresses: IpAddresses.cidr('10.0.0.0/16'),
    maxAzs,
    natGateways: 0,
    subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED }],
  });
  return { stack, vpc, key: new Key(stack, 'Key') };
}

describe('EksJobCluster', () => {
  test('fails when the version is not a Kubernetes minor version', () => {
    const { stack, vpc, key } = vpcWith(2);
    expect(() => new EksJobCluster(stack, 'Eks', { clusterName: 'acme-dev-jobs', version: '1.33.2', vpc, secretsEncryptionKey: key })).toThrow(
      'version (1.33.2) must be a Kubernetes minor version such as 1.33',
    );
  });

  test('fails when the VPC has isolated subnets in fewer than two zones', () => {
    const { stack, vpc, key } = vpcWith(1);
    expect(() => new EksJobCluster(stack, 'Eks', { clusterName: 'acme-dev-jobs', version: '1.33', vpc, secretsEncryptionKey: key })).toThrow(
      'vpc has 1 isolated subnet(s); EKS needs subnets in at least two availability zones',
    );
  });
});
