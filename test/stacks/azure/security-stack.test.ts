import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { AzureSecurityStack } from '../../../stacks/azure/security-stack';
import { EnvironmentReferences } from '../../../stacks/azure/environment-references';
import { environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';

describe('AzureSecurityStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, synthStack(AzureSecurityStack, config, name)]));

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('keeps the logical ids of the vault and its keys', () => {
    expect(Object.keys(resourcesOf(stacks.prod.json, KeyVault.tfResourceType))).toEqual(['KeyVault_EBBC7C6F']);
    expect(Object.keys(resourcesOf(stacks.prod.json, KeyVaultKey.tfResourceType)).sort()).toEqual([
      'KeyVault_DatabricksDbfsKey_F229E19C',
      'KeyVault_DatabricksDisksKey_8AD99EC4',
      'KeyVault_DatabricksServicesKey_E5FE9D36',
      'KeyVault_SqlKey_F8693325',
      'KeyVault_StorageKey_DD30ADE0',
      'KeyVault_SynapseKey_EC7B1F59',
    ]);
  });

  test('locks the vault down: RBAC, purge protection, no public access, firewall deny', () => {
    expect(onlyResource(stacks.dev.json, KeyVault.tfResourceType)).toMatchObject({
      name: expect.stringMatching(/^kv-acme-dev-[0-9a-f]{4}$/),
      sku_name: 'premium',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
      enabled_for_deployment: false,
      enabled_for_disk_encryption: false,
      enabled_for_template_deployment: false,
      tenant_id: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9',
    });
  });

  test("keeps deleted vaults 90 days in prod and the environment's soft-delete days (at least 7) elsewhere", () => {
    expect(onlyResource(stacks.prod.json, KeyVault.tfResourceType).soft_delete_retention_days).toBe(90);
    expect(onlyResource(stacks.dev.json, KeyVault.tfResourceType).soft_delete_retention_days).toBe(7);
  });

  test('makes an HSM-backed, rotating RSA 3072 key for the lake', () => {
    expect(onlyResource(stacks.staging.json, KeyVaultKey.tfResourceType)).toMatchObject({
      name: 'storage-cmk',
      key_type: 'RSA-HSM',
      key_size: 3072,
      key_opts: ['wrapKey', 'unwrapKey'],
      rotation_policy: { expire_after: 'P1Y', automatic: { time_before_expiry: 'P30D' } },
      depends_on: [expect.stringMatching(/^azurerm_role_assignment\.KeyVault_DeployerKeyAccess_/)],
    });
  });

  test('adds the SQL TDE and Databricks keys in prod only, and the Synapse key where there is Synapse', () => {
    expect(
      Object.values(resourcesOf(stacks.prod.json, KeyVaultKey.tfResourceType))
        .map((key: any) => key.name)
        .sort(),
    ).toEqual(['databricks-dbfs-cmk', 'databricks-disks-cmk', 'databricks-services-cmk', 'sql-tde', 'storage-cmk', 'synapse-cmk']);
    expect(
      Object.values(resourcesOf(stacks.dev.json, KeyVaultKey.tfResourceType))
        .map((key: any) => key.name)
        .sort(),
    ).toEqual(['storage-cmk', 'synapse-cmk']);
    expect(Object.values(resourcesOf(stacks.staging.json, KeyVaultKey.tfResourceType)).map((key: any) => key.name)).toEqual(['storage-cmk']);
  });

  test('grants the lake identity wrap/unwrap on its key only, and the deployer key management on this vault only', () => {
    const assignments = Object.values(resourcesOf(stacks.staging.json, RoleAssignment.tfResourceType));
    expect(assignments.map((assignment: any) => [assignment.role_definition_name, assignment.scope]).sort()).toEqual([
      ['Key Vault Crypto Officer', '${azurerm_key_vault.KeyVault_EBBC7C6F.id}'],
      ['Key Vault Crypto Service Encryption User', '${azurerm_key_vault_key.KeyVault_StorageKey_DD30ADE0.resource_versionless_id}'],
    ]);
    expect(Object.values(resourcesOf(stacks.dev.json, RoleAssignment.tfResourceType)).map((assignment: any) => assignment.scope)).toContain(
      '${azurerm_key_vault_key.KeyVault_SynapseKey_EC7B1F59.resource_versionless_id}',
    );
    for (const assignment of assignments) expect(assignment.role_definition_name).not.toMatch(/^(Owner|Contributor)$/);
  });

  test('creates the identity and key that the storage stack names', () => {
    const refs = new EnvironmentReferences({ config, environment: environmentOf(config, 'dev') });
    expect(
      Object.values(resourcesOf(stacks.dev.json, UserAssignedIdentity.tfResourceType))
        .map((identity: any) => identity.name)
        .sort(),
    ).toEqual([refs.encryptionIdentityName('storage'), refs.encryptionIdentityName('synapse')]);
    expect(refs.encryptionIdentityId('storage')).toBe(
      '/subscriptions/2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b/resourceGroups/rg-acme-dev-security' +
        '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acme-dev-storage-cmk',
    );
    const vault = onlyResource(stacks.dev.json, KeyVault.tfResourceType);
    expect(refs.keyVaultKeyId('storage-cmk')).toBe(`https://${vault.name}.vault.azure.net/keys/storage-cmk`);
  });

  test('reaches the vault over a private endpoint and sends its audit logs to the workspace', () => {
    expect(onlyResource(stacks.dev.json, PrivateEndpoint.tfResourceType)).toMatchObject({
      name: 'pep-acme-dev-kv-vault',
      private_service_connection: { subresource_names: ['vault'], private_connection_resource_id: '${azurerm_key_vault.KeyVault_EBBC7C6F.id}' },
      private_dns_zone_group: { private_dns_zone_ids: [expect.stringMatching(/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/)] },
    });
    expect(onlyResource(stacks.dev.json, MonitorDiagnosticSetting.tfResourceType)).toMatchObject({
      target_resource_id: '${azurerm_key_vault.KeyVault_EBBC7C6F.id}',
      log_analytics_workspace_id: expect.stringMatching(/\/workspaces\/log-acme-dev$/),
      enabled_log: [{ category_group: 'allLogs' }],
    });
  });

  test('prevents destroying the vault and keys in prod', () => {
    expect(onlyResource(stacks.prod.json, KeyVault.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    for (const key of Object.values(resourcesOf(stacks.prod.json, KeyVaultKey.tfResourceType))) expect(key.lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(stacks.dev.json, KeyVault.tfResourceType)).not.toHaveProperty('lifecycle');
  });

  test('lets the AzureDatabricks application wrap with the Databricks managed-services key only, in prod', () => {
    const assignments = Object.values<any>(resourcesOf(stacks.prod.json, RoleAssignment.tfResourceType));
    expect(assignments.filter((assignment) => assignment.principal_id === '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8')).toEqual([
      expect.objectContaining({
        role_definition_name: 'Key Vault Crypto Service Encryption User',
        scope: '${azurerm_key_vault_key.KeyVault_DatabricksServicesKey_E5FE9D36.resource_versionless_id}',
      }),
    ]);
  });
});
