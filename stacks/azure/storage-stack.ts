import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import { highestClassification } from '../../lib/tagging';
import { AdlsDataLake } from '../../constructs/azure/adls-data-lake';
import { keepsWatermark } from '../../constructs/azure/data-factory-copy';
import { AzureConcernStack } from './azure-concern-stack';
import { CUSTOMER_MANAGED_KEYS } from './environment-references';
import type { EnvironmentConfig, EnvironmentScope, PlatformConfig } from '../../lib/definition';
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
    const immutability = bronzeImmutability(config, environment);
    if ('blockedBy' in immutability) {
      Annotations.of(this).addWarning(
        `The bronze filesystem gets no immutability policy of lifecycle.bronze.retainDays: ${immutability.blockedBy} (see README, "Immutable bronze")`,
      );
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

/** The bronze filesystem's immutability, or why the environment cannot have it yet. */
export type BronzeImmutability = { readonly policy: FilesystemImmutability } | { readonly blockedBy: string };

/**
 * The bronze filesystem's immutability policy: `lifecycle.bronze.retainDays`, locked when the environment's
 * bronze lock mode is compliance. Not yet where a writer of the filesystem would break under container-level
 * WORM, which refuses every overwrite, rename and delete: the Databricks lakehouse keeps its bronze schema's
 * Delta tables there (Delta commits by rename and vacuums old files), and Data Factory rewrites the
 * watermark file of each incremental dataset under `_state/` after every run (its copies themselves only
 * add new files: each landed file and each row is copied once).
 */
export function bronzeImmutability(config: PlatformConfig, environment: EnvironmentConfig): BronzeImmutability {
  const days = environment.lifecycle.bronze.retainDays;
  if (days === undefined) return { blockedBy: 'lifecycle.bronze.retainDays is not set' };
  if (environment.clouds.includes('databricks')) {
    return { blockedBy: "the Databricks lakehouse keeps the bronze schema's Delta tables in it, and Delta renames and vacuums files" };
  }
  const watermarked = config.datasets.filter(keepsWatermark).map((dataset) => dataset.name);
  if (watermarked.length > 0) {
    return {
      blockedBy: `Data Factory rewrites the watermark file of ${watermarked.join(', ')} under _state/ after each run, which an immutable filesystem refuses`,
    };
  }
  return { policy: { days, locked: environment.dataProtection.bronzeLockMode === 'compliance' } };
}
