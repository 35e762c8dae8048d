import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { StorageContainerImmutabilityPolicy } from '@cdktf/provider-azurerm/lib/storage-container-immutability-policy';
import { TerraformStack, Testing } from 'cdktf';
import { AdlsDataLake, type AdlsDataLakeProps } from '../../../constructs/azure/adls-data-lake';
import { checkovSkipsOf } from '../../../constructs/azure/checkov-skip';
import { onlyResource, resourcesOf, synthesize } from '../../fixtures/terraform-json';

function lakeStack(props: Partial<AdlsDataLakeProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-data', location: 'westeurope' });
  const lake = new AdlsDataLake(stack, 'DataLake', { resourceGroup, accountName: 'acmetestdl1234', ...props });
  return { stack, lake };
}

function rulesByName(policy: any): Record<string, any> {
  return Object.fromEntries(policy.rule.map((rule: any) => [rule.name, rule]));
}

describe('AdlsDataLake', () => {
  describe('with defaults', () => {
    const { stack, lake } = lakeStack();
    const json = synthesize(stack);
    const account = onlyResource(json, StorageAccount.tfResourceType);

    test('is an ADLS Gen2 account: StorageV2 with hierarchical namespace', () => {
      expect(account).toMatchObject({ name: 'acmetestdl1234', account_kind: 'StorageV2', account_tier: 'Standard', is_hns_enabled: true });
    });

    test('accepts Entra ID only: no shared keys, OAuth by default, no local users or SFTP', () => {
      expect(account).toMatchObject({
        shared_access_key_enabled: false,
        default_to_oauth_authentication: true,
        local_user_enabled: false,
        sftp_enabled: false,
        allowed_copy_scope: 'AAD',
        cross_tenant_replication_enabled: false,
      });
    });

    test('is reachable only over TLS 1.2 and HTTPS, never publicly', () => {
      expect(account).toMatchObject({
        min_tls_version: 'TLS1_2',
        https_traffic_only_enabled: true,
        public_network_access_enabled: false,
        allow_nested_items_to_be_public: false,
        network_rules: { default_action: 'Deny' },
      });
    });

    test('encrypts twice and limits SAS validity', () => {
      expect(account).toMatchObject({
        infrastructure_encryption_enabled: true,
        queue_encryption_key_type: 'Account',
        table_encryption_key_type: 'Account',
        sas_policy: { expiration_period: '01.00:00:00', expiration_action: 'Log' },
      });
    });

    test('keeps deleted blobs and filesystems for 7 days', () => {
      expect(account.blob_properties).toEqual({ delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } });
    });

    test('replicates LRS and lives in the resource group', () => {
      expect(account).toMatchObject({
        account_replication_type: 'LRS',
        resource_group_name: '${azurerm_resource_group.ResourceGroup.name}',
        location: '${azurerm_resource_group.ResourceGroup.location}',
      });
    });

    test("creates one private filesystem per layer, and one for bronze's working data, through the control plane", () => {
      const filesystems = Object.values(resourcesOf(json, StorageContainer.tfResourceType));
      expect(filesystems.map((fs: any) => fs.name).sort()).toEqual(['bronze', 'bronze-work', 'gold', 'silver']);
      expect(lake.areas).toEqual(['bronze', 'silver', 'gold', 'bronze-work']);
      for (const filesystem of filesystems) {
        expect(filesystem).toMatchObject({
          container_access_type: 'private',
          storage_account_id: expect.stringMatching(/^\$\{azurerm_storage_account\.DataLake_[0-9A-F]+\.id\}$/),
        });
        expect(filesystem).not.toHaveProperty('storage_account_name');
      }
      expect(json.resource).not.toHaveProperty('azurerm_storage_data_lake_gen2_filesystem');
    });

    test('uses Microsoft-managed keys and no identity unless given a customer-managed key', () => {
      expect(account).not.toHaveProperty('customer_managed_key');
      expect(account).not.toHaveProperty('identity');
    });

    test('has no prevent_destroy unless asked to retain', () => {
      expect(account).not.toHaveProperty('lifecycle');
      for (const filesystem of Object.values(resourcesOf(json, StorageContainer.tfResourceType))) expect(filesystem).not.toHaveProperty('lifecycle');
    });

    test('exposes filesystems and abfss URLs by area', () => {
      expect(lake.filesystemFor('silver').nameInput).toBe('silver');
      expect(lake.filesystemFor('bronze-work').nameInput).toBe('bronze-work');
      expect(lake.abfssUrlFor('bronze-work')).toBe('abfss://bronze-work@acmetestdl1234.dfs.core.windows.net/');
      expect(lake.abfssUrlFor('bronze')).toBe('abfss://bronze@acmetestdl1234.dfs.core.windows.net/');
      expect(lake.abfssUrlFor('gold')).toBe('abfss://gold@acmetestdl1234.dfs.core.windows.net/');
    });

    test('applies the default lifecycle, with the archive tier on an LRS account', () => {
      const rules = rulesByName(onlyResource(json, StorageManagementPolicy.tfResourceType));
      expect(Object.keys(rules)).toEqual(['bronze-lifecycle', 'silver-lifecycle', 'gold-lifecycle', 'bronze-work-lifecycle']);
      expect(rules['bronze-lifecycle']).toEqual({
        name: 'bronze-lifecycle',
        enabled: true,
        filters: { blob_types: ['blockBlob'], prefix_match: ['bronze/'] },
        actions: {
          base_blob: { tier_to_cool_after_days_since_creation_greater_than: 30, tier_to_archive_after_days_since_creation_greater_than: 180 },
          snapshot: { delete_after_days_since_creation_greater_than: 30 },
          version: { delete_after_days_since_creation: 30 },
        },
      });
      expect(rules['gold-lifecycle'].filters.prefix_match).toEqual(['gold/']);
      // Bronze's working data (Delta tables, checkpoints, watermarks): cooled once untouched, never archived or expired.
      expect(rules['bronze-work-lifecycle']).toEqual({
        name: 'bronze-work-lifecycle',
        enabled: true,
        filters: { blob_types: ['blockBlob'], prefix_match: ['bronze-work/'] },
        actions: {
          base_blob: { tier_to_cool_after_days_since_modification_greater_than: 30 },
          snapshot: { delete_after_days_since_creation_greater_than: 30 },
          version: { delete_after_days_since_creation: 30 },
        },
      });
    });

    test("never expires nor archives bronze's working data, whatever bronze's lifecycle", () => {
      const { stack: expiring } = lakeStack({
        lifecycle: {
          bronze: {
            infrequentAccessAfterDays: 10,
            archiveAfterDays: 20,
            expireAfterDays: 30,
            noncurrentVersionExpireAfterDays: 5,
            abortIncompleteMultipartUploadAfterDays: 7,
          },
        },
      });
      const rules = rulesByName(onlyResource(synthesize(expiring), StorageManagementPolicy.tfResourceType));
      expect(rules['bronze-lifecycle'].actions.base_blob.delete_after_days_since_creation_greater_than).toBe(30);
      expect(rules['bronze-work-lifecycle'].actions.base_blob).toEqual({ tier_to_cool_after_days_since_modification_greater_than: 10 });
      const { stack: noCool } = lakeStack({
        lifecycle: { bronze: { expireAfterDays: 30, noncurrentVersionExpireAfterDays: 5, abortIncompleteMultipartUploadAfterDays: 7 } },
      });
      expect(rulesByName(onlyResource(synthesize(noCool), StorageManagementPolicy.tfResourceType))['bronze-work-lifecycle'].actions).toEqual({
        snapshot: { delete_after_days_since_creation_greater_than: 5 },
        version: { delete_after_days_since_creation: 5 },
      });
    });

    test('acknowledges only the checkov findings it cannot fix, with reasons', () => {
      // The customer-managed key (CKV2_AZURE_1) and private endpoints (CKV2_AZURE_33) are wired, not skipped.
      expect(checkovSkipsOf(lake.account).map((skip) => skip.id)).toEqual(['CKV_AZURE_33', 'CKV_AZURE_206']);
      expect(checkovSkipsOf(lake.filesystemFor('bronze')).map((skip) => skip.id)).toEqual(['CKV2_AZURE_21']);
    });
  });

  test('encrypts with the customer-managed key through its user-assigned identity', () => {
    const identityId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acme-test-storage-cmk';
    const { stack } = lakeStack({
      customerManagedKey: { keyVaultKeyId: 'https://kv-acme-test-1234.vault.azure.net/keys/storage-cmk', userAssignedIdentityId: identityId },
    });
    const account = onlyResource(synthesize(stack), StorageAccount.tfResourceType);
    expect(account.identity).toEqual({ type: 'UserAssigned', identity_ids: [identityId] });
    expect(account.customer_managed_key).toEqual({
      key_vault_key_id: 'https://kv-acme-test-1234.vault.azure.net/keys/storage-cmk',
      user_assigned_identity_id: identityId,
    });
  });

  test("adds private endpoints for dfs and blob in the account's resource group", () => {
    const { stack, lake } = lakeStack();
    lake.addPrivateEndpoint('dfs', { name: 'pep-lake-dfs', subnetId: 'subnet-id', privateDnsZoneId: 'dfs-zone-id' });
    lake.addPrivateEndpoint('blob', { name: 'pep-lake-blob', subnetId: 'subnet-id', privateDnsZoneId: 'blob-zone-id' });
    const endpoints = Object.values(resourcesOf(synthesize(stack), PrivateEndpoint.tfResourceType));
    expect(endpoints.map((endpoint: any) => endpoint.private_service_connection.subresource_names[0]).sort()).toEqual(['blob', 'dfs']);
    expect(endpoints.find((endpoint: any) => endpoint.name === 'pep-lake-dfs')).toMatchObject({
      subnet_id: 'subnet-id',
      resource_group_name: expect.stringContaining('azurerm_storage_account.DataLake_'),
      private_service_connection: {
        private_connection_resource_id: expect.stringMatching(/^\$\{azurerm_storage_account\.DataLake_[0-9A-F]+\.id\}$/),
        is_manual_connection: false,
      },
      private_dns_zone_group: { private_dns_zone_ids: ['dfs-zone-id'] },
    });
  });

  test('sends account metrics and the blob service reads, writes and deletes to Log Analytics', () => {
    const { stack, lake } = lakeStack();
    lake.addDiagnostics('workspace-id');
    const settings = Object.values(resourcesOf(synthesize(stack), MonitorDiagnosticSetting.tfResourceType));
    expect(settings).toHaveLength(2);
    expect(settings[0]).toMatchObject({ log_analytics_workspace_id: 'workspace-id', enabled_metric: [{ category: 'Transaction' }] });
    expect(settings[0]).not.toHaveProperty('enabled_log');
    expect(settings[1]).toMatchObject({
      target_resource_id: expect.stringMatching(/\.id\}\/blobServices\/default$/),
      enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }],
    });
  });

  test('maps every lifecycle field of a layer', () => {
    const { stack } = lakeStack({
      lifecycle: {
        bronze: {
          infrequentAccessAfterDays: 30,
          archiveAfterDays: 90,
          expireAfterDays: 365,
          noncurrentVersionExpireAfterDays: 10,
          abortIncompleteMultipartUploadAfterDays: 7,
        },
      },
    });
    const rules = rulesByName(onlyResource(synthesize(stack), StorageManagementPolicy.tfResourceType));
    expect(rules['bronze-lifecycle'].actions).toEqual({
      base_blob: {
        tier_to_cool_after_days_since_creation_greater_than: 30,
        tier_to_archive_after_days_since_creation_greater_than: 90,
        delete_after_days_since_creation_greater_than: 365,
      },
      snapshot: { delete_after_days_since_creation_greater_than: 10 },
      version: { delete_after_days_since_creation: 10 },
    });
    // Layers the prop leaves out keep the platform default.
    expect(rules['silver-lifecycle'].actions.base_blob).toEqual({ tier_to_cool_after_days_since_creation_greater_than: 60 });
  });

  test.each(['ZRS', 'GZRS', 'RAGZRS'] as const)('skips the archive tier on a %s account', (replication) => {
    const { stack } = lakeStack({ replication });
    const json = synthesize(stack);
    const rules = rulesByName(onlyResource(json, StorageManagementPolicy.tfResourceType));
    expect(rules['bronze-lifecycle'].actions.base_blob).toEqual({ tier_to_cool_after_days_since_creation_greater_than: 30 });
    expect(onlyResource(json, StorageAccount.tfResourceType).account_replication_type).toBe(replication);
  });

  test('keeps the archive tier on a GRS account and needs no replication skip', () => {
    const { stack, lake } = lakeStack({ replication: 'GRS' });
    const rules = rulesByName(onlyResource(synthesize(stack), StorageManagementPolicy.tfResourceType));
    expect(rules['bronze-lifecycle'].actions.base_blob.tier_to_archive_after_days_since_creation_greater_than).toBe(180);
    expect(checkovSkipsOf(lake.account).map((skip) => skip.id)).not.toContain('CKV_AZURE_206');
  });

  test('omits base-blob actions for a layer that never cools, archives or expires', () => {
    const { stack } = lakeStack({ lifecycle: { gold: { noncurrentVersionExpireAfterDays: 5, abortIncompleteMultipartUploadAfterDays: 7 } } });
    const rules = rulesByName(onlyResource(synthesize(stack), StorageManagementPolicy.tfResourceType));
    expect(rules['gold-lifecycle'].actions).toEqual({
      snapshot: { delete_after_days_since_creation_greater_than: 5 },
      version: { delete_after_days_since_creation: 5 },
    });
  });

  test('prevents destroying the account and filesystems when retaining data', () => {
    const { stack } = lakeStack({ retainOnDelete: true });
    const json = synthesize(stack);
    expect(onlyResource(json, StorageAccount.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    for (const filesystem of Object.values(resourcesOf(json, StorageContainer.tfResourceType))) expect(filesystem.lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, StorageManagementPolicy.tfResourceType)).not.toHaveProperty('lifecycle');
  });

  test('uses the given soft-delete days, layers and location', () => {
    const { stack, lake } = lakeStack({ softDeleteDays: 30, layers: ['bronze'], location: 'northeurope' });
    const json = synthesize(stack);
    const account = onlyResource(json, StorageAccount.tfResourceType);
    expect(account.blob_properties).toEqual({ delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } });
    expect(account.location).toBe('northeurope');
    // Bronze comes with its working data.
    expect(
      Object.values(resourcesOf(json, StorageContainer.tfResourceType))
        .map((fs: any) => fs.name)
        .sort(),
    ).toEqual(['bronze', 'bronze-work']);
    expect(() => lake.filesystemFor('gold')).toThrow('filesystemFor: "gold" is not in this lake; areas: bronze, bronze-work');
    expect(() => lake.abfssUrlFor('gold')).toThrow('"gold" is not in this lake');
    const { lake: curated } = lakeStack({ layers: ['silver', 'gold'] });
    expect(curated.areas).toEqual(['silver', 'gold']);
  });

  describe('immutability', () => {
    test('puts a time-based immutability policy on the filesystems asked for, unlocked unless told', () => {
      const { stack } = lakeStack({ immutability: { bronze: { days: 30 } } });
      const policy = onlyResource(synthesize(stack), StorageContainerImmutabilityPolicy.tfResourceType);
      expect(policy).toMatchObject({
        storage_container_resource_manager_id: '${azurerm_storage_account.DataLake_E54831B2.id}/blobServices/default/containers/bronze',
        immutability_period_in_days: 30,
        locked: false,
        protected_append_writes_all_enabled: true,
        depends_on: ['azurerm_storage_container.DataLake_bronze_37AADDF4'],
      });
    });

    test('locks the policy when told', () => {
      const { stack } = lakeStack({ immutability: { bronze: { days: 365, locked: true } } });
      expect(onlyResource(synthesize(stack), StorageContainerImmutabilityPolicy.tfResourceType)).toMatchObject({
        immutability_period_in_days: 365,
        locked: true,
      });
    });

    test('has no immutability policy by default', () => {
      const { stack } = lakeStack();
      expect(resourcesOf(synthesize(stack), StorageContainerImmutabilityPolicy.tfResourceType)).toEqual({});
    });

    test('fails when blobs would expire before they stop being immutable', () => {
      expect(() =>
        lakeStack({
          immutability: { bronze: { days: 400 } },
          lifecycle: { bronze: { expireAfterDays: 365, noncurrentVersionExpireAfterDays: 30, abortIncompleteMultipartUploadAfterDays: 7 } },
        }),
      ).toThrow('lifecycle.bronze.expireAfterDays (365) must be at least immutability.bronze.days (400); immutable blobs cannot expire earlier');
    });

    test('fails when the days are not a whole number or the layer is not in the lake', () => {
      expect(() => lakeStack({ immutability: { bronze: { days: 0 } } })).toThrow(
        'immutability.bronze.days (0) must be a whole number of days from 1 to 146000',
      );
      expect(() => lakeStack({ layers: ['silver', 'gold'], immutability: { bronze: { days: 7 } } })).toThrow(
        'immutability.bronze: the lake holds no "bronze" filesystem; layers: silver, gold',
      );
    });
  });

  describe('validation', () => {
    test('fails when accountName breaks the storage account naming rules', () => {
      expect(() => lakeStack({ accountName: 'Acme-Lake' })).toThrow('accountName: Azure storage account name "Acme-Lake" has characters that are not allowed');
    });

    test('fails when replication is unknown', () => {
      expect(() => lakeStack({ replication: 'XRS' as never })).toThrow('replication ("XRS") must be one of: LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS');
    });

    test('fails when softDeleteDays is out of range', () => {
      expect(() => lakeStack({ softDeleteDays: 0 })).toThrow('softDeleteDays (0) must be a whole number of days from 1 to 365');
      expect(() => lakeStack({ softDeleteDays: 400 })).toThrow('softDeleteDays (400)');
    });

    test('fails when layers is empty, unknown or repeated', () => {
      expect(() => lakeStack({ layers: [] })).toThrow('layers ([]) must name at least one layer');
      expect(() => lakeStack({ layers: ['platinum' as never] })).toThrow('layers ("platinum") must be one of: bronze, silver, gold');
      expect(() => lakeStack({ layers: ['gold', 'gold'] })).toThrow('layers (gold, gold) must not repeat a layer');
    });

    test('fails when sasExpirationPeriod is not DD.HH:MM:SS', () => {
      expect(() => lakeStack({ sasExpirationPeriod: '1 day' })).toThrow('sasExpirationPeriod ("1 day") must read DD.HH:MM:SS');
    });

    test('fails when a lifecycle transition comes before the one it follows', () => {
      expect(() =>
        lakeStack({
          lifecycle: {
            bronze: { infrequentAccessAfterDays: 90, archiveAfterDays: 30, noncurrentVersionExpireAfterDays: 7, abortIncompleteMultipartUploadAfterDays: 7 },
          },
        }),
      ).toThrow('lifecycle.bronze.archiveAfterDays (30) must be greater than infrequentAccessAfterDays (90)');
    });

    test('fails when lifecycle days are not whole positive numbers', () => {
      expect(() =>
        lakeStack({ lifecycle: { silver: { expireAfterDays: 1.5, noncurrentVersionExpireAfterDays: 0, abortIncompleteMultipartUploadAfterDays: 7 } } }),
      ).toThrow(
        /lifecycle\.silver\.expireAfterDays \(1\.5\) must be a whole number of days, at least 1; lifecycle\.silver\.noncurrentVersionExpireAfterDays \(0\)/,
      );
    });

    test('fails when dataClassification is unknown', () => {
      expect(() => lakeStack({ dataClassification: 'secret' as never })).toThrow(
        'dataClassification ("secret") must be one of: public, internal, confidential, pii',
      );
    });
  });
});
