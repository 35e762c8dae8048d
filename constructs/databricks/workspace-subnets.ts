import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { parseIpv4Block, subnetOf } from '../azure/address-space';
import { DiagnosticSettings } from '../azure/diagnostic-settings';
import { denyInternetInbound } from '../azure/network-security-rules';

/**
 * The two subnets a VNet-injected workspace needs: `host` (Databricks calls it public: the cluster
 * nodes' host network) and `container` (private: the Spark containers). Neither has public addresses.
 */
export const WORKSPACE_SUBNETS = ['host', 'container'] as const;
export type WorkspaceSubnet = (typeof WORKSPACE_SUBNETS)[number];

/**
 * Quarters of the environment network the workspace subnets take. The platform network uses the first
 * two quarters (private endpoints, compute) and leaves the second half for the Databricks subnets.
 */
const QUARTER_OF: Record<WorkspaceSubnet, number> = { host: 2, container: 3 };

export interface WorkspaceSubnetsProps {
  /** Resource group of the virtual network (the subnets must live beside it). */
  readonly networkResourceGroupName: string;
  /** Name of the environment's virtual network. */
  readonly virtualNetworkName: string;
  /** Address space of the virtual network, /16 to /22; the subnets take its third and fourth quarters. */
  readonly addressSpace: string;
  /** Resource group of the security groups and the NAT gateway (the workspace's own). */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Names of each subnet and its security group (see `azureResourceName`). */
  readonly names: Readonly<Record<WorkspaceSubnet, { readonly subnet: string; readonly securityGroup: string }>>;
  /** Names of the NAT gateway and its public address. */
  readonly natGatewayName: string;
  readonly egressAddressName: string;
}

/**
 * Host and container subnets delegated to `Microsoft.Databricks/workspaces`, each with a network security
 * group that refuses traffic from the internet, and a NAT gateway as the clusters' only way out (secure
 * cluster connectivity gives nodes no public address; they still fetch libraries and reach Azure
 * services outbound). The subnets are carved from the network's address space, so they never overlap
 * the platform subnets.
 */
export class WorkspaceSubnets extends Construct {
  private readonly subnets = new Map<WorkspaceSubnet, Subnet>();
  private readonly associations = new Map<WorkspaceSubnet, SubnetNetworkSecurityGroupAssociation>();
  private readonly securityGroups: NetworkSecurityGroup[] = [];
  readonly natGateway: NatGateway;

  constructor(scope: Construct, id: string, props: WorkspaceSubnetsProps) {
    super(scope, id);
    const block = parseIpv4Block(props.addressSpace, 'addressSpace');
    if (block.prefixLength < 16 || block.prefixLength > 22) {
      throw new Error(
        `WorkspaceSubnets: addressSpace ("${props.addressSpace}") has prefix /${block.prefixLength}; ` +
          `allowed: /16 to /22, so that each workspace subnet is at least /24`,
      );
    }
    this.natGateway = new NatGateway(this, 'NatGateway', {
      name: props.natGatewayName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: 'Standard',
      idleTimeoutInMinutes: 10,
    });
    const egressAddress = new PublicIp(this, 'NatAddress', {
      name: props.egressAddressName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      allocationMethod: 'Static',
      sku: 'Standard',
    });
    new NatGatewayPublicIpAssociation(this, 'NatAddressAssociation', { natGatewayId: this.natGateway.id, publicIpAddressId: egressAddress.id });

    for (const name of WORKSPACE_SUBNETS) {
      const subnet = new Subnet(this, `${name}-subnet`, {
        name: props.names[name].subnet,
        resourceGroupName: props.networkResourceGroupName,
        virtualNetworkName: props.virtualNetworkName,
        addressPrefixes: [subnetOf(block, block.prefixLength + 2, QUARTER_OF[name])],
        defaultOutboundAccessEnabled: false,
        delegation: [
          {
            name: 'databricks',
            serviceDelegation: {
              name: 'Microsoft.Databricks/workspaces',
              actions: [
                'Microsoft.Network/virtualNetworks/subnets/join/action',
                'Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action',
                'Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action',
              ],
            },
          },
        ],
      });
      const securityGroup = new NetworkSecurityGroup(this, `${name}-nsg`, {
        name: props.names[name].securityGroup,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        securityRule: [denyInternetInbound('Cluster nodes accept nothing from the internet; the control plane is reached over private link')],
      });
      this.securityGroups.push(securityGroup);
      this.subnets.set(name, subnet);
      this.associations.set(
        name,
        new SubnetNetworkSecurityGroupAssociation(this, `${name}-nsg-association`, { subnetId: subnet.id, networkSecurityGroupId: securityGroup.id }),
      );
      new SubnetNatGatewayAssociation(this, `${name}-nat-association`, { subnetId: subnet.id, natGatewayId: this.natGateway.id });
    }
  }

  /** A workspace subnet. */
  subnet(name: WorkspaceSubnet): Subnet {
    return this.subnets.get(name)!;
  }

  /** The security group association of a subnet (the workspace must wait for it). */
  securityGroupAssociation(name: WorkspaceSubnet): SubnetNetworkSecurityGroupAssociation {
    return this.associations.get(name)!;
  }

  /** Sends the security groups' logs to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): void {
    this.securityGroups.forEach((group, index) => {
      new DiagnosticSettings(this, `${WORKSPACE_SUBNETS[index]}-nsg-diagnostics`, {
        targetResourceId: group.id,
        logAnalyticsWorkspaceId,
        metricCategories: [],
      });
    });
  }
}
