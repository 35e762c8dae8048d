import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { SynapseWorkspace } from '@cdktf/provider-azurerm/lib/synapse-workspace';
import { SynapseWorkspaceAadAdmin } from '@cdktf/provider-azurerm/lib/synapse-workspace-aad-admin';
import { SynapseWorkspaceExtendedAuditingPolicy } from '@cdktf/provider-azurerm/lib/synapse-workspace-extended-auditing-policy';
import { Construct } from 'constructs';
import { skipCheckov } from './checkov-skip';
import { DiagnosticSettings } from './diagnostic-settings';
import { ServicePrivateEndpoint, type ServicePrivateEndpointProps } from './service-private-endpoint';
import type { SqlAdministrator } from './sql-warehouse';

export interface SynapseAnalyticsProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique workspace name (see `synapseWorkspaceName`). */
  readonly name: string;
  /** The lake: its account id and name. The workspace keeps its own metadata in a `synapse` filesystem. */
  readonly lake: { readonly accountId: string; readonly accountName: string };
  /** The Entra ID group that administers the workspace. */
  readonly administrator: SqlAdministrator;
  /**
   * The customer-managed key that encrypts the workspace (double encryption), reached through a
   * user-assigned identity that already holds Key Vault Crypto Service Encryption User on it, so the
   * workspace is active as soon as it is created.
   * @default - Microsoft-managed keys only (checkov reports CKV_AZURE_240)
   */
  readonly customerManagedKey?: { readonly keyVersionlessId: string; readonly userAssignedIdentityId: string };
}

const WORKSPACE_FILESYSTEM = 'synapse';

/**
 * A Synapse Analytics workspace on the lake: managed virtual network with data-exfiltration
 * protection, Entra ID authentication only (a group as admin), no public network access. It has no
 * platform workload beyond its built-in serverless SQL endpoint: no job of the platform runs on Synapse
 * (dbt builds gold on Databricks, and the dbt job loads it into the Azure SQL warehouse for BI), so it has
 * no Spark pool and no dedicated SQL pool, and private endpoints only for serverless SQL and Synapse
 * Studio. Its users query the lake ad hoc through serverless SQL (`OPENROWSET`); the workspace's identity
 * may read the gold filesystem, where Unity Catalog keeps gold's managed Delta tables under paths it
 * chooses (`DESCRIBE DETAIL <table>` shows one), and writes its own filesystem, nothing else.
 */
export class SynapseAnalytics extends Construct {
  readonly workspace: SynapseWorkspace;

  constructor(scope: Construct, id: string, props: SynapseAnalyticsProps) {
    super(scope, id);
    const filesystem = new StorageContainer(this, 'Filesystem', {
      name: WORKSPACE_FILESYSTEM,
      storageAccountId: props.lake.accountId,
      containerAccessType: 'private',
    });
    this.workspace = new SynapseWorkspace(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      storageDataLakeGen2FilesystemId: `https://${props.lake.accountName}.dfs.core.windows.net/${WORKSPACE_FILESYSTEM}`,
      managedVirtualNetworkEnabled: true,
      dataExfiltrationProtectionEnabled: true,
      publicNetworkAccessEnabled: false,
      azureadAuthenticationOnly: true,
      identity: props.customerManagedKey
        ? { type: 'SystemAssigned, UserAssigned', identityIds: [props.customerManagedKey.userAssignedIdentityId] }
        : { type: 'SystemAssigned' },
      customerManagedKey: props.customerManagedKey && {
        keyVersionlessId: props.customerManagedKey.keyVersionlessId,
        keyName: 'cmk',
        userAssignedIdentityId: props.customerManagedKey.userAssignedIdentityId,
      },
      dependsOn: [filesystem],
    });
    skipCheckov(filesystem, {
      id: 'CKV2_AZURE_21',
      reason: 'Blob read logs of the lake account, this filesystem included, go to Log Analytics through the storage stack blob diagnostic settings',
    });
    // Audit events go to Log Analytics through the workspace diagnostic settings (addDiagnostics).
    new SynapseWorkspaceExtendedAuditingPolicy(this, 'Auditing', { synapseWorkspaceId: this.workspace.id, logMonitoringEnabled: true });
    new SynapseWorkspaceAadAdmin(this, 'Admin', {
      synapseWorkspaceId: this.workspace.id,
      login: props.administrator.name,
      objectId: props.administrator.objectId,
      tenantId: props.administrator.tenantId,
    });
    const grants = [
      ['WorkspaceFilesystemAccess', WORKSPACE_FILESYSTEM, 'Storage Blob Data Contributor'],
      ['GoldReader', 'gold', 'Storage Blob Data Reader'],
    ] as const;
    for (const [grantId, container, role] of grants) {
      new RoleAssignment(this, grantId, {
        scope: `${props.lake.accountId}/blobServices/default/containers/${container}`,
        roleDefinitionName: role,
        principalId: this.workspace.identity.principalId,
        principalType: 'ServicePrincipal',
        description: `Lets the Synapse workspace use the ${container} filesystem (${role})`,
      });
    }
  }

  /** Private endpoints for the serverless SQL and development (Synapse Studio) endpoints; there is no dedicated SQL pool to reach. */
  addPrivateEndpoints(
    options: { readonly namePrefix: string } & Pick<ServicePrivateEndpointProps, 'subnetId'> & { readonly sqlZoneId: string; readonly devZoneId: string },
  ): void {
    for (const [subresource, zone] of [
      ['SqlOnDemand', options.sqlZoneId],
      ['Dev', options.devZoneId],
    ] as const) {
      new ServicePrivateEndpoint(this, `${subresource}-endpoint`, {
        name: `${options.namePrefix}-${subresource.toLowerCase()}`,
        resourceGroupName: this.workspace.resourceGroupName,
        location: this.workspace.location,
        targetResourceId: this.workspace.id,
        subresource,
        subnetId: options.subnetId,
        privateDnsZoneId: zone,
      });
    }
  }

  /** Sends the workspace's logs and metrics to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): DiagnosticSettings {
    return new DiagnosticSettings(this, 'Diagnostics', { targetResourceId: this.workspace.id, logAnalyticsWorkspaceId });
  }
}
