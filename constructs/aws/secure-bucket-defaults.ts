import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, type Bucket, BucketEncryption, type BucketProps, type CfnBucket, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';

/**
 * The settings every bucket of the platform shares, whatever it holds: no public access, no ACLs,
 * TLS 1.2 or newer only, versioning. Bucket constructs spread these and add what is theirs.
 */
export const SECURE_BUCKET_DEFAULTS = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
} as const satisfies BucketProps;

/**
 * `SECURE_BUCKET_DEFAULTS` for a bucket of lake data: SSE-KMS with a customer-managed key and S3
 * bucket keys (fewer KMS requests), and server access logs to the environment's log bucket under `logsPrefix`.
 */
export function kmsLoggedBucketProps(encryptionKey: IKey, serverAccessLogsBucket: IBucket, logsPrefix: string) {
  return {
    ...SECURE_BUCKET_DEFAULTS,
    encryption: BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    serverAccessLogsBucket,
    serverAccessLogsPrefix: logsPrefix,
  } satisfies BucketProps;
}

/**
 * Sends the bucket's object events to Amazon EventBridge. Set on the resource itself: the L2 switch
 * deploys a Lambda-backed custom resource for this one property, which would add a function, a role
 * and their findings to every storage stack.
 */
export function sendEventsToEventBridge(bucket: Bucket): void {
  (bucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}
