import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { StorageContainerImmutabilityPolicy } from '@cdktf/provider-azurerm/lib/storage-container-immutability-policy';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AnnotationMetadataEntryType, Aspects, Testing } from 'cdktf';
import { StandardTagsAspect } from '../../../constructs/azure/standard-tags-aspect';
import type { PlatformConfig } from '../../../lib/definition';
import { standardTags } from '../../../lib/tagging';
import { keepsWatermark } from '../../../constructs/azure/data-factory-copy';
import { AzureStorageStack, bronzeImmutability } from '../../../stacks/azure/storage-stack';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf, synthesize } from '../../fixtures/terraform-json';

/** The stack as bin/cdktf.ts composes it: with the standard tags of its environment. */
function storageStack(config: PlatformConfig, environmentName: string) {
  const environment = environmentOf(config, environmentName);
  const stack = new AzureStorageStack(Testing.app(), { config, environment });
  Aspects.of(stack).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  return { stack, json: synthesize(stack) };
}

function rulesByName(json: ReturnType<typeof synthesize>): Record<string, any> {
  return Object.fromEntries(onlyResource(json, StorageManagementPolicy.tfResourceType).rule.map((rule: any) => [rule.name, rule]));
}

describe('AzureStorageStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, storageStack(config, name)]));

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('keeps the logical ids of its stateful resources', () => {
    // Renaming one of these makes Terraform replace the resource: the lake and its data.
    const { json } = stacks.prod;
    expect(Object.keys(resourcesOf(json, ResourceGroup.tfResourceType))).toEqual(['ResourceGroup']);
    expect(Object.keys(resourcesOf(json, StorageAccount.tfResourceType))).toEqual(['DataLake_E54831B2']);
    expect(Object.keys(resourcesOf(json, StorageContainer.tfResourceType)).sort()).toEqual([
      'DataLake_bronze-work_ED2190B0',
      'DataLake_bronze_37AADDF4',
      'DataLake_gold_C4A9D315',
      'DataLake_silver_835DC451',
    ]);
  });

  test('is named <prefix>-<env>-azure-storage', () => {
    expect(stacks.dev.stack.node.id).toBe('acme-dev-azure-storage');
    expect(stacks.prod.stack.node.id).toBe('acme-prod-azure-storage');
  });

  test('keeps its state in the environment backend under <stack>.tfstate with Entra ID auth', () => {
    expect(stacks.prod.json.terraform?.backend).toEqual({
      azurerm: {
        resource_group_name: 'rg-acme-tfstate',
        storage_account_name: 'acmetfstateprod',
        container_name: 'tfstate',
        key: 'acme-prod-azure-storage.tfstate',
        tenant_id: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9',
        use_azuread_auth: true,
      },
    });
  });

  test('configures azurerm for the subscription, Entra ID storage auth and no data plane', () => {
    expect(stacks.dev.json.provider?.azurerm).toEqual([
      {
        subscription_id: '2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b',
        tenant_id: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9',
        storage_use_azuread: true,
        resource_provider_registrations: 'none',
        features: [{ storage: [{ data_plane_available: false }], resource_group: [{ prevent_deletion_if_contains_resources: true }] }],
      },
    ]);
  });

  test('names the resource group and account from the naming rules', () => {
    expect(onlyResource(stacks.dev.json, ResourceGroup.tfResourceType)).toMatchObject({ name: 'rg-acme-dev-data', location: 'westeurope' });
    expect(onlyResource(stacks.dev.json, StorageAccount.tfResourceType).name).toMatch(/^acmedevdl[0-9a-f]{4}$/);
  });

  test('prevents destroying stateful resources in prod', () => {
    const { json } = stacks.prod;
    expect(onlyResource(json, ResourceGroup.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(json, StorageAccount.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    const filesystems = Object.values(resourcesOf(json, StorageContainer.tfResourceType));
    expect(filesystems).toHaveLength(4);
    for (const filesystem of filesystems) expect(filesystem.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('lets dev, which destroys its data, be destroyed', () => {
    const { json } = stacks.dev;
    expect(onlyResource(json, ResourceGroup.tfResourceType)).not.toHaveProperty('lifecycle');
    expect(onlyResource(json, StorageAccount.tfResourceType)).not.toHaveProperty('lifecycle');
    for (const filesystem of Object.values(resourcesOf(json, StorageContainer.tfResourceType))) expect(filesystem).not.toHaveProperty('lifecycle');
  });

  test('takes replication and soft delete from the environment', () => {
    expect(onlyResource(stacks.dev.json, StorageAccount.tfResourceType)).toMatchObject({
      account_replication_type: 'LRS',
      blob_properties: { delete_retention_policy: { days: 7 } },
    });
    expect(onlyResource(stacks.prod.json, StorageAccount.tfResourceType)).toMatchObject({
      account_replication_type: 'ZRS',
      blob_properties: { delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } },
    });
  });

  test('maps the environment lifecycle: archive and expiry on LRS dev', () => {
    expect(rulesByName(stacks.dev.json)['bronze-lifecycle'].actions).toEqual({
      base_blob: {
        tier_to_cool_after_days_since_creation_greater_than: 30,
        tier_to_archive_after_days_since_creation_greater_than: 180,
        delete_after_days_since_creation_greater_than: 365,
      },
      snapshot: { delete_after_days_since_creation_greater_than: 30 },
      version: { delete_after_days_since_creation: 30 },
    });
    expect(rulesByName(stacks.dev.json)['silver-lifecycle'].actions.base_blob).toEqual({
      tier_to_cool_after_days_since_creation_greater_than: 60,
      delete_after_days_since_creation_greater_than: 180,
    });
  });

  test('skips the archive tier on ZRS prod and keeps its longer bronze version retention', () => {
    expect(rulesByName(stacks.prod.json)['bronze-lifecycle'].actions).toEqual({
      base_blob: { tier_to_cool_after_days_since_creation_greater_than: 30 },
      snapshot: { delete_after_days_since_creation_greater_than: 90 },
      version: { delete_after_days_since_creation: 90 },
    });
  });

  test('tags every taggable resource, and the lake with the highest dataset classification', () => {
    const tags = { platform: 'acme', environment: 'staging', owner: 'data-platform-team', 'cost-center': 'cc-4410' };
    expect(onlyResource(stacks.staging.json, ResourceGroup.tfResourceType).tags).toEqual(tags);
    expect(onlyResource(stacks.staging.json, StorageAccount.tfResourceType).tags).toEqual({ ...tags, 'data-classification': 'pii' });
  });

  test('classifies the lake by the most sensitive dataset of the definition', () => {
    const internalOnly = configWith((definition) => {
      delete definition.consumers; // the API exposes orders
      definition.datasets = definition.datasets.filter((dataset: any) => ['products', 'exchange_rates', 'campaigns'].includes(dataset.name));
    });
    expect(onlyResource(storageStack(internalOnly, 'dev').json, StorageAccount.tfResourceType).tags['data-classification']).toBe('internal');
  });

  test('writes the checkov acknowledgements next to their resources in cdk.tf.json', () => {
    const outdir = Testing.fullSynth(stacks.dev.stack);
    try {
      const written = JSON.parse(readFileSync(join(outdir, 'stacks', 'acme-dev-azure-storage', 'cdk.tf.json'), 'utf8'));
      const account = written.resource.azurerm_storage_account.DataLake_E54831B2;
      expect(account['//'].checkov).toEqual([
        expect.stringMatching(/^checkov:skip=CKV_AZURE_33:Queue logging/),
        "checkov:skip=CKV_AZURE_206:Replication LRS is the environment's choice (azure.storageReplication in the platform definition)",
      ]);
      expect(written.resource.azurerm_storage_container.DataLake_bronze_37AADDF4['//'].checkov).toEqual([
        expect.stringMatching(/^checkov:skip=CKV2_AZURE_21:/),
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("encrypts the lake with the environment's customer-managed key, by versionless id", () => {
    const account = onlyResource(stacks.prod.json, StorageAccount.tfResourceType);
    const identityId =
      '/subscriptions/8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1/resourceGroups/rg-acme-prod-security' +
      '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acme-prod-storage-cmk';
    expect(account.customer_managed_key).toEqual({
      key_vault_key_id: expect.stringMatching(/^https:\/\/kv-acme-prod-[0-9a-f]{4}\.vault\.azure\.net\/keys\/storage-cmk$/),
      user_assigned_identity_id: identityId,
    });
    expect(account.identity).toEqual({ type: 'UserAssigned', identity_ids: [identityId] });
  });

  test('reaches the lake only through dfs and blob private endpoints in the environment network', () => {
    const endpoints = Object.values(resourcesOf(stacks.dev.json, PrivateEndpoint.tfResourceType));
    expect(endpoints.map((endpoint: any) => [endpoint.name, endpoint.private_service_connection.subresource_names[0]]).sort()).toEqual([
      ['pep-acme-dev-lake-blob', 'blob'],
      ['pep-acme-dev-lake-dfs', 'dfs'],
    ]);
    const network = '/subscriptions/2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b/resourceGroups/rg-acme-dev-network/providers/Microsoft.Network';
    expect(endpoints.find((endpoint: any) => endpoint.name === 'pep-acme-dev-lake-dfs')).toMatchObject({
      subnet_id: `${network}/virtualNetworks/vnet-acme-dev/subnets/snet-private-endpoints`,
      private_dns_zone_group: { private_dns_zone_ids: [`${network}/privateDnsZones/privatelink.dfs.core.windows.net`] },
    });
    expect(onlyResource(stacks.dev.json, StorageAccount.tfResourceType).public_network_access_enabled).toBe(false);
  });

  test("logs to the environment workspace and reads no other stack's state", () => {
    const settings = Object.values(resourcesOf(stacks.dev.json, MonitorDiagnosticSetting.tfResourceType));
    const workspace =
      '/subscriptions/2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b/resourceGroups/rg-acme-dev-monitoring' +
      '/providers/Microsoft.OperationalInsights/workspaces/log-acme-dev';
    expect(settings.map((setting: any) => setting.log_analytics_workspace_id)).toEqual([workspace, workspace]);
    expect(JSON.stringify(stacks.dev.json)).not.toContain('terraform_remote_state');
  });

  test.each(['dev', 'staging', 'prod'])("audits every read, write and delete of the %s lake account's blob service", (name) => {
    const account = Object.keys(resourcesOf(stacks[name].json, StorageAccount.tfResourceType));
    expect(account).toHaveLength(1);
    const blobSettings = Object.values(resourcesOf(stacks[name].json, MonitorDiagnosticSetting.tfResourceType)).filter(
      (setting: any) => setting.target_resource_id === `\${azurerm_storage_account.${account[0]}.id}/blobServices/default`,
    );
    expect(blobSettings).toEqual([
      expect.objectContaining({ enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }] }),
    ]);
  });

  test('exposes the lake for the stacks that use it', () => {
    expect(stacks.dev.stack.lake.abfssUrlFor('silver')).toMatch(/^abfss:\/\/silver@acmedevdl[0-9a-f]{4}\.dfs\.core\.windows\.net\/$/);
  });

  test('fails when the environment does not deploy to Azure', () => {
    const awsOnly = configWith((definition) => {
      const dev = definition.environments.dev;
      dev.clouds = ['aws'];
      delete dev.azure;
      delete dev.databricks;
    });
    expect(() => new AzureStorageStack(Testing.app(), { config: awsOnly, environment: environmentOf(awsOnly, 'dev') })).toThrow(
      'environment "dev" has no azure block (clouds: aws); only environments whose clouds include azure get Azure stacks',
    );
  });

  describe('bronze immutability', () => {
    test.each([
      ['dev', 7, false],
      ['staging', 365, false],
      ['prod', 365, true],
    ])('makes bronze in %s immutable for lifecycle.bronze.retainDays (%d), locked: %s (compliance mode), Databricks or not', (name, days, locked) => {
      const environment = environmentOf(config, name);
      // Every example environment runs the Databricks lakehouse and Data Factory's incremental copies.
      expect(environment.clouds).toContain('databricks');
      expect(config.datasets.filter(keepsWatermark).length).toBeGreaterThan(0);
      expect(environment.lifecycle.bronze.retainDays).toBe(days);
      expect(environment.dataProtection.bronzeLockMode === 'compliance').toBe(locked);
      expect(onlyResource(stacks[name].json, StorageContainerImmutabilityPolicy.tfResourceType)).toEqual({
        storage_container_resource_manager_id: '${azurerm_storage_account.DataLake_E54831B2.id}/blobServices/default/containers/bronze',
        immutability_period_in_days: days,
        locked,
        protected_append_writes_all_enabled: true,
        depends_on: ['azurerm_storage_container.DataLake_bronze_37AADDF4'],
      });
      expect(bronzeImmutability(environment)).toEqual({ policy: { days, locked } });
    });

    test('issues no warning: nothing keeps bronze from being immutable', () => {
      for (const { stack } of Object.values(stacks)) {
        const warnings = stack.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
        expect(warnings.filter((warning) => warning.includes('immutability'))).toEqual([]);
      }
    });

    test('says why, and withholds the policy, only when no retention is set', () => {
      const environment = environmentOf(config, 'dev');
      const unset = { ...environment, lifecycle: { ...environment.lifecycle, bronze: { ...environment.lifecycle.bronze, retainDays: undefined } } };
      expect(bronzeImmutability(unset)).toEqual({ blockedBy: 'lifecycle.bronze.retainDays is not set' });
      const stack = new AzureStorageStack(Testing.app(), { config, environment: unset });
      expect(resourcesOf(synthesize(stack), StorageContainerImmutabilityPolicy.tfResourceType)).toEqual({});
      expect(stack.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data))).toContain(
        'The bronze filesystem gets no immutability policy: lifecycle.bronze.retainDays is not set (see README, "Immutable bronze")',
      );
    });
  });

  describe("bronze's working data", () => {
    test.each(['dev', 'staging', 'prod'])('%s has a bronze-work filesystem beside the layers, never immutable', (name) => {
      const filesystems = Object.values<any>(resourcesOf(stacks[name].json, StorageContainer.tfResourceType));
      expect(filesystems.map((filesystem) => filesystem.name).sort()).toEqual(['bronze', 'bronze-work', 'gold', 'silver']);
      const work = filesystems.find((filesystem) => filesystem.name === 'bronze-work');
      // In the same account: its customer-managed key, private endpoints, soft delete and blob audit logs cover it.
      expect(work).toMatchObject({ storage_account_id: '${azurerm_storage_account.DataLake_E54831B2.id}', container_access_type: 'private' });
      const policies = Object.values<any>(resourcesOf(stacks[name].json, StorageContainerImmutabilityPolicy.tfResourceType));
      expect(policies.map((policy) => policy.storage_container_resource_manager_id.split('/').pop())).toEqual(['bronze']);
    });

    test("keeps its data hot while it is rewritten, cools it after bronze's days, and never archives or expires it", () => {
      for (const name of ['dev', 'prod']) {
        const environment = environmentOf(config, name);
        expect(rulesByName(stacks[name].json)['bronze-work-lifecycle']).toEqual({
          name: 'bronze-work-lifecycle',
          enabled: true,
          filters: { blob_types: ['blockBlob'], prefix_match: ['bronze-work/'] },
          actions: {
            base_blob: { tier_to_cool_after_days_since_modification_greater_than: environment.lifecycle.bronze.infrequentAccessAfterDays },
            snapshot: { delete_after_days_since_creation_greater_than: environment.lifecycle.bronze.noncurrentVersionExpireAfterDays },
            version: { delete_after_days_since_creation: environment.lifecycle.bronze.noncurrentVersionExpireAfterDays },
          },
        });
      }
      // Bronze's own rule ("bronze/") does not reach bronze-work's blobs.
      expect(rulesByName(stacks.dev.json)['bronze-lifecycle'].filters.prefix_match).toEqual(['bronze/']);
    });

    test('is retained in prod like the layers', () => {
      const work = Object.values<any>(resourcesOf(stacks.prod.json, StorageContainer.tfResourceType)).find((fs) => fs.name === 'bronze-work');
      expect(work.lifecycle).toEqual({ prevent_destroy: true });
    });

    test('is where the lake addresses it for Spark and Unity Catalog', () => {
      expect(stacks.dev.stack.lake.abfssUrlFor('bronze-work')).toMatch(/^abfss:\/\/bronze-work@acmedevdl[0-9a-f]{4}\.dfs\.core\.windows\.net\/$/);
    });
  });
});
