import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { Code, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  DatasetIngestionJob,
  DatasetQualityRuleset,
  GLUE_INGEST_SCRIPT_PATH,
  IngestionJobRole,
  LakeFormationAccessTags,
  LakeFormationSettings,
  SourceConnections,
} from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

const newStack = () => new Stack(testApp(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });

describe('LakeFormationSettings', () => {
  test('fails when no administrator is given', () => {
    expect(() => new LakeFormationSettings(newStack(), 'LakeFormation', { adminArns: [] })).toThrow('adminArns must name at least one administrator');
  });
});

describe('LakeFormationAccessTags', () => {
  test('fails when there is no domain for the domain tag', () => {
    expect(() => new LakeFormationAccessTags(newStack(), 'Access', { groups: [], domainTagKey: 'acme_dev_domain', domains: [] })).toThrow(
      'domains must list at least one domain',
    );
  });

  test('grants only the access values a group holds', () => {
    const stack = newStack();
    new LakeFormationAccessTags(stack, 'Access', {
      domainTagKey: 'acme_dev_domain',
      domains: ['sales'],
      groups: [
        {
          group: 'analysts',
          tagKey: 'acme_dev_access_analysts',
          principalArn: 'arn:aws:iam::111111111111:role/acme-analysts',
          reads: true,
          owns: false,
          databaseNames: ['acme_dev_gold'],
        },
      ],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::LakeFormation::Tag', 2);
    // One tag-policy grant (read) and one DESCRIBE on the gold database.
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
  });
});

describe('SourceConnections', () => {
  test('fails when two connections share a name', () => {
    const stack = newStack();
    const vpc = new Vpc(stack, 'Vpc');
    const connection = { connectionName: 'acme-dev-jdbc-crm', secretName: 'crm', engine: 'postgres' };
    expect(() => new SourceConnections(stack, 'Sources', { vpc, subnet: vpc.privateSubnets[0], connections: [connection, connection] })).toThrow(
      'connections: "acme-dev-jdbc-crm" is listed more than once',
    );
  });
});

describe('IngestionJobRole', () => {
  const props = (stack: Stack) => ({
    bronzeBucket: Bucket.fromBucketName(stack, 'Bronze', 'acme-dev-bronze-111111111111-eu-west-1'),
    writePrefixes: ['sales/'],
    encryptionKey: new Key(stack, 'Key'),
    databaseName: 'acme_dev_bronze',
    logGroup: new LogGroup(stack, 'Logs'),
    securityConfigurationName: 'acme-dev-glue',
    scriptObjectArns: ['arn:aws:s3:::assets/script.py'],
    roleName: 'acme-dev-ingest-sales',
  });

  test('fails when it would write nowhere', () => {
    const stack = newStack();
    expect(() => new IngestionJobRole(stack, 'Role', { ...props(stack), writePrefixes: [] })).toThrow('writePrefixes must list at least one prefix');
  });
});

describe('DatasetIngestionJob', () => {
  const props = (stack: Stack) => ({
    jobName: 'acme-dev-ingest-orders',
    description: 'orders',
    script: Code.fromAsset(GLUE_INGEST_SCRIPT_PATH),
    role: new Role(stack, 'Role', { assumedBy: new ServicePrincipal('glue.amazonaws.com') }),
    scriptArguments: { '--dataset': 'orders' },
    securityConfiguration: SecurityConfiguration.fromSecurityConfigurationName(stack, 'Security', 'acme-dev-glue'),
    logGroup: new LogGroup(stack, 'Logs'),
  });

  test('fails when maxWorkers is below the two workers a Glue Spark job needs', () => {
    const stack = newStack();
    expect(() => new DatasetIngestionJob(stack, 'Job', { ...props(stack), maxWorkers: 1 })).toThrow('maxWorkers (1) must be a whole number from 2 to 1000');
  });

  test('fails when the script arguments try to set what the construct sets', () => {
    const stack = newStack();
    expect(() => new DatasetIngestionJob(stack, 'Job', { ...props(stack), scriptArguments: { '--job-bookmark-option': 'job-bookmark-disable' } })).toThrow(
      'scriptArguments: --job-bookmark-option are set by DatasetIngestionJob itself',
    );
  });
});

describe('DatasetQualityRuleset', () => {
  test('fails when the rules are not a DQDL ruleset', () => {
    expect(
      () =>
        new DatasetQualityRuleset(newStack(), 'Rules', {
          rulesetName: 'acme-dev-dq-orders',
          dqdl: 'IsComplete "id"',
          databaseName: 'acme_dev_bronze',
          tableName: 'orders',
        }),
    ).toThrow('dqdl must be a DQDL ruleset of the form "Rules = [ ... ]"');
  });
});
