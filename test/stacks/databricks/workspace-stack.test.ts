import { DatabricksAccessConnector } from '@cdktf/provider-azurerm/lib/databricks-access-connector';
import { DatabricksWorkspace } from '@cdktf/provider-azurerm/lib/databricks-workspace';
import { DatabricksWorkspaceRootDbfsCustomerManagedKey } from '@cdktf/provider-azurerm/lib/databricks-workspace-root-dbfs-customer-managed-key';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { checkovSkipsOf } from '../../../constructs/azure/checkov-skip';
import { DatabricksWorkspaceStack } from '../../../stacks/databricks/workspace-stack';
import { configWith, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthDatabricksStack } from './databricks-stack-fixture';

const byName = (resources: Record<string, any>) => Object.fromEntries(Object.values(resources).map((resource: any) => [resource.name, resource]));

describe('DatabricksWorkspaceStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(
    ['dev', 'staging', 'prod'].map((name) => [name, synthDatabricksStack(DatabricksWorkspaceStack, config, name, { standardTags: true })]),
  );
  const dev = stacks.dev.json;
  const prod = stacks.prod.json;

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('keeps the logical ids of the workspace and the access connector', () => {
    expect(Object.keys(resourcesOf(prod, DatabricksWorkspace.tfResourceType))).toEqual(['Workspace_2F8C78CC']);
    expect(Object.keys(resourcesOf(prod, DatabricksAccessConnector.tfResourceType))).toEqual(['AccessConnector_7C260779']);
  });

  test('is named <prefix>-<env>-databricks-workspace and keeps its own state', () => {
    expect(stacks.dev.stack.node.id).toBe('acme-dev-databricks-workspace');
    expect(dev.terraform?.backend.azurerm).toMatchObject({ key: 'acme-dev-databricks-workspace.tfstate', use_azuread_auth: true });
  });

  test('is a Premium workspace without public access, with secure cluster connectivity and back-end private link', () => {
    expect(onlyResource(dev, DatabricksWorkspace.tfResourceType)).toMatchObject({
      name: 'dbw-acme-dev',
      sku: 'premium',
      public_network_access_enabled: false,
      network_security_group_rules_required: 'NoAzureDatabricksRules',
      infrastructure_encryption_enabled: true,
      managed_resource_group_name: 'rg-acme-dev-databricks-managed',
      custom_parameters: {
        no_public_ip: true,
        public_subnet_name: '${azurerm_subnet.Subnets_host-subnet_3EE6C6E0.name}',
        private_subnet_name: '${azurerm_subnet.Subnets_container-subnet_23DFAEF5.name}',
        virtual_network_id: expect.stringMatching(/\/resourceGroups\/rg-acme-dev-network\/providers\/Microsoft\.Network\/virtualNetworks\/vnet-acme-dev$/),
        storage_account_name: expect.stringMatching(/^acmedevdbfs[0-9a-f]{4}$/),
      },
    });
  });

  test('injects the workspace into host and container subnets from the free half of the network, delegated and guarded', () => {
    const subnets = byName(resourcesOf(dev, Subnet.tfResourceType));
    expect(Object.keys(subnets).sort()).toEqual(['snet-acme-dev-databricks-container', 'snet-acme-dev-databricks-host']);
    expect(subnets['snet-acme-dev-databricks-host'].address_prefixes).toEqual(['10.10.128.0/18']);
    expect(subnets['snet-acme-dev-databricks-container'].address_prefixes).toEqual(['10.10.192.0/18']);
    for (const subnet of Object.values<any>(subnets)) {
      expect(subnet).toMatchObject({
        resource_group_name: 'rg-acme-dev-network',
        virtual_network_name: 'vnet-acme-dev',
        default_outbound_access_enabled: false,
      });
      expect(subnet.delegation[0].service_delegation.name).toBe('Microsoft.Databricks/workspaces');
    }
    for (const group of Object.values<any>(resourcesOf(dev, NetworkSecurityGroup.tfResourceType))) {
      expect(group.security_rule).toEqual([expect.objectContaining({ access: 'Deny', direction: 'Inbound', source_address_prefix: 'Internet' })]);
    }
    expect(byName(resourcesOf(stacks.staging.json, Subnet.tfResourceType))['snet-acme-staging-databricks-host'].address_prefixes).toEqual(['10.20.128.0/18']);
  });

  test('takes the third and fourth quarters of a small address space too', () => {
    const small = configWith((d) => (d.environments.dev.azure.network.addressSpace = '10.50.4.0/22'));
    const subnets = byName(resourcesOf(synthDatabricksStack(DatabricksWorkspaceStack, small, 'dev').json, Subnet.tfResourceType));
    expect(subnets['snet-acme-dev-databricks-host'].address_prefixes).toEqual(['10.50.6.0/24']);
    expect(subnets['snet-acme-dev-databricks-container'].address_prefixes).toEqual(['10.50.7.0/24']);
  });

  test('serves users and clusters through private endpoints in the private-endpoints subnet', () => {
    const endpoints = Object.values<any>(resourcesOf(dev, PrivateEndpoint.tfResourceType));
    expect(endpoints.map((endpoint) => endpoint.private_service_connection.subresource_names[0]).sort()).toEqual([
      'browser_authentication',
      'databricks_ui_api',
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint.subnet_id).toMatch(/\/subnets\/snet-private-endpoints$/);
      expect(endpoint.private_dns_zone_group.private_dns_zone_ids).toEqual(['${azurerm_private_dns_zone.Workspace_DnsZone_03F46CAA.id}']);
    }
  });

  test('encrypts managed services, managed disks and the DBFS root with customer-managed keys in prod only', () => {
    expect(onlyResource(prod, DatabricksWorkspace.tfResourceType)).toMatchObject({
      customer_managed_key_enabled: true,
      managed_services_cmk_key_vault_key_id: '${data.azurerm_key_vault_key.databricks-services-cmk-key.id}',
      managed_disk_cmk_key_vault_key_id: '${data.azurerm_key_vault_key.databricks-disks-cmk-key.id}',
      managed_disk_cmk_rotation_to_latest_version_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(prod, DatabricksWorkspaceRootDbfsCustomerManagedKey.tfResourceType).key_vault_key_id).toBe(
      '${data.azurerm_key_vault_key.databricks-dbfs-cmk-key.id}',
    );
    expect(
      Object.values<any>((prod as any).data.azurerm_key_vault_key)
        .map((key) => [key.name, key.key_vault_id.split('/').pop()])
        .sort(),
    ).toEqual([
      ['databricks-dbfs-cmk', expect.stringMatching(/^kv-acme-prod-[0-9a-f]{4}$/)],
      ['databricks-disks-cmk', expect.stringMatching(/^kv-acme-prod-[0-9a-f]{4}$/)],
      ['databricks-services-cmk', expect.stringMatching(/^kv-acme-prod-[0-9a-f]{4}$/)],
    ]);
    expect((dev as any).data).toBeUndefined();
    const keyRoles = Object.values<any>(resourcesOf(prod, RoleAssignment.tfResourceType)).filter(
      (role) => role.role_definition_name === 'Key Vault Crypto Service Encryption User',
    );
    expect(keyRoles.map((role) => role.scope.split('/').slice(-1)[0]).sort()).toEqual(['databricks-dbfs-cmk', 'databricks-disks-cmk']);
    const devWorkspace = onlyResource(dev, DatabricksWorkspace.tfResourceType);
    expect(devWorkspace).not.toHaveProperty('managed_services_cmk_key_vault_key_id');
    expect(devWorkspace).not.toHaveProperty('lifecycle');
    expect(resourcesOf(dev, DatabricksWorkspaceRootDbfsCustomerManagedKey.tfResourceType)).toEqual({});
    expect(checkovSkipsOf(stacks.dev.stack.workspace.workspace).map((skip) => skip.id)).toEqual(['CKV2_AZURE_48']);
    expect(checkovSkipsOf(stacks.prod.stack.workspace.workspace)).toEqual([]);
  });

  test('gives the access connector Storage Blob Data Contributor on the lake account and nothing else', () => {
    expect(onlyResource(dev, DatabricksAccessConnector.tfResourceType)).toMatchObject({ name: 'dbac-acme-dev', identity: { type: 'SystemAssigned' } });
    const roles = Object.values<any>(resourcesOf(dev, RoleAssignment.tfResourceType));
    expect(roles).toEqual([
      expect.objectContaining({
        role_definition_name: 'Storage Blob Data Contributor',
        scope: expect.stringMatching(/\/resourceGroups\/rg-acme-dev-data\/providers\/Microsoft\.Storage\/storageAccounts\/acmedevdl[0-9a-f]{4}$/),
        principal_id: '${azurerm_databricks_access_connector.AccessConnector_7C260779.identity[0].principal_id}',
      }),
    ]);
  });

  test('sends the workspace and security group logs to the environment workspace', () => {
    const settings = Object.values<any>(resourcesOf(dev, MonitorDiagnosticSetting.tfResourceType));
    expect(settings).toHaveLength(3);
    for (const setting of settings) {
      expect(setting.log_analytics_workspace_id).toMatch(/\/workspaces\/log-acme-dev$/);
      expect(setting.enabled_log).toEqual([{ category_group: 'allLogs' }]);
    }
  });

  test('tags what it creates with the standard tags', () => {
    expect(onlyResource(dev, DatabricksWorkspace.tfResourceType).tags).toMatchObject({ platform: 'acme', environment: 'dev', 'cost-center': 'cc-4410' });
  });
});
