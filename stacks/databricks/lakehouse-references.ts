import { type DatabricksEnvironment, type EnvironmentConfig } from '../../lib/definition';
import type { LakeArea } from '../../lib/lake';
import {
  adlsFilesystemUrl,
  databricksAccessConnectorName,
  databricksManagedResourceGroupName,
  dbfsStorageAccountName,
  unityCatalogName,
} from '../../lib/naming';
import { EnvironmentReferences } from '../azure/environment-references';
import type { EnvironmentScope } from '../../lib/definition';

/** The Databricks side of an environment; throws when the environment does not deploy Databricks. */
export function databricksOf(environment: EnvironmentConfig): DatabricksEnvironment {
  if (!environment.databricks || !environment.clouds.includes('databricks')) {
    throw new Error(
      `environment "${environment.name}" has no databricks block (clouds: ${environment.clouds.join(', ')}); ` +
        `only environments whose clouds include databricks get Databricks stacks`,
    );
  }
  return environment.databricks;
}

/**
 * Names and ids of the lakehouse's resources, composed from the naming functions like the Azure stacks'
 * references (see EnvironmentReferences for why no stack reads another's state).
 */
export class LakehouseReferences extends EnvironmentReferences {
  constructor(props: EnvironmentScope) {
    super(props);
    databricksOf(props.environment);
  }

  get workspaceName(): string {
    return this.databricksWorkspaceName;
  }

  get workspaceResourceGroupName(): string {
    return this.resourceGroupName('workspace');
  }

  get workspaceId(): string {
    return this.databricksWorkspaceId;
  }

  get managedResourceGroupName(): string {
    return databricksManagedResourceGroupName(this.scope);
  }

  get dbfsStorageAccountName(): string {
    return dbfsStorageAccountName(this.scope, this.subscriptionId);
  }

  get accessConnectorName(): string {
    return databricksAccessConnectorName(this.scope);
  }

  get accessConnectorId(): string {
    return this.id('workspace', 'Microsoft.Databricks', 'accessConnectors', this.accessConnectorName);
  }

  get virtualNetworkId(): string {
    return this.id('network', 'Microsoft.Network', 'virtualNetworks', this.virtualNetworkName);
  }

  get eventHubsNamespaceId(): string {
    return this.id('streaming', 'Microsoft.EventHub', 'namespaces', this.eventHubsNamespaceName);
  }

  /** The environment's Unity Catalog catalog. */
  get catalogName(): string {
    return unityCatalogName(this.scope);
  }

  /** `abfss://<filesystem>@<account>.dfs.core.windows.net/`: the lake filesystem of an area (a layer, or bronze's working data). */
  filesystemUrl(area: LakeArea): string {
    return adlsFilesystemUrl(this.storageAccountName, area);
  }
}
