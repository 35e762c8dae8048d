import type { Construct } from 'constructs';
import { PlatformNetwork } from '../../constructs/azure/platform-network';
import { AzureConcernStack } from './azure-concern-stack';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * The private network of one environment (`<prefix>-<env>-azure-network`): the virtual network, its
 * subnets and security groups, and the private DNS zones, logging to the environment's workspace.
 * Deployed right after monitoring; the private endpoints of the
 * lake, the vault and the namespace live in their own stacks and find the subnet and zones by id.
 */
export class AzureNetworkStack extends AzureConcernStack {
  readonly network: PlatformNetwork;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'network');
    this.network = new PlatformNetwork(this, 'Network', {
      resourceGroup: this.resourceGroup,
      name: this.references.virtualNetworkName,
      addressSpace: this.azure.network.addressSpace,
    });
    this.network.addDiagnostics(this.references.logAnalyticsWorkspaceId);
  }
}
