import { DatabricksWorkspace } from '@cdktf/provider-azurerm/lib/databricks-workspace';
import { DatabricksWorkspaceRootDbfsCustomerManagedKey } from '@cdktf/provider-azurerm/lib/databricks-workspace-root-dbfs-customer-managed-key';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import { skipCheckov } from '../azure/checkov-skip';
import { DiagnosticSettings } from '../azure/diagnostic-settings';
import { ServicePrivateEndpoint } from '../azure/service-private-endpoint';
import type { WorkspaceSubnets } from './workspace-subnets';

/** The private DNS zone of the workspace's front end, back end and browser authentication. */
export const DATABRICKS_PRIVATE_DNS_ZONE = 'privatelink.azuredatabricks.net';

/** Customer-managed keys of the workspace (Key Vault key ids and their ARM ids). */
export interface WorkspaceCustomerManagedKeys {
  /** ARM id of the vault that holds the keys. */
  readonly keyVaultId: string;
  /** Key of the managed services (notebooks, secrets, queries in the control plane). */
  readonly managedServices: WorkspaceKey;
  /** Key of the clusters' managed disks. */
  readonly managedDisks: WorkspaceKey;
  /** Key of the DBFS root storage account. */
  readonly dbfsRoot: WorkspaceKey;
}

export interface WorkspaceKey {
  /** The key's versioned id, `https://<vault>.vault.azure.net/keys/<name>/<version>` (disks follow later versions themselves). */
  readonly keyId: string;
  /** `<vault ARM id>/keys/<name>`: the scope of a role assignment on this key alone. */
  readonly resourceId: string;
}

export interface LakehouseWorkspaceProps {
  readonly resourceGroup: ResourceGroup;
  /** Workspace name (see `databricksWorkspaceName`). */
  readonly name: string;
  /** Resource group Azure Databricks creates and manages for the workspace's own resources. */
  readonly managedResourceGroupName: string;
  /** Name of the DBFS root storage account in the managed resource group. */
  readonly dbfsStorageAccountName: string;
  /** Id of the environment's virtual network (VNet injection). */
  readonly virtualNetworkId: string;
  /** The delegated host and container subnets. */
  readonly subnets: WorkspaceSubnets;
  /** Id of the subnet that holds the workspace's private endpoints. */
  readonly privateEndpointSubnetId: string;
  /** Prefix of the private endpoint names, e.g. `pep-acme-dev-dbw`. */
  readonly privateEndpointNamePrefix: string;
  /**
   * Customer-managed keys for managed services, managed disks and the DBFS root.
   * @default - Microsoft-managed keys
   */
  readonly customerManagedKeys?: WorkspaceCustomerManagedKeys;
  /**
   * Whether Terraform refuses to destroy the workspace (`prevent_destroy`).
   * @default false
   */
  readonly retainOnDelete?: boolean;
}

const KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = 'Key Vault Crypto Service Encryption User';

/**
 * A hardened Azure Databricks workspace: Premium (Unity Catalog, cluster policies, private link), injected
 * into the environment network with secure cluster connectivity (no public IP on any node), public
 * network access off with front- and back-end private link (one `databricks_ui_api` endpoint serves the
 * users and the clusters; a `browser_authentication` endpoint serves single sign-on), infrastructure
 * encryption of the DBFS root, and customer-managed keys for managed services, managed disks and the
 * DBFS root where the environment asks (production).
 */
export class LakehouseWorkspace extends Construct {
  readonly workspace: DatabricksWorkspace;
  readonly dnsZone: PrivateDnsZone;

