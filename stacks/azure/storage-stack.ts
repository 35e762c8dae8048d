import type { Construct } from 'constructs';
import { highestClassification } from '../../lib/tagging';
import { AdlsDataLake } from '../../constructs/azure/adls-data-lake';
import { AzureConcernStack } from './azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from './environment-references';
import type { EnvironmentScope } from '../../lib/definition';

export type AzureStorageStackProps = EnvironmentScope;

/**
 * The Azure storage of one environment (`<prefix>-<env>-azure-storage`): the data resource group and
 * the ADLS Gen2 lake, configured from the definition, encrypted with the environment's customer-managed
 * key (security stack), reachable only through private endpoints in the environment network (network
 * stack) and logging to its workspace (monitoring stack). Stateful, so it is kept apart from the stacks
 * that process data and is retained in environments that keep their data.
 */
export class AzureStorageStack extends AzureConcernStack {
  /** The environment's data lake. */
  readonly lake: AdlsDataLake;

  constructor(scope: Construct, props: AzureStorageStackProps) {
    super(scope, props, 'storage');
    const { config, environment } = props;
    const refs = this.references;
    this.lake = new AdlsDataLake(this, 'DataLake', {
      resourceGroup: this.resourceGroup,
      accountName: refs.storageAccountName,
      replication: this.azure.storageReplication,
      lifecycle: environment.lifecycle,
      softDeleteDays: environment.dataProtection.softDeleteDays,
      retainOnDelete: this.retainOnDelete,
      dataClassification: highestClassification(config.datasets.map((dataset) => dataset.classification)),
      customerManagedKey: {
        keyVaultKeyId: refs.keyVaultKeyId(CUSTOMER_MANAGED_KEYS.storage),
        userAssignedIdentityId: refs.encryptionIdentityId('storage'),
      },
    });
    for (const subresource of ['dfs', 'blob'] as const) {
      this.lake.addPrivateEndpoint(subresource, {
        name: refs.privateEndpointName('lake', subresource),
        subnetId: refs.subnetId('private-endpoints'),
        privateDnsZoneId: refs.privateDnsZoneId(subresource),
      });
    }
    this.lake.addDiagnostics(refs.logAnalyticsWorkspaceId);
  }
}
