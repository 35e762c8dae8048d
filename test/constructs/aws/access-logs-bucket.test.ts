import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { testApp } from '../../fixtures/cdk-app';
import { AccessLogsBucket } from '../../../constructs/aws';

describe('AccessLogsBucket', () => {
  test('uses S3-managed encryption (the only kind log delivery supports), Object Lock and an expiry', () => {
    const stack = new Stack(testApp(), 'S');
    new AccessLogsBucket(stack, 'Logs', { retentionDays: 90 });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      ObjectLockEnabled: true,
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-access-logs',
            ExpirationInDays: 90,
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
  });

  test('fails when the retention is not a positive whole number of days', () => {
    expect(() => new AccessLogsBucket(new Stack(testApp(), 'S'), 'Logs', { retentionDays: 0 })).toThrow(
      'retentionDays (0) must be a whole number of days, at least 1',
    );
  });
});
