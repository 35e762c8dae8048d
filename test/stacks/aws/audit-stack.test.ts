import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import cdkJson from '../../../cdk.json';
import { AuditTrail } from '../../../constructs/aws';
import { addAwsPolicyGates } from '../../../lib/policy';
import { environmentStacks } from '../../../lib/plan';
import { AuditStack, StorageStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function auditStack(name: string, app: App = testApp()): AuditStack {
  const environment = environmentOf(config, name);
  const storage = new StorageStack(app, { config, environment });
  return new AuditStack(app, { config, environment, accessLogsBucket: storage.dataLake.accessLogs });
}

const templates = new Map<string, Template>();
function templateOf(name: string): Template {
  if (!templates.has(name)) templates.set(name, Template.fromStack(auditStack(name)));
  return templates.get(name) as Template;
}

describe('AuditStack', () => {
  test.each(['dev', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(auditStack(environment))).toMatchSnapshot();
  });

  test('logs management events and S3 data events of exactly the three lake buckets, from every region, with log file validation', () => {
    const template = templateOf('prod');
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0].Properties;
    expect(trail).toMatchObject({
      TrailName: 'acme-prod-audit',
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^TrailKey/), 'Arn'] },
      S3BucketName: { Ref: expect.stringMatching(/^TrailBucket/) },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/^TrailLogs/), 'Arn'] },
    });
    const [management, data] = trail.AdvancedEventSelectors;
    // No readOnly selector: reads and writes alike; management events of every source, Lake Formation and Glue included.
    expect(management.FieldSelectors).toEqual([{ Field: 'eventCategory', Equals: ['Management'] }]);
    expect(data.FieldSelectors.slice(0, 2)).toEqual([
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    ]);
    const arns = data.FieldSelectors[2];
    expect(arns.Field).toBe('resources.ARN');
    expect(arns.StartsWith.map((arn: unknown) => JSON.stringify(arn))).toEqual(
      ['bronze', 'silver', 'gold'].map((layer) => expect.stringContaining(`:s3:::acme-prod-${layer}-333333333333-eu-west-1/`)),
    );
    expect(JSON.stringify(trail.AdvancedEventSelectors)).not.toMatch(/ReadOnly/);
  });

  test.each<[string, string, number]>([
    ['dev', 'GOVERNANCE', 90],
    ['prod', 'COMPLIANCE', 365],
  ])('keeps log files in %s under Object Lock (%s) for the audit retention, then expires them', (name, mode, days) => {
    const template = templateOf(name);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: `acme-${name}-audit-logs-${environmentOf(config, name).aws?.account}-eu-west-1`,
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: days } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'audit-logs/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: days, NoncurrentVersionExpiration: { NoncurrentDays: 1 } })] },
    });
  });

  test('lets only this trail write to the bucket and use the key, and refuses plain HTTP', () => {
    const template = templateOf('prod');
    const trailArn = 'arn:aws:cloudtrail:eu-west-1:333333333333:trail/acme-prod-audit';
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Sid: 'AllowThisTrailToCheckTheBucketAcl', Action: 's3:GetBucketAcl', Condition: { StringEquals: { 'aws:SourceArn': trailArn } } }),
          Match.objectLike({
            Sid: 'AllowThisTrailToWriteLogFiles',
            Action: 's3:PutObject',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowThisTrailToEncryptLogFiles',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Condition: {
              StringEquals: { 'aws:SourceArn': trailArn },
              StringLike: {
                'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:333333333333:trail/*',
              },
            },
          }),
          Match.objectLike({ Sid: 'AllowThisTrailToDescribeTheKey', Action: 'kms:DescribeKey', Condition: { StringEquals: { 'aws:SourceArn': trailArn } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-prod-audit' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/cloudtrail/acme-prod-audit',
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailKey'), 'Arn'] },
    });
  });

  test('passes cdk-nag and the Control Tower rules in every environment', () => {
    const app = new App({ context: cdkJson.context, outdir: join(tmpdir(), `audit-gates-${process.pid}`) });
    addAwsPolicyGates(app);
    for (const environment of ['dev', 'staging', 'prod']) auditStack(environment, app);
    expect(() => app.synth()).not.toThrow();
  });

  test('is planned after storage, and not at all when the environment uses an organisation trail', () => {
    const planned = (c: typeof config, env: string) => environmentStacks(c, environmentOf(c, env)).map((stack) => stack.name);
    const prod = environmentStacks(config, environmentOf(config, 'prod'));
    expect(prod.find((stack) => stack.concern === 'audit')).toMatchObject({
      name: 'acme-prod-audit',
      dependsOn: [expect.objectContaining({ stack: 'acme-prod-storage' })],
    });
    const withOrgTrail = configWith((d) => (d.environments.prod.audit = { organizationTrail: 'org-trail' }));
    expect(planned(withOrgTrail, 'prod')).not.toContain('acme-prod-audit');
    expect(planned(withOrgTrail, 'dev')).toContain('acme-dev-audit');
  });
});

describe('AuditTrail', () => {
  test('keeps the CloudWatch copy at least a year, and as long as the retention', () => {
    const retentionOf = (retentionDays: number) => {
      const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
      const buckets = [new Bucket(stack, 'Lake')];
      new AuditTrail(stack, 'Trail', {
        trailName: 't-audit',
        dataEventBuckets: buckets,
        serverAccessLogsBucket: buckets[0],
        retentionDays,
        keyAliasName: 'alias/t',
      });
      return Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'))[0].Properties.RetentionInDays;
    };
    expect(retentionOf(90)).toBe(365);
    expect(retentionOf(400)).toBe(400);
    expect(retentionOf(500)).toBe(545);
  });

  test('fails when it is given no bucket to log', () => {
    const stack = new Stack(testApp(), 'S');
    expect(
      () => new AuditTrail(stack, 'Trail', { trailName: 't', dataEventBuckets: [], serverAccessLogsBucket: {} as never, keyAliasName: 'alias/t' }),
    ).toThrow('AuditTrail: dataEventBuckets is empty');
  });
});
