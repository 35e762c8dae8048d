import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageContainerImmutabilityPolicy } from '@cdktf/provider-azurerm/lib/storage-container-immutability-policy';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { type TerraformResourceLifecycle, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_REPLICATION, type Classification, LAYERS, type Layer, type LayerLifecycle } from '../../lib/definition';
import { DEFAULT_LIFECYCLE } from '../../lib/config';
import { BRONZE_WORK_AREA, type LakeArea } from '../../lib/lake';
import { adlsFilesystemName, adlsFilesystemUrl, AZURE_NAME_RULES, nameProblem } from '../../lib/naming';
import { skipCheckov } from './checkov-skip';
import { DataClassification } from './data-classification';
import { DiagnosticSettings } from './diagnostic-settings';
import { ServicePrivateEndpoint, type ServicePrivateEndpointProps } from './service-private-endpoint';
import { lakeLifecycleRule, lifecycleProblems, type StorageReplication, workingDataLifecycleRule } from './lake-lifecycle-rules';

export interface AdlsDataLakeProps {
  /** Resource group that holds the storage account. */
  readonly resourceGroup: ResourceGroup;
  /** Globally unique storage account name: 3-24 lowercase letters and digits (see `storageAccountName`). */
  readonly accountName: string;
  /**
   * Azure region of the account.
   * @default - the resource group's location
   */
  readonly location?: string;
  /**
   * Replication of the account. Zone-redundant replication (ZRS, GZRS, RAGZRS) drops the archive tier
   * from the lifecycle rules, because those accounts do not support it.
   * @default 'LRS'
   */
  readonly replication?: StorageReplication;
  /**
   * Medallion layers to create a filesystem and a lifecycle rule for. With bronze comes the filesystem of
   * bronze's working data (lib/lake `BRONZE_WORK_AREA`) and its rule (`workingDataLifecycleRule`).
   * @default LAYERS (bronze, silver, gold)
   */
  readonly layers?: readonly Layer[];
  /**
   * Lifecycle of each layer; a layer left out gets the platform default for that layer.
   * @default DEFAULT_LIFECYCLE from lib/config
   */
  readonly lifecycle?: Readonly<Partial<Record<Layer, LayerLifecycle>>>;
  /**
   * Time-based immutability (container-level WORM) per layer filesystem: every blob can be read but not
   * overwritten, renamed or deleted until it is `days` old. Only for filesystems of files written once: Delta
   * tables rename their commits and vacuum old files, and state files are replaced, which WORM refuses; the
   * platform keeps those of bronze in bronze's working data, which is never immutable.
   * @default - no immutability policy
   */
  readonly immutability?: Readonly<Partial<Record<Layer, FilesystemImmutability>>>;
  /**
   * Days deleted blobs and deleted filesystems stay recoverable (blob and container soft delete).
   * @default 7
   */
  readonly softDeleteDays?: number;
  /**
   * Whether Terraform refuses to destroy the account and its filesystems (`prevent_destroy`).
   * Production environments always retain.
   * @default false
   */
  readonly retainOnDelete?: boolean;
  /**
   * Longest validity of a SAS token, as `DD.HH:MM:SS`; longer tokens are logged.
   * @default '01.00:00:00' (one day)
   */
  readonly sasExpirationPeriod?: string;
  /**
   * Sensitivity of the data in the lake, tagged as `data-classification` by `StandardTagsAspect`.
   * @default - no classification; the resources get no data-classification tag
   */
  readonly dataClassification?: Classification;
  /**
   * The customer-managed key that encrypts the account (blobs, files, and the queues and tables that
   * use the account key), reached through a user-assigned identity that holds Key Vault Crypto Service
   * Encryption User on that key.
   * @default - Microsoft-managed keys (checkov reports CKV2_AZURE_1)
   */
  readonly customerManagedKey?: LakeCustomerManagedKey;
}

/** A time-based immutability policy of one filesystem. */
export interface FilesystemImmutability {
  /** Days every blob stays immutable after it is written (1 to 146000). */
  readonly days: number;
  /**
   * Whether the policy is locked: then nobody can shorten or remove it (it can only be extended), the filesystem
   * cannot be deleted while it holds blobs, nor the account while such a filesystem does. Unlocked, an
   * administrator can still shorten or delete the policy (and Terraform can destroy it).
   * @default false
   */
  readonly locked?: boolean;
}

