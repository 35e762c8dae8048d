import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { testApp } from '../../fixtures/cdk-app';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { MedallionBucket, type MedallionBucketProps } from '../../../constructs/aws';
import type { LayerLifecycle } from '../../../lib/definition';
import { DEFAULT_LIFECYCLE } from '../../../lib/config';

const LIFECYCLE: LayerLifecycle = {
  infrequentAccessAfterDays: 30,
  archiveAfterDays: 180,
  expireAfterDays: 400,
  noncurrentVersionExpireAfterDays: 30,
  abortIncompleteMultipartUploadAfterDays: 7,
};

/** Every statement of every bucket policy of a template (the log bucket has one too). */
function bucketPolicyStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function bucketStack(props: Partial<MedallionBucketProps> = {}) {
  const stack = new Stack(testApp(), 'S');
  const key = new Key(stack, 'Key');
  const logs = new Bucket(stack, 'Logs');
  const bucket = new MedallionBucket(stack, 'Bronze', { layer: 'bronze', encryptionKey: key, serverAccessLogsBucket: logs, lifecycle: LIFECYCLE, ...props });
  return {
    stack,
    bucket,
    key,
    get template() {
      return Template.fromStack(stack);
    },
  };
}

describe('MedallionBucket', () => {
  test('encrypts with the customer-managed key and S3 bucket keys', () => {
    const { stack, key, template } = bucketStack();
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(key.keyArn) } },
        ],
      },
    });
  });

  test('blocks public access, disables ACLs and keeps versions', () => {
    bucketStack().template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('denies requests without TLS and below TLS 1.2', () => {
    const statements = Object.values(bucketStack().template.findResources('AWS::S3::BucketPolicy'))
      .map((policy) => policy.Properties.PolicyDocument.Statement)
      .flat();
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
  });

  test('logs access to the log bucket under the layer prefix and sends events to EventBridge', () => {
    bucketStack().template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'bronze/' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  test('turns the layer lifecycle into transitions, expiry, noncurrent expiry and multipart clean-up', () => {
    bucketStack().template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'medallion-lifecycle',
            Status: 'Enabled',
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 180 },
            ],
            ExpirationInDays: 400,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      },
    });
  });

  test('leaves out transitions and expiry the lifecycle does not ask for', () => {
    const rules = bucketStack({
      layer: 'gold',
      lifecycle: { noncurrentVersionExpireAfterDays: 14, abortIncompleteMultipartUploadAfterDays: 7 },
    }).template.findResources('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: { LogFilePrefix: 'gold/' } },
    });
    const rule = Object.values(rules)[0].Properties.LifecycleConfiguration.Rules[0];
    expect(rule).not.toHaveProperty('Transitions');
    expect(rule).not.toHaveProperty('ExpirationInDays');
  });

  test("defaults each layer's lifecycle to DEFAULT_LIFECYCLE, as the ADLS lake does", () => {
    const rules = bucketStack({ layer: 'silver', lifecycle: undefined }).template.findResources('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: { LogFilePrefix: 'silver/' } },
    });
    expect(Object.values(rules)[0].Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'medallion-lifecycle',
        Status: 'Enabled',
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: DEFAULT_LIFECYCLE.silver.infrequentAccessAfterDays }],
        NoncurrentVersionExpiration: { NoncurrentDays: DEFAULT_LIFECYCLE.silver.noncurrentVersionExpireAfterDays },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: DEFAULT_LIFECYCLE.silver.abortIncompleteMultipartUploadAfterDays },
      },
    ]);
  });

  test('enables Object Lock on bronze only, by default', () => {
    bucketStack().template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockEnabled: true, LoggingConfiguration: { LogFilePrefix: 'bronze/' } });
    const silver = bucketStack({ layer: 'silver' }).template.findResources('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: { LogFilePrefix: 'silver/' } },
    });
    expect(Object.values(silver)[0].Properties.ObjectLockEnabled ?? false).toBe(false);
  });

  test('locks every object for retainDays, in governance mode unless told otherwise', () => {
    bucketStack({ lifecycle: { ...LIFECYCLE, retainDays: 30 } }).template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
    });
    bucketStack({ lifecycle: { ...LIFECYCLE, retainDays: 365 }, objectLockMode: 'compliance' }).template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
    });
  });

  test('denies everyone but the lock administrators lifting the lock or deleting records', () => {
    const { template } = bucketStack({
      lifecycle: { ...LIFECYCLE, retainDays: 30 },
      lockAdministratorArns: ['arn:aws:iam::111111111111:role/admin'],
      deletableKeyPatterns: ['_checkpoints/*'],
    });
    const statements = bucketPolicyStatements(template);
    const lift = statements.find((s: { Sid?: string }) => s.Sid === 'DenyLiftingTheObjectLock');
    expect(lift).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/admin'] } },
    });
    expect(lift.Action).toEqual(
      expect.arrayContaining([
        's3:PutBucketObjectLockConfiguration',
        's3:PutObjectRetention',
        's3:BypassGovernanceRetention',
        's3:PutObjectLegalHold',
        's3:DeleteObjectVersion',
      ]),
    );
    const del = statements.find((s: { Sid?: string }) => s.Sid === 'DenyDeletingLockedRecords');
    expect(del).toMatchObject({ Effect: 'Deny', Action: 's3:DeleteObject', Principal: { AWS: '*' } });
    expect(JSON.stringify(del.NotResource)).toContain('/_checkpoints/*');
  });

  test('lets Spark writers delete their scratch keys by default, and nothing else', () => {
    const statements = bucketPolicyStatements(bucketStack({ lifecycle: { ...LIFECYCLE, retainDays: 30 } }).template);
    const del = statements.find((s: { Sid?: string }) => s.Sid === 'DenyDeletingLockedRecords');
    const patterns = JSON.stringify(del.NotResource);
    expect(patterns).toContain('/*/_temporary/*');
    expect(patterns).toContain('/*_$folder$');
    expect(del.Condition).toBeUndefined();
  });

  test('puts no lock denies on a bucket without Object Lock', () => {
    const statements = bucketPolicyStatements(bucketStack({ layer: 'gold' }).template);
    expect(statements.filter((s: { Effect: string; Sid?: string }) => s.Sid?.startsWith('DenyLifting') || s.Sid?.startsWith('DenyDeleting'))).toEqual([]);
  });

  test('fails when retainDays is set on a bucket without Object Lock', () => {
    expect(() => bucketStack({ layer: 'gold', lifecycle: { ...LIFECYCLE, retainDays: 30 } })).toThrow(
      'lifecycle.retainDays (30) needs objectLock: true; a bucket without Object Lock cannot retain objects',
    );
  });

  test('fails when objects would expire before their retention ends', () => {
    expect(() => bucketStack({ lifecycle: { ...LIFECYCLE, retainDays: 500 } })).toThrow(
      'lifecycle.expireAfterDays (400) must be at least lifecycle.retainDays (500); locked objects cannot expire earlier',
    );
  });

  test('fails when retainDays is not a positive whole number', () => {
    expect(() => bucketStack({ lifecycle: { ...LIFECYCLE, retainDays: 0 } })).toThrow(
      'lifecycle.retainDays (0) must be a whole number of days from 1 to 36500',
    );
  });

  test('retains the bucket unless told otherwise', () => {
    bucketStack().template.hasResource('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: Match.anyValue() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    bucketStack({ removalPolicy: RemovalPolicy.DESTROY }).template.hasResource('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: Match.anyValue() },
      DeletionPolicy: 'Delete',
    });
  });

  test('tags the bucket with its data classification', () => {
    bucketStack({ dataClassification: 'pii' }).template.hasResourceProperties('AWS::S3::Bucket', { Tags: [{ Key: 'data-classification', Value: 'pii' }] });
  });

  test('grantRead lets a role read objects and decrypt them', () => {
    const { stack, bucket } = bucketStack();
    bucket.grantRead(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('glue.amazonaws.com') }));
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    expect(statements.flatMap((s: { Action: string | string[] }) => s.Action)).toEqual(expect.arrayContaining(['s3:GetObject*', 'kms:Decrypt']));
  });

  test('fails when the lifecycle archives before it moves to infrequent access', () => {
    expect(() => bucketStack({ lifecycle: { ...LIFECYCLE, archiveAfterDays: 20 } })).toThrow(
      'lifecycle: archiveAfterDays (20) must be greater than infrequentAccessAfterDays (30)',
    );
  });

  test('fails when the app does not grant access-log delivery by bucket policy', () => {
    const stack = new Stack(new App(), 'S');
    expect(
      () =>
        new MedallionBucket(stack, 'B', {
          layer: 'gold',
          encryptionKey: new Key(stack, 'K'),
          serverAccessLogsBucket: new Bucket(stack, 'L'),
          lifecycle: LIFECYCLE,
        }),
    ).toThrow('MedallionBucket needs the feature flag "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true');
  });

  test('fails when infrequent access comes before 30 days', () => {
    expect(() => bucketStack({ lifecycle: { ...LIFECYCLE, infrequentAccessAfterDays: 10 } })).toThrow(
      'lifecycle.infrequentAccessAfterDays (10) must be at least 30; S3 moves objects to Standard-IA no earlier',
    );
  });
});
