import { DatabricksAccessConnector } from '@cdktf/provider-azurerm/lib/databricks-access-connector';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';

export interface UnityCatalogAccessConnectorProps {
  readonly resourceGroup: ResourceGroup;
  /** Access connector name (see `databricksAccessConnectorName`). */
  readonly name: string;
  /** ARM id of the lake storage account Unity Catalog reads and writes. */
  readonly lakeStorageAccountId: string;
}

/**
 * The identity Unity Catalog reaches the lake with: an access connector with a system-assigned managed
 * identity that holds Storage Blob Data Contributor on the lake storage account and nowhere else. The
 * lakehouse stack wraps it in a storage credential; no secret exists anywhere.
 */
export class UnityCatalogAccessConnector extends Construct {
  readonly connector: DatabricksAccessConnector;

  constructor(scope: Construct, id: string, props: UnityCatalogAccessConnectorProps) {
    super(scope, id);
    this.connector = new DatabricksAccessConnector(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      identity: { type: 'SystemAssigned' },
    });
    new RoleAssignment(this, 'LakeAccess', {
      scope: props.lakeStorageAccountId,
      roleDefinitionName: 'Storage Blob Data Contributor',
      principalId: this.connector.identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'Lets Unity Catalog read and write the lake (every layer), and no other storage account',
    });
  }
}
