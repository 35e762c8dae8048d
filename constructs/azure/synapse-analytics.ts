import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { SynapseSparkPool } from '@cdktf/provider-azurerm/lib/synapse-spark-pool';
import { SynapseWorkspace } from '@cdktf/provider-azurerm/lib/synapse-workspace';
import { SynapseWorkspaceAadAdmin } from '@cdktf/provider-azurerm/lib/synapse-workspace-aad-admin';
import { SynapseWorkspaceExtendedAuditingPolicy } from '@cdktf/provider-azurerm/lib/synapse-workspace-extended-auditing-policy';
import { Construct } from 'constructs';
import { skipCheckov } from './checkov-skip';
import { DiagnosticSettings } from './diagnostic-settings';
import { ServicePrivateEndpoint, type ServicePrivateEndpointProps } from './service-private-endpoint';
import type { SqlAdministrator } from './sql-warehouse';

/** Spark pool sizing; Synapse pools autoscale between at least 3 nodes and `maxNodes`. */
export interface SparkPoolSizing {
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Minutes idle before the pool pauses (5-10080). */
  readonly autoPauseMinutes: number;
}

export interface SynapseAnalyticsProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique workspace name (see `synapseWorkspaceName`). */
  readonly name: string;
  /** The lake: its account id and name. The workspace keeps its own metadata in a `synapse` filesystem. */
  readonly lake: { readonly accountId: string; readonly accountName: string };
  /** The Entra ID group that administers the workspace. */
  readonly administrator: SqlAdministrator;
  readonly sparkPool: SparkPoolSizing;
  /**
   * The customer-managed key that encrypts the workspace (double encryption), reached through a
   * user-assigned identity that already holds Key Vault Crypto Service Encryption User on it, so the
   * workspace is active as soon as it is created.
   * @default - Microsoft-managed keys only (checkov reports CKV_AZURE_240)
   */
  readonly customerManagedKey?: { readonly keyVersionlessId: string; readonly userAssignedIdentityId: string };
}

/** Synapse requires at least three nodes in an autoscaling Spark pool. */
export const SYNAPSE_MIN_SPARK_NODES = 3;
const WORKSPACE_FILESYSTEM = 'synapse';

/**
 * A Synapse Analytics workspace on the lake: managed virtual network with data-exfiltration
 * protection, Entra ID authentication only (a group as admin), no public network access, and one
 * autoscaling, auto-pausing Spark pool. The workspace's identity writes its own filesystem and reads
 * gold, nothing else.
 */
export class SynapseAnalytics extends Construct {
  readonly workspace: SynapseWorkspace;
  readonly sparkPool: SynapseSparkPool;

  constructor(scope: Construct, id: string, props: SynapseAnalyticsProps) {
    super(scope, id);
    const { minNodes, maxNodes, autoPauseMinutes } = props.sparkPool;
    const problems: string[] = [];
    if (!Number.isInteger(minNodes) || minNodes < SYNAPSE_MIN_SPARK_NODES)
      problems.push(`sparkPool.minNodes (${minNodes}) must be a whole number, at least ${SYNAPSE_MIN_SPARK_NODES}`);
    if (!Number.isInteger(maxNodes) || maxNodes < minNodes || maxNodes > 200)
      problems.push(`sparkPool.maxNodes (${maxNodes}) must be a whole number from minNodes (${minNodes}) to 200`);
    if (!Number.isInteger(autoPauseMinutes) || autoPauseMinutes < 5 || autoPauseMinutes > 10080)
      problems.push(`sparkPool.autoPauseMinutes (${autoPauseMinutes}) must be a whole number from 5 to 10080`);
    if (problems.length > 0) throw new Error(`SynapseAnalytics: ${problems.join('; ')}`);

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
    this.sparkPool = new SynapseSparkPool(this, 'SparkPool', {
      name: 'sparkpool',
      synapseWorkspaceId: this.workspace.id,
      sparkVersion: '3.4',
      nodeSizeFamily: 'MemoryOptimized',
      nodeSize: 'Small',
      autoScale: { minNodeCount: minNodes, maxNodeCount: maxNodes },
      autoPause: { delayInMinutes: autoPauseMinutes },
      sessionLevelPackagesEnabled: false,
    });
    skipCheckov(this.sparkPool, {
      id: 'CKV_AZURE_242',
      reason: 'Isolated compute needs XXXLarge nodes on a dedicated host; the pool is sized from the environment and pauses when idle',
    });
  }

  /** Private endpoints for the dedicated SQL, serverless SQL and development (Studio, Spark) endpoints. */
  addPrivateEndpoints(
    options: { readonly namePrefix: string } & Pick<ServicePrivateEndpointProps, 'subnetId'> & { readonly sqlZoneId: string; readonly devZoneId: string },
  ): void {
    for (const [subresource, zone] of [
      ['Sql', options.sqlZoneId],
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
