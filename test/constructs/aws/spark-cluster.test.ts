import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ArtifactsBucket, EmrSecurityConfiguration, runJobFlowRequest, SparkCluster, type SparkClusterProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function setup() {
  const stack = new Stack(testApp(), 'Processing', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    ipAddresses: IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED }],
  });
  const encryptionKey = new Key(stack, 'Key');
  const securityConfiguration = new EmrSecurityConfiguration(stack, 'Security', {
    name: 'acme-dev-spark',
    encryptionKey,
    tlsCertificatesZip: 's3://artifacts/tls/certs.zip',
  });
  const base: SparkClusterProps = {
    clusterName: 'acme-dev-spark',
    vpc,
    encryptionKey,
    securityConfiguration,
    artifactsBucket: new Bucket(stack, 'Artifacts'),
    readBuckets: [new Bucket(stack, 'Bronze')],
    writeBuckets: [new Bucket(stack, 'Silver')],
    glueDatabases: ['acme_dev_bronze', 'acme_dev_silver'],
    minWorkers: 1,
    maxWorkers: 3,
    idleTimeoutMinutes: 30,
  };
  return { stack, base, encryptionKey };
}

describe('SparkCluster', () => {
  test('sizes managed scaling and the idle timeout from its props', () => {
    const { stack, base } = setup();
    new SparkCluster(stack, 'Spark', { ...base, minWorkers: 2, maxWorkers: 5, idleTimeoutMinutes: 45, stepConcurrencyLevel: 2 });
    Template.fromStack(stack).hasResourceProperties('AWS::EMR::Cluster', {
      ManagedScalingPolicy: { ComputeLimits: { MinimumCapacityUnits: 2, MaximumCapacityUnits: 5, MaximumCoreCapacityUnits: 5 } },
      AutoTerminationPolicy: { IdleTimeout: 2700 },
      StepConcurrencyLevel: 2,
    });
  });

  test('tags its security groups for the scoped EMR service policy and opens nothing to the outside', () => {
    const { stack, base } = setup();
    new SparkCluster(stack, 'Spark', base);
    const groups = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup');
    for (const group of Object.values(groups).filter((g) => /EMR/.test(g.Properties.GroupDescription))) {
      expect(group.Properties.Tags).toContainEqual({ Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' });
      expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
    }
  });

  test('publishes the RunJobFlow request that creates the same cluster again, with its tags', () => {
    const { stack, base } = setup();
    const spark = new SparkCluster(stack, 'Spark', {
      ...base,
      minWorkers: 2,
      maxWorkers: 6,
      specParameterName: '/acme/dev/spark/run-job-flow',
      clusterTags: { platform: 'acme', environment: 'dev' },
    });
    const request = stack.resolve(runJobFlowRequest(spark.cluster, { platform: 'acme', environment: 'dev' }));
    expect(request).toMatchObject({
      Name: 'acme-dev-spark',
      ReleaseLabel: 'emr-7.14.0',
      SecurityConfiguration: 'acme-dev-spark',
      Instances: {
        KeepJobFlowAliveWhenNoSteps: true,
        InstanceGroups: [
          {
            Name: 'Primary',
            InstanceRole: 'MASTER',
            InstanceCount: 1,
            EbsConfiguration: { EbsBlockDeviceConfigs: [{ VolumeSpecification: { SizeInGB: 64, VolumeType: 'gp3' } }] },
          },
          { Name: 'Core', InstanceRole: 'CORE', InstanceCount: 2 },
        ],
      },
      ManagedScalingPolicy: { ComputeLimits: { MinimumCapacityUnits: 2, MaximumCapacityUnits: 6 } },
      AutoTerminationPolicy: { IdleTimeout: 1800 },
      Configurations: expect.arrayContaining([expect.objectContaining({ Classification: 'spark-hive-site', Properties: expect.any(Object) })]),
      Tags: [
        { Key: 'platform', Value: 'acme' },
        { Key: 'environment', Value: 'dev' },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Parameter', { Name: '/acme/dev/spark/run-job-flow', Type: 'String' });
  });

  test('fails when maxWorkers is below minWorkers', () => {
    const { stack, base } = setup();
    expect(() => new SparkCluster(stack, 'Spark', { ...base, minWorkers: 4, maxWorkers: 2 })).toThrow('maxWorkers (2) must be at least minWorkers (4)');
  });

  test('fails when the idle timeout is not a whole number of minutes', () => {
    const { stack, base } = setup();
    expect(() => new SparkCluster(stack, 'Spark', { ...base, idleTimeoutMinutes: 0.5 })).toThrow(
      'idleTimeoutMinutes (0.5) must be a whole number of minutes from 1 to 10080',
    );
  });

  test('fails when the subnet selection selects nothing', () => {
    const { stack, base } = setup();
    expect(() => new SparkCluster(stack, 'Spark', { ...base, vpcSubnets: { subnetGroupName: 'missing' } })).toThrow(/missing/);
  });
});

describe('EmrSecurityConfiguration', () => {
  test('fails when the certificates are not an s3:// zip', () => {
    const { stack, encryptionKey } = setup();
    expect(() => new EmrSecurityConfiguration(stack, 'Bad', { name: 'x', encryptionKey, tlsCertificatesZip: 'https://example.com/certs.zip' })).toThrow(
      'tlsCertificatesZip (https://example.com/certs.zip) must be the s3:// URL of a .zip object, e.g. s3://<bucket>/tls/emr-in-transit.zip',
    );
  });
});

describe('ArtifactsBucket', () => {
  test('fails when the log retention is not a whole number of days', () => {
    const { stack, encryptionKey } = setup();
    expect(
      () => new ArtifactsBucket(stack, 'Artifacts2', { encryptionKey, serverAccessLogsBucket: new Bucket(stack, 'Logs'), logsExpireAfterDays: 0 }),
    ).toThrow('logsExpireAfterDays (0) must be a whole number of days, at least 1');
  });
});