/** A customer-managed key of the lake and the identity that reaches it. */
export interface LakeCustomerManagedKey {
  /** Versionless Key Vault key id (`https://<vault>.vault.azure.net/keys/<key>`), so rotation is automatic. */
  readonly keyVaultKeyId: string;
  /** Id of the user-assigned identity the account uses to unwrap the key. */
  readonly userAssignedIdentityId: string;
}

/** Where a private endpoint of the lake goes; the name, resource group and location are the lake's. */
export type LakePrivateEndpointOptions = Pick<ServicePrivateEndpointProps, 'name' | 'subnetId' | 'privateDnsZoneId'>;

/** The blob service's logs: every read, write and delete of lake data, by whom (the StorageBlobLogs table). */
export const BLOB_AUDIT_LOG_CATEGORIES = ['StorageRead', 'StorageWrite', 'StorageDelete'] as const;

/** Storage metrics that diagnostic settings can export (capacity metrics are platform-only). */
const STORAGE_METRIC_CATEGORIES = ['Transaction'];

const DEFAULT_SOFT_DELETE_DAYS = 7;
const DEFAULT_SAS_EXPIRATION_PERIOD = '01.00:00:00';
const GEO_REPLICATION: ReadonlySet<StorageReplication> = new Set(['GRS', 'RAGRS', 'GZRS', 'RAGZRS']);
const SAS_PERIOD = /^[0-9]+\.[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$/;

/**
 * An ADLS Gen2 data lake: a locked-down StorageV2 account with hierarchical namespace, one filesystem
 * per medallion layer, with bronze one for bronze's working data (`bronze-work`: the bronze schema's Delta
 * tables and the ingestion state, see lib/lake `BRONZE_WORK_AREA`), and one lifecycle policy with a rule per
 * filesystem.
 *
 * The account accepts Entra ID only (no shared keys, OAuth by default, no local users), TLS 1.2 over
 * HTTPS, no public network access and no anonymous blobs; data is encrypted twice (infrastructure
 * encryption) and deleted blobs and filesystems stay recoverable for `softDeleteDays`.
 */
export class AdlsDataLake extends Construct {
  /** The storage account. */
  readonly account: StorageAccount;
  /** The account name, known at synth time (it is not a token), for URLs in other stacks. */
  readonly accountName: string;
  /** The lifecycle policy with one rule per layer. */
  readonly managementPolicy: StorageManagementPolicy;
  /** The layers this lake holds, in order. */
  readonly layers: readonly Layer[];
  /** The areas this lake has a filesystem for: its layers, then bronze's working data when it holds bronze. */
  readonly areas: readonly LakeArea[];
  private readonly filesystems: ReadonlyMap<LakeArea, StorageContainer>;

  constructor(scope: Construct, id: string, props: AdlsDataLakeProps) {
    super(scope, id);
    const replication = props.replication ?? 'LRS';
    const layers = props.layers ?? LAYERS;
    const softDeleteDays = props.softDeleteDays ?? DEFAULT_SOFT_DELETE_DAYS;
    const sasExpirationPeriod = props.sasExpirationPeriod ?? DEFAULT_SAS_EXPIRATION_PERIOD;
    validateProps(props, { replication, layers, softDeleteDays, sasExpirationPeriod });

    this.accountName = props.accountName;
    this.layers = layers;
    this.areas = layers.includes('bronze') ? [...layers, BRONZE_WORK_AREA] : layers;
    const lifecycle: TerraformResourceLifecycle | undefined = props.retainOnDelete ? { preventDestroy: true } : undefined;
    if (props.dataClassification) DataClassification.assign(this, props.dataClassification);

    this.account = new StorageAccount(this, 'Resource', {
      name: props.accountName,
      resourceGroupName: props.resourceGroup.name,
      location: props.location ?? props.resourceGroup.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: replication,
      accessTier: 'Hot',
      isHnsEnabled: true,
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      localUserEnabled: false,
      sftpEnabled: false,
      publicNetworkAccessEnabled: false,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      allowedCopyScope: 'AAD',
      infrastructureEncryptionEnabled: true,
      // Queue and table encryption types cannot change after creation; "Account" keys them with the
      // account's key, so the customer-managed key covers them too.
      queueEncryptionKeyType: 'Account',
      tableEncryptionKeyType: 'Account',
      // Clients come through private endpoints (addPrivateEndpoint); besides those, only trusted Azure
      // services (and the account's own analytics logging and metrics) reach the data plane.
      networkRules: { defaultAction: 'Deny', bypass: ['AzureServices', 'Logging', 'Metrics'] },
      blobProperties: {
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      sasPolicy: { expirationPeriod: sasExpirationPeriod, expirationAction: 'Log' },
      identity: props.customerManagedKey ? { type: 'UserAssigned', identityIds: [props.customerManagedKey.userAssignedIdentityId] } : undefined,
      customerManagedKey: props.customerManagedKey,
      lifecycle,
    });
    skipCheckov(this.account, {
      id: 'CKV_AZURE_33',
      reason: 'Queue logging is set through the queue data plane which public network access off makes unreachable and the lake uses no queues',
    });
    if (!GEO_REPLICATION.has(replication)) {
      skipCheckov(this.account, {
        id: 'CKV_AZURE_206',
        reason: `Replication ${replication} is the environment's choice (azure.storageReplication in the platform definition)`,
      });
    }

    // Filesystems are created as `azurerm_storage_container` by `storage_account_id`, which azurerm 4.x
    // manages through Azure Resource Manager. `azurerm_storage_data_lake_gen2_filesystem` talks to the
    // account's DFS endpoint (the data plane), which a deployment from outside the lake's network
    // cannot reach once public network access is off. A container of an HNS account is the same ADLS
    // Gen2 filesystem; ACLs on its root are managed later from inside the network (Unity Catalog).
    this.filesystems = new Map(
      this.areas.map((area) => [
        area,
        new StorageContainer(this, area, {
          name: adlsFilesystemName(area),
          storageAccountId: this.account.id,
          containerAccessType: 'private',
          lifecycle,
        }),
      ]),
    );
    for (const [layer, immutability] of Object.entries(props.immutability ?? {}) as [Layer, FilesystemImmutability][]) {
      const filesystem = this.filesystemFor(layer);
      new StorageContainerImmutabilityPolicy(this, `${layer}-immutability`, {
        // The ARM id of the container (written out, so it does not depend on which id azurerm reports).
        storageContainerResourceManagerId: `${this.account.id}/blobServices/default/containers/${adlsFilesystemName(layer)}`,
        immutabilityPeriodInDays: immutability.days,
        locked: immutability.locked ?? false,
        // Data Factory's copy activity writes through the DFS endpoint: it creates each file empty, then appends
        // and flushes its blocks (its quarantine log too, row by row). Protected append writes on block and
        // append blobs ("All") admit those new blocks, while no block once written can change or go and no file
        // can be overwritten, renamed or deleted. Writers that commit by rename (Spark, Data Factory data
        // flows) cannot write here at all: the platform's Spark tables are in bronze's working data. Azure lets
        // this setting change only while the policy is unlocked.
        protectedAppendWritesAllEnabled: true,
        dependsOn: [filesystem],
      });
    }
    for (const filesystem of this.filesystems.values()) {
      skipCheckov(filesystem, {
        id: 'CKV2_AZURE_21',
        reason:
          'Blob read logs go to Log Analytics through the blob service diagnostic settings (addDiagnostics); ' +
          'storage insights would need the disabled account key',
      });
    }

    const lifecycleOf = (layer: Layer) => props.lifecycle?.[layer] ?? DEFAULT_LIFECYCLE[layer];
    this.managementPolicy = new StorageManagementPolicy(this, 'LifecyclePolicy', {
      storageAccountId: this.account.id,
      rule: this.areas.map((area) =>
        area === BRONZE_WORK_AREA
          ? workingDataLifecycleRule(area, adlsFilesystemName(area), lifecycleOf('bronze'))
          : lakeLifecycleRule(area, adlsFilesystemName(area), lifecycleOf(area), replication),
      ),
    });
  }

  /**
   * A private endpoint for the account's `dfs` (ADLS Gen2, Spark) or `blob` (Blob API, Data Factory)
   * endpoint. The account accepts no public traffic, so clients reach it only through these.
   */
  addPrivateEndpoint(subresource: 'dfs' | 'blob', options: LakePrivateEndpointOptions): ServicePrivateEndpoint {
    return new ServicePrivateEndpoint(this, `${subresource}-endpoint`, {
      ...options,
      resourceGroupName: this.account.resourceGroupName,
      location: this.account.location,
      targetResourceId: this.account.id,
      subresource,
    });
  }

  /** Sends the account's metrics and the blob service's read, write and delete logs to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): void {
    new DiagnosticSettings(this, 'AccountDiagnostics', {
      targetResourceId: this.account.id,
      logAnalyticsWorkspaceId,
      logCategoryGroups: [],
      metricCategories: STORAGE_METRIC_CATEGORIES,
    });
    new DiagnosticSettings(this, 'BlobDiagnostics', {
      targetResourceId: `${this.account.id}/blobServices/default`,
      logAnalyticsWorkspaceId,
      logCategories: BLOB_AUDIT_LOG_CATEGORIES,
      metricCategories: STORAGE_METRIC_CATEGORIES,
    });
  }

  /** The filesystem (container) of an area (a layer, or bronze's working data); throws when the lake does not have it. */
  filesystemFor(area: LakeArea): StorageContainer {
    const filesystem = this.filesystems.get(area);
    if (!filesystem) throw new Error(`filesystemFor: "${area}" is not in this lake; areas: ${this.areas.join(', ')}`);
    return filesystem;
  }

  /** `abfss://<filesystem>@<account>.dfs.core.windows.net/`: where Spark and Unity Catalog address an area. */
  abfssUrlFor(area: LakeArea): string {
    this.filesystemFor(area);
    // Names known at synth time, not tokens: other stacks (Databricks) use the URL as a plain string.
    return adlsFilesystemUrl(this.accountName, area);
  }
}

interface ResolvedProps {
  readonly replication: string;
  readonly layers: readonly string[];
  readonly softDeleteDays: number;
  readonly sasExpirationPeriod: string;
}

function validateProps(props: AdlsDataLakeProps, resolved: ResolvedProps): void {
  const problems: string[] = [];
  if (!Token.isUnresolved(props.accountName)) {
    const problem = nameProblem(props.accountName, AZURE_NAME_RULES.azureStorageAccount);
    if (problem) problems.push(`accountName: ${problem}`);
  }
  if (!(AZURE_REPLICATION as readonly string[]).includes(resolved.replication)) {
    problems.push(`replication ("${resolved.replication}") must be one of: ${AZURE_REPLICATION.join(', ')}`);
  }
  if (resolved.layers.length === 0) problems.push('layers ([]) must name at least one layer');
  for (const layer of resolved.layers) {
    if (!(LAYERS as readonly string[]).includes(layer)) problems.push(`layers ("${layer}") must be one of: ${LAYERS.join(', ')}`);
  }
  if (new Set(resolved.layers).size !== resolved.layers.length) problems.push(`layers (${resolved.layers.join(', ')}) must not repeat a layer`);
  if (!Number.isInteger(resolved.softDeleteDays) || resolved.softDeleteDays < 1 || resolved.softDeleteDays > 365) {
    problems.push(`softDeleteDays (${resolved.softDeleteDays}) must be a whole number of days from 1 to 365`);
  }
  if (!SAS_PERIOD.test(resolved.sasExpirationPeriod)) {
    problems.push(`sasExpirationPeriod ("${resolved.sasExpirationPeriod}") must read DD.HH:MM:SS, e.g. "01.00:00:00" for one day`);
  }
  for (const [layer, immutability] of Object.entries(props.immutability ?? {})) {
    if (!immutability) continue;
    if (!resolved.layers.includes(layer))
      problems.push(`immutability.${layer}: the lake holds no "${layer}" filesystem; layers: ${resolved.layers.join(', ')}`);
    const { days } = immutability;
    if (!Number.isInteger(days) || days < 1 || days > 146000)
      problems.push(`immutability.${layer}.days (${days}) must be a whole number of days from 1 to 146000`);
    const expire = props.lifecycle?.[layer as Layer]?.expireAfterDays;
    if (expire !== undefined && expire < days) {
      problems.push(
        `lifecycle.${layer}.expireAfterDays (${expire}) must be at least immutability.${layer}.days (${days}); immutable blobs cannot expire earlier`,
      );
    }
  }
  for (const [layer, lifecycle] of Object.entries(props.lifecycle ?? {})) {
    if (!(LAYERS as readonly string[]).includes(layer)) problems.push(`lifecycle.${layer} is not a layer; layers: ${LAYERS.join(', ')}`);
    else if (lifecycle) problems.push(...lifecycleProblems(layer as Layer, lifecycle));
  }
  if (problems.length > 0) throw new Error(`AdlsDataLake: ${problems.join('; ')}`);
}
