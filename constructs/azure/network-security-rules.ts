import type { NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';

/**
 * The rule every platform subnet's security group carries: nothing on the internet reaches it (services
 * are reached over private endpoints). Priority 4000 leaves room for narrower rules before it.
 */
export function denyInternetInbound(description: string): NetworkSecurityGroupSecurityRule {
  return {
    name: 'deny-internet-inbound',
    description,
    priority: 4000,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: '*',
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
  };
}
