import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { AzureNetworkStack } from '../../../stacks/azure/network-stack';
import { EnvironmentReferences } from '../../../stacks/azure/environment-references';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';

describe('AzureNetworkStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, synthStack(AzureNetworkStack, config, name)]));

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('keeps the logical id of the virtual network', () => {
    expect(Object.keys(resourcesOf(stacks.prod.json, VirtualNetwork.tfResourceType))).toEqual(['Network_1C6012B5']);
  });

  test('is named <prefix>-<env>-azure-network and keeps its own state', () => {
    expect(stacks.prod.stack.node.id).toBe('acme-prod-azure-network');
    expect(stacks.prod.json.terraform?.backend?.azurerm.key).toBe('acme-prod-azure-network.tfstate');
  });

  test('takes the address space from the definition, or the default of the stage', () => {
    expect(onlyResource(stacks.dev.json, VirtualNetwork.tfResourceType)).toMatchObject({ name: 'vnet-acme-dev', address_space: ['10.10.0.0/16'] });
    expect(onlyResource(stacks.staging.json, VirtualNetwork.tfResourceType).address_space).toEqual(['10.20.0.0/16']);
    expect(onlyResource(stacks.prod.json, VirtualNetwork.tfResourceType).address_space).toEqual(['10.30.0.0/16']);
  });

  test('carves a private-endpoints and a compute subnet without default outbound access', () => {
    const subnets = Object.values(resourcesOf(stacks.dev.json, Subnet.tfResourceType));
    expect(subnets.map((subnet: any) => [subnet.name, subnet.address_prefixes]).sort()).toEqual([
      ['snet-compute', ['10.10.64.0/18']],
      ['snet-private-endpoints', ['10.10.0.0/18']],
    ]);
    for (const subnet of subnets) expect(subnet).toMatchObject({ default_outbound_access_enabled: false, private_endpoint_network_policies: 'Enabled' });
  });

  test('puts every subnet behind a security group that denies the internet', () => {
    const groups = Object.values(resourcesOf(stacks.dev.json, NetworkSecurityGroup.tfResourceType));
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group.security_rule).toEqual([expect.objectContaining({ direction: 'Inbound', access: 'Deny', source_address_prefix: 'Internet' })]);
    }
    expect(Object.keys(resourcesOf(stacks.dev.json, SubnetNetworkSecurityGroupAssociation.tfResourceType))).toHaveLength(2);
  });

  test('links the private DNS zone of every private service to the network', () => {
    const zones = Object.values(resourcesOf(stacks.dev.json, PrivateDnsZone.tfResourceType)).map((zone: any) => zone.name);
    expect(zones.sort()).toEqual([
      'privatelink.blob.core.windows.net',
      'privatelink.database.windows.net',
      'privatelink.datafactory.azure.net',
      'privatelink.dev.azuresynapse.net',
      'privatelink.dfs.core.windows.net',
      'privatelink.servicebus.windows.net',
      'privatelink.sql.azuresynapse.net',
      'privatelink.vaultcore.azure.net',
    ]);
    const links = Object.values(resourcesOf(stacks.dev.json, PrivateDnsZoneVirtualNetworkLink.tfResourceType));
    expect(links).toHaveLength(8);
    for (const link of links)
      expect(link).toMatchObject({
        registration_enabled: false,
        virtual_network_id: expect.stringMatching(/^\$\{azurerm_virtual_network\.Network_[0-9A-F]+\.id\}$/),
      });
  });

  test('names what the other stacks refer to by id exactly as it creates it', () => {
    const refs = new EnvironmentReferences({ config, environment: environmentOf(config, 'dev') });
    expect(refs.subnetId('private-endpoints')).toBe(
      '/subscriptions/2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b/resourceGroups/rg-acme-dev-network' +
        '/providers/Microsoft.Network/virtualNetworks/vnet-acme-dev/subnets/snet-private-endpoints',
    );
    expect(refs.resourceGroupName('network')).toBe(onlyResource(stacks.dev.json, 'azurerm_resource_group').name);
    expect(refs.privateDnsZoneId('vault')).toMatch(
      /\/rg-acme-dev-network\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/,
    );
  });

  test("sends the network's and security groups' logs to the workspace", () => {
    const settings = Object.values(resourcesOf(stacks.dev.json, 'azurerm_monitor_diagnostic_setting'));
    expect(settings).toHaveLength(3);
    for (const setting of settings)
      expect(setting).toMatchObject({
        log_analytics_workspace_id: expect.stringMatching(/\/workspaces\/log-acme-dev$/),
        enabled_log: [{ category_group: 'allLogs' }],
      });
    expect(settings.filter((setting: any) => setting.target_resource_id.includes('azurerm_network_security_group'))).toHaveLength(2);
  });

  test('prevents destroying the network in prod only', () => {
    expect(onlyResource(stacks.prod.json, 'azurerm_resource_group').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(stacks.dev.json, 'azurerm_resource_group')).not.toHaveProperty('lifecycle');
  });

  test('follows a /20 address space with /22 subnets', () => {
    const small = configWith((definition) => {
      definition.environments.dev.azure.network = { addressSpace: '172.16.16.0/20' };
    });
    const subnets = Object.values(resourcesOf(synthStack(AzureNetworkStack, small, 'dev').json, Subnet.tfResourceType));
    expect(subnets.map((subnet: any) => subnet.address_prefixes[0]).sort()).toEqual(['172.16.16.0/22', '172.16.20.0/22']);
  });
});
