import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';
import { parseIpv4Block, subnetOf } from './address-space';
import { DiagnosticSettings } from './diagnostic-settings';
import { denyInternetInbound } from './network-security-rules';
import { PRIVATE_DNS_ZONE_KEYS, PRIVATE_DNS_ZONES, type PrivateDnsZoneKey } from './private-dns-zones';

/** The subnets of the platform network, in the order they are carved from the address space. */
export const PLATFORM_SUBNETS = ['private-endpoints', 'compute'] as const;
export type PlatformSubnet = (typeof PLATFORM_SUBNETS)[number];

export interface PlatformNetworkProps {
  /** Resource group of the network, its security groups and DNS zones. */
  readonly resourceGroup: ResourceGroup;
  /** Name of the virtual network (see `azureResourceName(scope, 'virtualNetwork')`). */
  readonly name: string;
  /** IPv4 CIDR block of the network, /16 to /22; each subnet gets a quarter of it. */
  readonly addressSpace: string;
  /**
   * Names of the subnets' network security groups, by subnet.
   * @default - `nsg-<network name>-<subnet>`
   */
  readonly securityGroupNames?: Readonly<Partial<Record<PlatformSubnet, string>>>;
  /**
   * Private DNS zones to create and link to the network.
   * @default PRIVATE_DNS_ZONE_KEYS (every service the platform reaches privately)
   */
  readonly dnsZones?: readonly PrivateDnsZoneKey[];
}

/**
 * The private network of an environment: a virtual network split into a private-endpoints subnet and a
 * compute subnet (a quarter of the address space each; the other half stays free for later workloads
 * such as Databricks' delegated subnets), a network security group per subnet that refuses traffic
 * from the internet, no default outbound access, and the private DNS zones of every service the
 * platform reaches over private endpoints, linked to the network.
 */
export class PlatformNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  private readonly subnets: ReadonlyMap<PlatformSubnet, Subnet>;
  private readonly securityGroups: NetworkSecurityGroup[] = [];
  private readonly zones: ReadonlyMap<PrivateDnsZoneKey, PrivateDnsZone>;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    const block = parseIpv4Block(props.addressSpace, 'addressSpace');
    if (block.prefixLength < 16 || block.prefixLength > 22) {
      throw new Error(`addressSpace ("${props.addressSpace}") has prefix /${block.prefixLength}; allowed: /16 to /22, so that every subnet is at least /24`);
    }
    const location = props.resourceGroup.location;
    const resourceGroupName = props.resourceGroup.name;

    this.virtualNetwork = new VirtualNetwork(this, 'Resource', {
      name: props.name,
      resourceGroupName,
      location,
      addressSpace: [props.addressSpace],
    });

    this.subnets = new Map(
      PLATFORM_SUBNETS.map((name, index) => {
        const subnet = new Subnet(this, `${name}-subnet`, {
          name: `snet-${name}`,
          resourceGroupName,
          virtualNetworkName: this.virtualNetwork.name,
          addressPrefixes: [subnetOf(block, block.prefixLength + 2, index)],
          // Nothing reaches the internet unless a later issue adds a NAT gateway on purpose.
          defaultOutboundAccessEnabled: false,
          // Network security groups and route tables apply to private endpoints too.
          privateEndpointNetworkPolicies: 'Enabled',
        });
        const securityGroup = new NetworkSecurityGroup(this, `${name}-nsg`, {
          name: props.securityGroupNames?.[name] ?? `nsg-${props.name}-${name}`,
          resourceGroupName,
          location,
          securityRule: [denyInternetInbound('Nothing on the internet reaches the platform network; services are reached over private endpoints')],
        });
        this.securityGroups.push(securityGroup);
        new SubnetNetworkSecurityGroupAssociation(this, `${name}-nsg-association`, { subnetId: subnet.id, networkSecurityGroupId: securityGroup.id });
        return [name, subnet] as const;
      }),
    );

    this.zones = new Map(
      (props.dnsZones ?? PRIVATE_DNS_ZONE_KEYS).map((key) => {
        const zone = new PrivateDnsZone(this, `${key}-zone`, { name: PRIVATE_DNS_ZONES[key], resourceGroupName });
        new PrivateDnsZoneVirtualNetworkLink(this, `${key}-zone-link`, {
          name: `${props.name}-${key}`,
          resourceGroupName,
          privateDnsZoneName: zone.name,
          virtualNetworkId: this.virtualNetwork.id,
          registrationEnabled: false,
        });
        return [key, zone] as const;
      }),
    );
  }

  /** Sends the network's and its security groups' logs (and the network's metrics) to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): void {
    new DiagnosticSettings(this, 'Diagnostics', { targetResourceId: this.virtualNetwork.id, logAnalyticsWorkspaceId });
    this.securityGroups.forEach((group, index) => {
      // Security groups emit logs (rule events and counters) but no metrics.
      new DiagnosticSettings(this, `${PLATFORM_SUBNETS[index]}-nsg-diagnostics`, { targetResourceId: group.id, logAnalyticsWorkspaceId, metricCategories: [] });
    });
  }

  /** A subnet of the network. */
  subnet(name: PlatformSubnet): Subnet {
    const subnet = this.subnets.get(name);
    if (!subnet) throw new Error(`subnet: "${name}" is not a subnet of this network; subnets: ${PLATFORM_SUBNETS.join(', ')}`);
    return subnet;
  }

  /** The private DNS zone of a sub-resource; throws when the network does not hold it. */
  dnsZone(key: PrivateDnsZoneKey): PrivateDnsZone {
    const zone = this.zones.get(key);
    if (!zone) throw new Error(`dnsZone: "${key}" is not linked to this network; zones: ${[...this.zones.keys()].join(', ')}`);
    return zone;
  }
}
