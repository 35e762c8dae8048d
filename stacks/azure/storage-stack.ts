import { Annotations } from 'cdktf';
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
 * for `lifecycle.bronze.retainDays` (locked in compliance mode, see `bronzeImmutability`); what the platform
 * rewrites while it fills bronze lives in the filesystem of bronze's working data (`bronze-work`) beside it.
 */
export class AzureStorageStack extends AzureConcernStack {
  /** The environment's data lake. */
  readonly lake: AdlsDataLake;

  constructor(scope: Construct, props: AzureStorageStackProps) {
    super(scope, props, 'storage');
    const { config, environment } = props;
    const refs = this.references;
    const immutability = bronzeImmutability(environment);
    if ('blockedBy' in immutability) {
      Annotations.of(this).addWarning(`The bronze filesystem gets no immutability policy: ${immutability.blockedBy} (see README, "Immutable bronze")`);
    }
    this.lake = new AdlsDataLake(this, 'DataLake', {
      resourceGroup: this.resourceGroup,
      accountName: refs.storageAccountName,
      replication: this.azure.storageReplication,
      lifecycle: environment.lifecycle,
      softDeleteDays: environment.dataProtection.softDeleteDays,
      immutability: 'policy' in immutability ? { bronze: immutability.policy } : undefined,
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

/** The bronze filesystem's immutability, or why the environment cannot have it. */
export type BronzeImmutability = { readonly policy: FilesystemImmutability } | { readonly blockedBy: string };

/**
 * The bronze filesystem's immutability policy: `lifecycle.bronze.retainDays` (always set once the definition
 * is loaded: the default applies), locked when the environment's bronze lock mode is compliance. Every
 * environment can have it, with Databricks or without: bronze holds only files written once (the files
 * Data Factory lands and the records it quarantines), while everything rewritten (the bronze schema's Delta
 * tables, the bronze tables step's checkpoints, Data Factory's watermarks) lives in bronze's working data
 * (lib/lake `BRONZE_WORK_AREA`), which is never immutable.
 */
export function bronzeImmutability(environment: EnvironmentConfig): BronzeImmutability {
  const days = environment.lifecycle.bronze.retainDays;
  if (days === undefined) return { blockedBy: 'lifecycle.bronze.retainDays is not set' };
  return { policy: { days, locked: environment.dataProtection.bronzeLockMode === 'compliance' } };
}
