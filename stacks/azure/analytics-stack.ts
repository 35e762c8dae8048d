import type { Construct } from 'constructs';
import { SynapseAnalytics } from '../../constructs/azure/synapse-analytics';
import { AzureConcernStack } from './azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from './environment-references';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * Synapse Analytics of one environment (`<prefix>-<env>-azure-analytics`), when its definition asks for
 * it: the workspace on the lake, encrypted with its key from the security stack, whose only workload is its
 * built-in serverless SQL endpoint (see `SynapseAnalytics`).
 */
export class AzureAnalyticsStack extends AzureConcernStack {
  readonly analytics: SynapseAnalytics;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'analytics');
    const refs = this.references;
    const settings = this.azure.analytics;
    if (!settings)
      throw new Error(`environment "${this.environment.name}" has no azure.analytics block; only environments that define one get an analytics stack`);
    const group = props.config.groups[settings.adminGroup];
    if (!group?.entraObjectId)
      throw new Error(`azure.analytics.adminGroup "${settings.adminGroup}" of environment "${this.environment.name}" is not a group with an entraObjectId`);

    this.analytics = new SynapseAnalytics(this, 'Synapse', {
      resourceGroup: this.resourceGroup,
      name: refs.synapseWorkspaceName,
      lake: { accountId: refs.storageAccountId, accountName: refs.storageAccountName },
      administrator: { name: group.name, objectId: group.entraObjectId, tenantId: this.azure.tenantId },
      customerManagedKey: { keyVersionlessId: refs.keyVaultKeyId(CUSTOMER_MANAGED_KEYS.synapse), userAssignedIdentityId: refs.encryptionIdentityId('synapse') },
    });
    this.analytics.addPrivateEndpoints({
      namePrefix: refs.privateEndpointName('synw', 'synapse'),
      subnetId: refs.subnetId('private-endpoints'),
      sqlZoneId: refs.privateDnsZoneId('synapseSql'),
      devZoneId: refs.privateDnsZoneId('synapseDev'),
    });
    this.analytics.addDiagnostics(refs.logAnalyticsWorkspaceId);
  }
}
