'use strict';
/**
 * CloudFormation custom resource (CDK's response wrapper reports the result): writes a zip of PEM
 * files for EMR in-transit encryption to S3 (SSE-KMS) on create and on every update, with a new key
 * pair each time, so an update rotates it. On delete the object stays: the bucket is versioned and
 * clusters may still be using it.
 */
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const { emrCertificateZip } = require('./certificates');

exports.handler = async (event) => {
  const { Bucket, Key, KmsKeyId, DnsNames, Organization, ValidityDays } = event.ResourceProperties;
  if (event.RequestType !== 'Delete') {
    const body = emrCertificateZip({ dnsNames: DnsNames, organization: Organization, validityDays: ValidityDays });
    await new S3Client({}).send(new PutObjectCommand({ Bucket, Key, Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KmsKeyId, ContentType: 'application/zip' }));
  }
  return { PhysicalResourceId: `s3://${Bucket}/${Key}` };
};