  constructor(scope: Construct, id: string, props: LakehouseWorkspaceProps) {
    super(scope, id);
    const resourceGroupName = props.resourceGroup.name;
    const location = props.resourceGroup.location;
    const lifecycle: TerraformResourceLifecycle | undefined = props.retainOnDelete ? { preventDestroy: true } : undefined;
    const keys = props.customerManagedKeys;

    this.workspace = new DatabricksWorkspace(this, 'Resource', {
      name: props.name,
      resourceGroupName,
      location,
      sku: 'premium',
      managedResourceGroupName: props.managedResourceGroupName,
      publicNetworkAccessEnabled: false,
      // Back-end private link: the clusters reach the control plane over the private endpoint below, so
      // Azure Databricks adds no outbound rules of its own to the security groups.
      networkSecurityGroupRulesRequired: 'NoAzureDatabricksRules',
      infrastructureEncryptionEnabled: true,
      customerManagedKeyEnabled: keys ? true : undefined,
      managedServicesCmkKeyVaultId: keys?.keyVaultId,
      managedServicesCmkKeyVaultKeyId: keys?.managedServices.keyId,
      managedDiskCmkKeyVaultId: keys?.keyVaultId,
      managedDiskCmkKeyVaultKeyId: keys?.managedDisks.keyId,
      managedDiskCmkRotationToLatestVersionEnabled: keys ? true : undefined,
      customParameters: {
        noPublicIp: true,
        virtualNetworkId: props.virtualNetworkId,
        publicSubnetName: props.subnets.subnet('host').name,
        privateSubnetName: props.subnets.subnet('container').name,
        publicSubnetNetworkSecurityGroupAssociationId: props.subnets.securityGroupAssociation('host').id,
        privateSubnetNetworkSecurityGroupAssociationId: props.subnets.securityGroupAssociation('container').id,
        storageAccountName: props.dbfsStorageAccountName,
        storageAccountSkuName: 'Standard_ZRS',
      },
      lifecycle,
    });
    if (keys) {
      const dbfsKeyAccess = this.grantKey(
        'DbfsKeyAccess',
        keys.dbfsRoot,
        this.workspace.storageAccountIdentity.get(0).principalId,
        'DBFS root storage account',
      );
      this.grantKey('DisksKeyAccess', keys.managedDisks, this.workspace.managedDiskIdentity.get(0).principalId, 'managed disk encryption set');
      new DatabricksWorkspaceRootDbfsCustomerManagedKey(this, 'DbfsRootKey', {
        workspaceId: this.workspace.id,
        keyVaultId: keys.keyVaultId,
        keyVaultKeyId: keys.dbfsRoot.keyId,
        dependsOn: [dbfsKeyAccess],
      });
    } else {
      skipCheckov(this.workspace, {
        id: 'CKV2_AZURE_48',
        reason:
          'The stage policy gives customer-managed workspace keys to production only (customerManagedKeys in ' +
          'lib/config/stage-policy.ts); elsewhere the DBFS root is encrypted twice with Microsoft-managed keys ' +
          '(infrastructure encryption). It holds no lake table (Unity Catalog keeps them in the lake, under its ' +
          'own customer-managed key), but it does hold workspace data such as MLflow run artifacts of the ML ' +
          'use cases and downloaded query results',
      });
    }

    this.dnsZone = new PrivateDnsZone(this, 'DnsZone', { name: DATABRICKS_PRIVATE_DNS_ZONE, resourceGroupName });
    new PrivateDnsZoneVirtualNetworkLink(this, 'DnsZoneLink', {
      name: `${props.name}-link`,
      resourceGroupName,
      privateDnsZoneName: this.dnsZone.name,
      virtualNetworkId: props.virtualNetworkId,
      registrationEnabled: false,
    });
    for (const [endpointId, subresource, suffix] of [
      ['UiApiEndpoint', 'databricks_ui_api', 'ui-api'],
      ['BrowserAuthenticationEndpoint', 'browser_authentication', 'auth'],
    ] as const) {
      new ServicePrivateEndpoint(this, endpointId, {
        name: `${props.privateEndpointNamePrefix}-${suffix}`,
        resourceGroupName,
        location,
        targetResourceId: this.workspace.id,
        subresource,
        subnetId: props.privateEndpointSubnetId,
        privateDnsZoneId: this.dnsZone.id,
      });
    }
  }

  private grantKey(id: string, key: WorkspaceKey, principalId: string, what: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope: key.resourceId,
      roleDefinitionName: KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
      principalId,
      principalType: 'ServicePrincipal',
      description: `Lets the workspace's ${what} encrypt with its key only`,
    });
  }

  /** Sends the workspace's audit logs (jobs, clusters, Unity Catalog, accounts...) to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): DiagnosticSettings {
    // Databricks emits logs only, no platform metrics.
    return new DiagnosticSettings(this, 'Diagnostics', { targetResourceId: this.workspace.id, logAnalyticsWorkspaceId, metricCategories: [] });
  }
}
