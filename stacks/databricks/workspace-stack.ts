import { DataAzurermKeyVaultKey } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-key';
import type { Construct } from 'constructs';
import { LakehouseWorkspace } from '../../constructs/databricks/lakehouse-workspace';
import { UnityCatalogAccessConnector } from '../../constructs/databricks/unity-catalog-access-connector';
import { WorkspaceSubnets } from '../../constructs/databricks/workspace-subnets';
import { azureResourceName } from '../../lib/naming';
import { AzureConcernStack } from '../azure/azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from '../azure/environment-references';
import { LakehouseReferences } from './lakehouse-references';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * The Azure side of one environment's lakehouse (`<prefix>-<env>-databricks-workspace`): the host and
 * container subnets in the environment network, the hardened Premium workspace with its private
 * endpoints and audit logs, customer-managed keys in production, and the access connector Unity
 * Catalog reaches the lake with. Deployed after network, monitoring, security and storage; the
 * lakehouse stack configures the workspace's contents.
 */
export class DatabricksWorkspaceStack extends AzureConcernStack {
  readonly lakehouseReferences: LakehouseReferences;
  readonly subnets: WorkspaceSubnets;
  readonly workspace: LakehouseWorkspace;
  readonly accessConnector: UnityCatalogAccessConnector;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'workspace', 'databricks');
    const refs = new LakehouseReferences(props);
    this.lakehouseReferences = refs;
    this.subnets = new WorkspaceSubnets(this, 'Subnets', {
      networkResourceGroupName: refs.resourceGroupName('network'),
      virtualNetworkName: refs.virtualNetworkName,
      addressSpace: this.azure.network.addressSpace,
      resourceGroupName: this.resourceGroup.name,
      location: this.azure.location,
      names: {
        host: {
          subnet: azureResourceName(refs.scope, 'subnet', 'databricks-host'),
          securityGroup: azureResourceName(refs.scope, 'networkSecurityGroup', 'databricks-host'),
        },
        container: {
          subnet: azureResourceName(refs.scope, 'subnet', 'databricks-container'),
          securityGroup: azureResourceName(refs.scope, 'networkSecurityGroup', 'databricks-container'),
        },
      },
      natGatewayName: azureResourceName(refs.scope, 'natGateway', 'databricks'),
      egressAddressName: azureResourceName(refs.scope, 'publicIp', 'databricks-egress'),
    });
    this.subnets.addDiagnostics(refs.logAnalyticsWorkspaceId);
    // Databricks takes a key's versioned id (it rotates disks to newer versions itself), so the keys the
    // security stack created are looked up; that reads the vault's data plane, which the deployment
    // reaches from inside the network like the security stack's.
    const key = (name: string) => ({
      keyId: new DataAzurermKeyVaultKey(this, `${name}-key`, { name, keyVaultId: refs.keyVaultId }).id,
      resourceId: refs.keyVaultKeyResourceId(name),
    });
    this.workspace = new LakehouseWorkspace(this, 'Workspace', {
      resourceGroup: this.resourceGroup,
      name: refs.workspaceName,
      managedResourceGroupName: refs.managedResourceGroupName,
      dbfsStorageAccountName: refs.dbfsStorageAccountName,
      virtualNetworkId: refs.virtualNetworkId,
      subnets: this.subnets,
      privateEndpointSubnetId: refs.subnetId('private-endpoints'),
      privateEndpointNamePrefix: refs.privateEndpointName('dbw', 'workspace'),
      customerManagedKeys: this.environment.policy.customerManagedKeys
        ? {
            keyVaultId: refs.keyVaultId,
            managedServices: key(CUSTOMER_MANAGED_KEYS.databricksManagedServices),
            managedDisks: key(CUSTOMER_MANAGED_KEYS.databricksManagedDisks),
            dbfsRoot: key(CUSTOMER_MANAGED_KEYS.databricksDbfsRoot),
          }
        : undefined,
      retainOnDelete: this.retainOnDelete,
    });
    this.workspace.addDiagnostics(refs.logAnalyticsWorkspaceId);
    this.accessConnector = new UnityCatalogAccessConnector(this, 'AccessConnector', {
      resourceGroup: this.resourceGroup,
      name: refs.accessConnectorName,
      lakeStorageAccountId: refs.storageAccountId,
    });
  }
}
