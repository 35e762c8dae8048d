import { PRIVATE_DNS_ZONES, type PrivateDnsZoneKey } from '../../constructs/azure/private-dns-zones';
import type { PlatformSubnet } from '../../constructs/azure/platform-network';
import { WAREHOUSE_DATABASE } from '../../constructs/azure/sql-warehouse';
import {
  azureResourceId,
  azureResourceName,
  databricksWorkspaceName,
  dataFactoryName,
  eventHubsNamespaceName,
  keyVaultName,
  logAnalyticsWorkspaceName,
  type NamingScope,
  resourceGroupName,
  sqlServerName,
  type StackConcern,
  storageAccountName,
  synapseWorkspaceName,
} from '../../lib/naming';
import { azureOf, namingScopeOf } from './azure-environment';
import type { EnvironmentScope } from '../../lib/definition';

/** Names of the customer-managed keys in the environment's vault. */
export const CUSTOMER_MANAGED_KEYS = {
  storage: 'storage-cmk',
  sqlTransparentDataEncryption: 'sql-tde',
  synapse: 'synapse-cmk',
  databricksManagedServices: 'databricks-services-cmk',
  databricksManagedDisks: 'databricks-disks-cmk',
  databricksDbfsRoot: 'databricks-dbfs-cmk',
} as const;

/**
 * Names and ids of the resources one Azure stack of an environment refers to in another.
 *
 * Cross-stack references are composed from the naming functions rather than passed as CDKTF tokens on
 * purpose: a token from another stack makes CDKTF write a `terraform_remote_state` data source and an
 * output, so every stack would read other stacks' state (and the secrets a state file can hold) at
 * plan time, and no stack could be planned before the ones it reads were applied. Azure ids are
 * deterministic (`/subscriptions/<sub>/resourceGroups/<rg>/providers/<type>/<name>`), so each stack
 * states the ids it expects; Terraform fails the plan with a clear "not found" when a prerequisite stack
 * is missing, and the app declares the deploy order (`addDependency`) for `cdktf deploy`.
 */
export class EnvironmentReferences {
  readonly scope: NamingScope;
  readonly subscriptionId: string;
  readonly location: string;

  constructor(props: EnvironmentScope) {
    const azure = azureOf(props.environment);
    this.scope = namingScopeOf(props);
    this.subscriptionId = azure.subscriptionId;
    this.location = azure.location;
  }

  /** `rg-<prefix>-<env>-<concern>`; storage keeps its historical `data` group, the Databricks workspace has `databricks`. */
  resourceGroupName(concern: StackConcern): string {
    return resourceGroupName(this.scope, concern === 'storage' ? 'data' : concern === 'workspace' ? 'databricks' : concern);
  }

  /** The ARM id of a resource in the resource group of `concern`. */
  id(concern: StackConcern, provider: string, ...typesAndNames: string[]): string {
    return azureResourceId(this.subscriptionId, this.resourceGroupName(concern), provider, ...typesAndNames);
  }

  get virtualNetworkName(): string {
    return azureResourceName(this.scope, 'virtualNetwork');
  }

  subnetId(subnet: PlatformSubnet): string {
    return this.id('network', 'Microsoft.Network', 'virtualNetworks', this.virtualNetworkName, 'subnets', `snet-${subnet}`);
  }

  privateDnsZoneId(key: PrivateDnsZoneKey): string {
    return this.id('network', 'Microsoft.Network', 'privateDnsZones', PRIVATE_DNS_ZONES[key]);
  }

  get logAnalyticsWorkspaceName(): string {
    return logAnalyticsWorkspaceName(this.scope);
  }

  get logAnalyticsWorkspaceId(): string {
    return this.id('monitoring', 'Microsoft.OperationalInsights', 'workspaces', this.logAnalyticsWorkspaceName);
  }

  get actionGroupName(): string {
    return azureResourceName(this.scope, 'actionGroup', 'alerts');
  }

  get actionGroupId(): string {
    return this.id('monitoring', 'Microsoft.Insights', 'actionGroups', this.actionGroupName);
  }

  get keyVaultName(): string {
    return keyVaultName(this.scope, this.subscriptionId);
  }

  /** The versionless id of a key: services that use it follow its automatic rotation. */
  keyVaultKeyId(key: string): string {
    return `https://${this.keyVaultName}.vault.azure.net/keys/${key}`;
  }

  /** Name of the user-assigned identity a service uses to reach its customer-managed key. */
  encryptionIdentityName(service: string): string {
    return azureResourceName(this.scope, 'userAssignedIdentity', `${service}-cmk`);
  }

  encryptionIdentityId(service: string): string {
    return this.id('security', 'Microsoft.ManagedIdentity', 'userAssignedIdentities', this.encryptionIdentityName(service));
  }

  get storageAccountName(): string {
    return storageAccountName(this.scope, this.subscriptionId);
  }

  get keyVaultId(): string {
    return this.id('security', 'Microsoft.KeyVault', 'vaults', this.keyVaultName);
  }

  get storageAccountId(): string {
    return this.id('storage', 'Microsoft.Storage', 'storageAccounts', this.storageAccountName);
  }

  get sqlServerName(): string {
    return sqlServerName(this.scope, this.subscriptionId);
  }

  get synapseWorkspaceName(): string {
    return synapseWorkspaceName(this.scope, this.subscriptionId);
  }

  get sqlServerId(): string {
    return this.id('warehouse', 'Microsoft.Sql', 'servers', this.sqlServerName);
  }

  /** The warehouse server's host name, which the environment network resolves to its private endpoint. */
  get sqlServerHost(): string {
    return `${this.sqlServerName}.database.windows.net`;
  }

  /** The warehouse database (the warehouse stack's `SqlWarehouse` default). */
  get sqlDatabaseName(): string {
    return WAREHOUSE_DATABASE;
  }

  /** The ARM id of a key (the scope a role assignment on that key alone takes). */
  keyVaultKeyResourceId(key: string): string {
    return `${this.keyVaultId}/keys/${key}`;
  }

  get dataFactoryName(): string {
    return dataFactoryName(this.scope, this.subscriptionId);
  }

  /** `alert-<prefix>-<env>-<purpose>`. */
  alertName(purpose: string): string {
    return azureResourceName(this.scope, 'alert', purpose);
  }

  get eventHubsNamespaceName(): string {
    return eventHubsNamespaceName(this.scope, this.subscriptionId);
  }

  /** `dbw-<prefix>-<env>`: the Databricks workspace (Databricks workspace stack). */
  get databricksWorkspaceName(): string {
    return databricksWorkspaceName(this.scope);
  }

  get databricksWorkspaceId(): string {
    return this.id('workspace', 'Microsoft.Databricks', 'workspaces', this.databricksWorkspaceName);
  }

  /** `pep-<prefix>-<env>-<service>-<subresource>`. */
  privateEndpointName(service: string, subresource: string): string {
    return azureResourceName(this.scope, 'privateEndpoint', `${service}-${subresource}`);
  }
}
