import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { parseIpv4Block, subnetOf } from '../../../constructs/azure/address-space';
import { PlatformNetwork, type PlatformNetworkProps } from '../../../constructs/azure/platform-network';

function networkStack(props: Partial<PlatformNetworkProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-network', location: 'westeurope' });
  const network = new PlatformNetwork(stack, 'Network', { resourceGroup, name: 'vnet-test', addressSpace: '10.0.0.0/16', ...props });
  return { stack, network };
}

describe('PlatformNetwork', () => {
  test('exposes its subnets and zones', () => {
    const { network } = networkStack({ dnsZones: ['dfs'] });
    expect(network.subnet('compute').nameInput).toBe('snet-compute');
    expect(network.dnsZone('dfs').nameInput).toBe('privatelink.dfs.core.windows.net');
    expect(() => network.dnsZone('vault')).toThrow('dnsZone: "vault" is not linked to this network; zones: dfs');
  });

  test('fails when addressSpace is not a CIDR block', () => {
    expect(() => networkStack({ addressSpace: '10.0.0/16' })).toThrow('addressSpace ("10.0.0/16") must be an IPv4 CIDR block such as 10.10.0.0/16');
  });

  test('fails when addressSpace has host bits set', () => {
    expect(() => networkStack({ addressSpace: '10.0.1.0/16' })).toThrow('addressSpace ("10.0.1.0/16") has host bits set');
  });

  test('fails when addressSpace is too small or too large to split', () => {
    expect(() => networkStack({ addressSpace: '10.0.0.0/24' })).toThrow('addressSpace ("10.0.0.0/24") has prefix /24; allowed: /16 to /22');
    expect(() => networkStack({ addressSpace: '10.0.0.0/8' })).toThrow('has prefix /8');
  });
});

describe('address space arithmetic', () => {
  test('carves consecutive blocks', () => {
    const block = parseIpv4Block('192.168.0.0/22', 'test');
    expect([0, 1, 2, 3].map((index) => subnetOf(block, 24, index))).toEqual(['192.168.0.0/24', '192.168.1.0/24', '192.168.2.0/24', '192.168.3.0/24']);
  });

  test('fails when a subnet does not fit', () => {
    expect(() => subnetOf(parseIpv4Block('10.0.0.0/22', 'test'), 24, 4)).toThrow('subnet 4 of /24 does not fit in 10.0.0.0/22');
  });
});
