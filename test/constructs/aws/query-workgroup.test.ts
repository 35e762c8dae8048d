import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { QueryWorkgroup, type QueryWorkgroupProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function workgroupTemplate(props: Partial<QueryWorkgroupProps> = {}) {
  const stack = new Stack(testApp(), 'S');
  new QueryWorkgroup(stack, 'Queries', {
    workgroupName: 'acme-dev-analytics',
    encryptionKey: new Key(stack, 'Key'),
    serverAccessLogsBucket: new Bucket(stack, 'Logs'),
    ...props,
  });
  return Template.fromStack(stack);
}

describe('QueryWorkgroup', () => {
  test('enforces its configuration and encrypts results with the customer-managed key', () => {
    workgroupTemplate().hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'acme-dev-analytics',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 1024 ** 4,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
          OutputLocation: Match.anyValue(),
        },
      },
    });
  });

  test('keeps results in their own KMS-encrypted, access-logged bucket that expires them', () => {
    workgroupTemplate({ resultsRetentionDays: 7 }).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      LoggingConfiguration: { LogFilePrefix: 'athena-results/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] },
    });
  });

  test("fails when the scan limit is below Athena's minimum", () => {
    expect(() => workgroupTemplate({ bytesScannedCutoffGiB: 0 })).toThrow("bytesScannedCutoffGiB (0) must be at least 0.01 (10 MiB, Athena's minimum)");
  });

  test('fails when results would never expire', () => {
    expect(() => workgroupTemplate({ resultsRetentionDays: 0 })).toThrow('resultsRetentionDays (0) must be a whole number of days, at least 1');
  });
});
