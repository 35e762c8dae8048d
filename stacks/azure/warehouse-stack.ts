import type { Construct } from 'constructs';
import { SqlWarehouse } from '../../constructs/azure/sql-warehouse';
import { AzureConcernStack } from './azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from './environment-references';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * The SQL warehouse of one environment (`<prefix>-<env>-azure-warehouse`), when its definition asks for
 * one: serverless and auto-pausing after the environment's idle timeout outside production,
 * provisioned in production with its TDE protector in the environment's Key Vault.
 */
export class AzureWarehouseStack extends AzureConcernStack {
  readonly warehouse: SqlWarehouse;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'warehouse');
    const refs = this.references;
    const settings = this.azure.warehouse;
    if (!settings)
      throw new Error(`environment "${this.environment.name}" has no azure.warehouse block; only environments that define one get a warehouse stack`);
    const group = props.config.groups[settings.adminGroup];
    if (!group?.entraObjectId)
      throw new Error(`azure.warehouse.adminGroup "${settings.adminGroup}" of environment "${this.environment.name}" is not a group with an entraObjectId`);

    this.warehouse = new SqlWarehouse(this, 'Warehouse', {
      resourceGroup: this.resourceGroup,
      serverName: refs.sqlServerName,
      administrator: { name: group.name, objectId: group.entraObjectId, tenantId: this.azure.tenantId },
      compute:
        this.environment.policy.sqlWarehouseCompute === 'provisioned'
          ? { kind: 'provisioned' }
          : { kind: 'serverless', autoPauseMinutes: Math.max(15, this.environment.sizing.idleTimeoutMinutes) },
      shortTermRetentionDays: settings.shortTermRetentionDays,
      longTermRetentionWeeks: settings.longTermRetentionWeeks,
      defender: settings.defender,
      alertEmails: this.azure.monitoring.alertEmails,
      transparentDataEncryptionKey: this.environment.policy.customerManagedKeys
        ? {
            keyVaultId: refs.keyVaultId,
            keyName: CUSTOMER_MANAGED_KEYS.sqlTransparentDataEncryption,
            keyResourceId: refs.keyVaultKeyResourceId(CUSTOMER_MANAGED_KEYS.sqlTransparentDataEncryption),
          }
        : undefined,
      retainOnDelete: this.retainOnDelete,
    });
    this.warehouse.addPrivateEndpoint({
      name: refs.privateEndpointName('sql', 'sqlserver'),
      subnetId: refs.subnetId('private-endpoints'),
      privateDnsZoneId: refs.privateDnsZoneId('sqlServer'),
    });
    this.warehouse.addDiagnostics(refs.logAnalyticsWorkspaceId);
  }
}
