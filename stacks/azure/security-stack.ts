import type { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { Construct } from 'constructs';
import { DiagnosticSettings } from '../../constructs/azure/diagnostic-settings';
import { PlatformKeyVault } from '../../constructs/azure/platform-key-vault';
import { ServicePrivateEndpoint } from '../../constructs/azure/service-private-endpoint';
import { AzureConcernStack } from './azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from './environment-references';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * The keys of one environment (`<prefix>-<env>-azure-security`): the Key Vault with the
 * customer-managed keys of the lake, of the Synapse workspace where there is one and, in production,
 * of the SQL warehouse's transparent data encryption; the identities the lake and Synapse use to reach
 * their keys with wrap/unwrap on that key alone; the
 * vault's private endpoint and its audit logs. Deployed after network and monitoring, before storage.
 */
export class AzureSecurityStack extends AzureConcernStack {
  readonly keyVault: PlatformKeyVault;
  readonly storageKey: KeyVaultKey;
  readonly storageIdentity: UserAssignedIdentity;
  /** The SQL warehouse's TDE protector, in production only. */
  readonly sqlKey?: KeyVaultKey;
  /** The Synapse workspace's key, where the environment has Synapse analytics. */
  readonly synapseKey?: KeyVaultKey;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'security');
    const refs = this.references;
    const bounds = this.environment.policy.keyVaultSoftDeleteDays;
    const softDeleteRetentionDays = Math.min(bounds.max, Math.max(bounds.min, this.environment.dataProtection.softDeleteDays));

    this.keyVault = new PlatformKeyVault(this, 'KeyVault', {
      resourceGroup: this.resourceGroup,
      name: refs.keyVaultName,
      tenantId: this.azure.tenantId,
      softDeleteRetentionDays,
      retainOnDelete: this.retainOnDelete,
    });
    this.storageKey = this.keyVault.addCustomerManagedKey('StorageKey', { name: CUSTOMER_MANAGED_KEYS.storage });
    this.storageIdentity = this.encryptionIdentity('StorageIdentity', 'storage');
    this.keyVault.grantEncryptionUse('StorageKeyAccess', this.storageKey, this.storageIdentity.principalId);
    if (this.azure.analytics) {
      this.synapseKey = this.keyVault.addCustomerManagedKey('SynapseKey', { name: CUSTOMER_MANAGED_KEYS.synapse });
      this.keyVault.grantEncryptionUse('SynapseKeyAccess', this.synapseKey, this.encryptionIdentity('SynapseIdentity', 'synapse').principalId);
    }
    if (this.environment.policy.customerManagedKeys) {
      this.sqlKey = this.keyVault.addCustomerManagedKey('SqlKey', { name: CUSTOMER_MANAGED_KEYS.sqlTransparentDataEncryption });
    }
    const databricks = this.environment.clouds.includes('databricks') ? this.environment.databricks : undefined;
    if (databricks && this.environment.policy.customerManagedKeys) {
      // The workspace's disk and DBFS identities exist only once the workspace does, so the workspace
      // stack grants them their keys; the AzureDatabricks application is known now and wraps the
      // managed-services key from the moment the workspace is created.
      const servicesKey = this.keyVault.addCustomerManagedKey('DatabricksServicesKey', { name: CUSTOMER_MANAGED_KEYS.databricksManagedServices });
      this.keyVault.addCustomerManagedKey('DatabricksDisksKey', { name: CUSTOMER_MANAGED_KEYS.databricksManagedDisks });
      this.keyVault.addCustomerManagedKey('DatabricksDbfsKey', { name: CUSTOMER_MANAGED_KEYS.databricksDbfsRoot });
      if (databricks.azureDatabricksObjectId) this.keyVault.grantEncryptionUse('DatabricksServicesKeyAccess', servicesKey, databricks.azureDatabricksObjectId);
    }

    new ServicePrivateEndpoint(this, 'KeyVaultEndpoint', {
      name: refs.privateEndpointName('kv', 'vault'),
      resourceGroupName: this.resourceGroup.name,
      location: this.resourceGroup.location,
      targetResourceId: this.keyVault.vault.id,
      subresource: 'vault',
      subnetId: refs.subnetId('private-endpoints'),
      privateDnsZoneId: refs.privateDnsZoneId('vault'),
    });
    new DiagnosticSettings(this, 'KeyVaultDiagnostics', {
      targetResourceId: this.keyVault.vault.id,
      logAnalyticsWorkspaceId: refs.logAnalyticsWorkspaceId,
    });
  }

  /** The identity a service uses to reach its key; created here so it holds the key before the service exists. */
  private encryptionIdentity(id: string, service: string): UserAssignedIdentity {
    return new UserAssignedIdentity(this, id, {
      name: this.references.encryptionIdentityName(service),
      resourceGroupName: this.resourceGroup.name,
      location: this.resourceGroup.location,
    });
  }
}
