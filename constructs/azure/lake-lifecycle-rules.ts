import type { StorageManagementPolicyRule } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import type { AzureEnvironment, Layer, LayerLifecycle } from '../../lib/definition';

/** Replication of a storage account, as the platform definition spells it. */
export type StorageReplication = AzureEnvironment['storageReplication'];

/**
 * Zone-redundant accounts (ZRS, GZRS, RA-GZRS) do not support the archive tier (Azure offers it on
 * LRS, GRS and RA-GRS only), so their rules leave the archive step out and data stays cool instead.
 */
const NO_ARCHIVE_TIER: ReadonlySet<StorageReplication> = new Set(['ZRS', 'GZRS', 'RAGZRS']);

/** Whether blobs of an account with this replication can move to the archive tier. */
export function supportsArchiveTier(replication: StorageReplication): boolean {
  return !NO_ARCHIVE_TIER.has(replication);
}

const DAY_FIELDS = [
  'infrequentAccessAfterDays',
  'archiveAfterDays',
  'expireAfterDays',
  'noncurrentVersionExpireAfterDays',
  'abortIncompleteMultipartUploadAfterDays',
] as const;
const ORDERED_FIELDS = ['infrequentAccessAfterDays', 'archiveAfterDays', 'expireAfterDays'] as const;

/**
 * Problems with one layer's lifecycle, each naming the prop path and the bad value: days are whole
 * numbers of at least 1, and transitions happen in order (cool, then archive, then delete).
 */
export function lifecycleProblems(layer: Layer, lifecycle: LayerLifecycle, propPath = 'lifecycle'): string[] {
  const problems: string[] = [];
  const at = (field: string) => `${propPath}.${layer}.${field}`;
  for (const field of DAY_FIELDS) {
    const value = lifecycle[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) problems.push(`${at(field)} (${value}) must be a whole number of days, at least 1`);
  }
  for (let later = 1; later < ORDERED_FIELDS.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const laterDays = lifecycle[ORDERED_FIELDS[later]];
      const earlierDays = lifecycle[ORDERED_FIELDS[earlier]];
      if (laterDays !== undefined && earlierDays !== undefined && laterDays <= earlierDays) {
        problems.push(`${at(ORDERED_FIELDS[later])} (${laterDays}) must be greater than ${ORDERED_FIELDS[earlier]} (${earlierDays})`);
      }
    }
  }
  return problems;
}

/**
 * The management-policy rule of one layer: block blobs under `<filesystem>/` cool, archive and expire
 * by days since creation, the definition's unit; snapshots and versions are deleted
 * `noncurrentVersionExpireAfterDays` after they were taken.
 *
 * `abortIncompleteMultipartUploadAfterDays` has no Azure counterpart: Azure discards uncommitted
 * blocks on its own after seven days.
 */
export function lakeLifecycleRule(
  layer: Layer,
  filesystemName: string,
  lifecycle: LayerLifecycle,
  replication: StorageReplication,
): StorageManagementPolicyRule {
  const archiveAfterDays = supportsArchiveTier(replication) ? lifecycle.archiveAfterDays : undefined;
  const baseBlob = {
    tierToCoolAfterDaysSinceCreationGreaterThan: lifecycle.infrequentAccessAfterDays,
    tierToArchiveAfterDaysSinceCreationGreaterThan: archiveAfterDays,
    deleteAfterDaysSinceCreationGreaterThan: lifecycle.expireAfterDays,
  };
  const hasBaseBlobAction = Object.values(baseBlob).some((days) => days !== undefined);
  return {
    name: `${layer}-lifecycle`,
    enabled: true,
    filters: {
      blobTypes: ['blockBlob'],
      // A prefix starts with the container name; the slash keeps "bronze" from matching "bronze2".
      prefixMatch: [`${filesystemName}/`],
    },
    actions: {
      baseBlob: hasBaseBlobAction ? baseBlob : undefined,
      snapshot: { deleteAfterDaysSinceCreationGreaterThan: lifecycle.noncurrentVersionExpireAfterDays },
      // Versioning is off on hierarchical-namespace accounts today; the action bounds versions as soon
      // as Azure allows turning it on, and does nothing until then.
      version: { deleteAfterDaysSinceCreation: lifecycle.noncurrentVersionExpireAfterDays },
    },
  };
}

/**
 * The management-policy rule of bronze's working data (lib/lake `BRONZE_WORK_AREA`), from bronze's lifecycle:
 * block blobs not modified for `infrequentAccessAfterDays` move to the cool tier, where they stay readable;
 * snapshots and versions go after `noncurrentVersionExpireAfterDays`. Nothing is archived or expired by age:
 * the filesystem holds Delta tables and checkpoints, whose files stay in use as long as a table version or a
 * checkpoint refers to them (an archived or deleted one breaks the table or the step); Delta removes files it
 * no longer needs itself (VACUUM), and a watermark is replaced every run.
 */
export function workingDataLifecycleRule(area: string, filesystemName: string, bronze: LayerLifecycle): StorageManagementPolicyRule {
  return {
    name: `${area}-lifecycle`,
    enabled: true,
    filters: { blobTypes: ['blockBlob'], prefixMatch: [`${filesystemName}/`] },
    actions: {
      baseBlob:
        bronze.infrequentAccessAfterDays === undefined ? undefined : { tierToCoolAfterDaysSinceModificationGreaterThan: bronze.infrequentAccessAfterDays },
      snapshot: { deleteAfterDaysSinceCreationGreaterThan: bronze.noncurrentVersionExpireAfterDays },
      version: { deleteAfterDaysSinceCreation: bronze.noncurrentVersionExpireAfterDays },
    },
  };
}
