import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { buildAwsApp } from '../../../bin/aws-app';
import { StorageStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function storageStack(environment: string): StorageStack {
  return new StorageStack(testApp(), { config, environment: environmentOf(config, environment) });
}

describe('StorageStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(storageStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-storage and deploys to the environment account and region', () => {
    const stack = storageStack('prod');
    expect(stack.stackName).toBe('acme-prod-storage');
    expect(stack.account).toBe('333333333333');
    expect(stack.region).toBe('eu-west-1');
    expect(stack.terminationProtection).toBe(true);
    expect(storageStack('dev').terminationProtection).toBe(false);
  });

  test('names buckets and the key alias from the naming functions', () => {
    const template = Template.fromStack(storageStack('prod'));
    for (const layer of ['bronze', 'silver', 'gold', 'access-logs']) {
      template.hasResourceProperties('AWS::S3::Bucket', { BucketName: `acme-prod-${layer}-333333333333-eu-west-1` });
    }
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-prod-data' });
  });

  test('production retains every bucket and the key; dev deletes them as its definition says', () => {
    const prod = Template.fromStack(storageStack('prod'));
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(prod.findResources(type))) expect(resource.DeletionPolicy).toBe('Retain');
    }
    const dev = Template.fromStack(storageStack('dev'));
    for (const resource of Object.values(dev.findResources('AWS::S3::Bucket'))) expect(resource.DeletionPolicy).toBe('Delete');
  });

  test.each([
    ['dev', 'GOVERNANCE', 7],
    ['staging', 'GOVERNANCE', 365],
    ['prod', 'COMPLIANCE', 365],
  ])('locks bronze in %s in %s mode for %d days', (environment, mode, days) => {
    const account = environmentOf(config, environment).aws!.account;
    Template.fromStack(storageStack(environment)).hasResourceProperties('AWS::S3::Bucket', {
      BucketName: `acme-${environment}-bronze-${account}-eu-west-1`,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: days } } },
    });
  });

  test('exempts only the deployment role and the lake admin group from the bronze denies, and lets streaming checkpoints be replaced', () => {
    const template = Template.fromStack(storageStack('prod'));
    const statements = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const lift = statements.find((s) => s.Sid === 'DenyLiftingTheObjectLock');
    expect(JSON.stringify(lift.Condition)).toContain('cdk-hnb659fds-cfn-exec-role-333333333333-eu-west-1');
    expect(JSON.stringify(lift.Condition)).toContain(`role/${config.groups['data-engineering'].awsRoleName}`);
    const del = statements.find((s) => s.Sid === 'DenyDeletingLockedRecords');
    expect(JSON.stringify(del.NotResource)).toContain('/_checkpoints/*');
    expect(statements.filter((s) => s.Sid === 'DenyLiftingTheObjectLock')).toHaveLength(1);
  });

  test('applies the environment lifecycle override', () => {
    Template.fromStack(storageStack('dev')).hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-dev-bronze-111111111111-eu-west-1',
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] },
    });
  });

  test('tags every bucket with the standard tags and the highest data classification', () => {
    const template = Template.fromStack(storageStack('staging'));
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-staging-gold-222222222222-eu-west-1',
      Tags: [
        { Key: 'cost-center', Value: 'cc-4410' },
        { Key: 'data-classification', Value: 'pii' },
        { Key: 'environment', Value: 'staging' },
        { Key: 'owner', Value: 'data-platform-team' },
        { Key: 'platform', Value: 'acme' },
      ],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Tags: [
        { Key: 'cost-center', Value: 'cc-4410' },
        { Key: 'environment', Value: 'staging' },
        { Key: 'owner', Value: 'data-platform-team' },
        { Key: 'platform', Value: 'acme' },
      ],
    });
  });

  test('keeps the logical ids of stateful resources (renaming one would replace data)', () => {
    const template = Template.fromStack(storageStack('prod'));
    const stateful = [...Object.keys(template.findResources('AWS::S3::Bucket')), ...Object.keys(template.findResources('AWS::KMS::Key'))].sort();
    expect(stateful).toEqual(['DataLakeAccessLogs1F325EF8', 'DataLakeBronzeA34E6306', 'DataLakeGoldA0C99C28', 'DataLakeKey71DC2C03', 'DataLakeSilver747F1751']);
  });
});

describe('AWS policy gates', () => {
  // The failure cases need one environment: the gates treat every environment's stacks alike.
  const devOnly = { ...config, environments: [environmentOf(config, 'dev')] };

  test('fails synthesis on an unacknowledged Control Tower finding while other findings of the app are acknowledged', () => {
    const app = buildAwsApp(devOnly, { outdir: join(tmpdir(), `gates-ct-${process.pid}`) });
    // SSE-S3 results satisfy cdk-nag (AwsSolutions-ATH1) but not Control Tower (CT.ATHENA.PR.2): only the second gate catches it.
    new CfnWorkGroup(app.node.findChild('acme-dev-storage') as StorageStack, 'Unencrypted', {
      name: 'unencrypted',
      workGroupConfiguration: { enforceWorkGroupConfiguration: true, resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_S3' } } },
    });
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).toThrow(/CT\.ATHENA\.PR\.2/);
    } finally {
      log.mockRestore();
    }
  });

  test('fails synthesis on an unacknowledged finding', () => {
    const app = buildAwsApp(devOnly, { outdir: join(tmpdir(), `gates-fail-${process.pid}`) });
    const stack = app.node.findChild('acme-dev-storage') as StorageStack;
    new Bucket(stack, 'Unguarded');
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).toThrow(/AwsSolutions-S1[\s\S]*CT\.S3\.PR\.10/);
    } finally {
      log.mockRestore();
    }
  });
});
