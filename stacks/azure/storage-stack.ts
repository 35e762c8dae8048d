import type { Construct } from 'constructs';
import { highestClassification } from '../../lib/tagging';
import { AdlsDataLake } from '../../constructs/azure/adls-data-lake';
import { AzureConcernStack } from './azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from './environment-references';
import type { EnvironmentConfig, EnvironmentScope } from '../../lib/definition';
import type { FilesystemImmutability } from '../../constructs/azure/adls-data-lake';

export type AzureStorageStackProps = EnvironmentScope;

/**
 * The Azure storage of one environment (`<prefix>-<env>-azure-storage`): the data resource group and
 * the ADLS Gen2 lake, configured from the definition, encrypted with the environment's customer-managed
 * key (security stack), reachable only through private endpoints in the environment network (network
 * stack) and logging to its workspace (monitoring stack). Stateful, so it is kept apart from the stacks
 * that process data and is retained in environments that keep their data. Bronze's filesystem is immutable
 * for `lifecycle.bronze.retainDays` (locked in compliance mode) where it holds only files (see `bronzeImmutability`).
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
      immutability: bronzeImmutability(environment),
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

/**
 * The bronze filesystem's immutability policy: `lifecycle.bronze.retainDays`, locked when the environment's
 * bronze lock mode is compliance. None where Databricks runs: the lakehouse's bronze schema keeps its Delta
 * tables (the stream datasets' bronze) in this filesystem, and Delta's commits (a rename) and maintenance
 * (vacuum, log clean-up) are refused under container-level WORM.
 */
export function bronzeImmutability(environment: EnvironmentConfig): { bronze?: FilesystemImmutability } {
  const days = environment.lifecycle.bronze.retainDays;
  if (days === undefined || environment.clouds.includes('databricks')) return {};
  return { bronze: { days, locked: environment.dataProtection.bronzeLockMode === 'compliance' } };
}
