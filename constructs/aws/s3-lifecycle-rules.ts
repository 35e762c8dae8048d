import { Duration } from 'aws-cdk-lib';
import { type LifecycleRule, StorageClass } from 'aws-cdk-lib/aws-s3';
import type { LayerLifecycle } from '../../lib/definition';

/**
 * S3 lifecycle rules for one layer's lifecycle: transitions to Standard-IA and Glacier Flexible
 * Retrieval, expiry, noncurrent-version expiry and aborting incomplete multipart uploads (which
 * otherwise bill forever without ever showing up as objects).
 */
export function s3LifecycleRules(lifecycle: LayerLifecycle): LifecycleRule[] {
  const transitions = [
    ...(lifecycle.infrequentAccessAfterDays !== undefined
      ? [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(lifecycle.infrequentAccessAfterDays) }]
      : []),
    ...(lifecycle.archiveAfterDays !== undefined ? [{ storageClass: StorageClass.GLACIER, transitionAfter: Duration.days(lifecycle.archiveAfterDays) }] : []),
  ];
  return [
    {
      id: 'medallion-lifecycle',
      enabled: true,
      transitions: transitions.length > 0 ? transitions : undefined,
      expiration: lifecycle.expireAfterDays !== undefined ? Duration.days(lifecycle.expireAfterDays) : undefined,
      noncurrentVersionExpiration: Duration.days(lifecycle.noncurrentVersionExpireAfterDays),
      abortIncompleteMultipartUploadAfter: Duration.days(lifecycle.abortIncompleteMultipartUploadAfterDays),
    },
  ];
}
