import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { resourceGroupName, storageAccountName, terraformStackName } from '../../lib/naming';
import { highestClassification } from '../../lib/tagging';
import { AdlsDataLake } from '../../constructs/azure/adls-data-lake';
import { addAzureRemoteState, addAzurermProvider, azureOf, type EnvironmentStackProps, namingScopeOf } from './azure-environment';

export type AzureStorageStackProps = EnvironmentStackProps;

/**
 * The Azure storage of one environment (`<prefix>-<env>-azure-storage`): the data resource group and
 * the ADLS Gen2 lake, configured from the definition. Stateful, so it is kept apart from the stacks
 * that process data and is retained in environments that keep their data.
 */
export class AzureStorageStack extends TerraformStack {
  /** The resource group of the environment's data. */
  readonly resourceGroup: ResourceGroup;
  /** The environment's data lake. */
  readonly lake: AdlsDataLake;

  constructor(scope: Construct, props: AzureStorageStackProps) {
    const naming = namingScopeOf(props);
    super(scope, terraformStackName(naming, 'azure', 'storage'));
    const { config, environment } = props;
    const azure = azureOf(environment);
    const retainOnDelete = environment.dataProtection.retainOnDelete;
    addAzurermProvider(this, azure);
    addAzureRemoteState(this, azure);

    this.resourceGroup = new ResourceGroup(this, 'ResourceGroup', {
      name: resourceGroupName(naming, 'data'),
      location: azure.location,
      lifecycle: retainOnDelete ? { preventDestroy: true } : undefined,
    });
    this.lake = new AdlsDataLake(this, 'DataLake', {
      resourceGroup: this.resourceGroup,
      accountName: storageAccountName(naming, azure.subscriptionId),
      replication: azure.storageReplication,
      lifecycle: environment.lifecycle,
      softDeleteDays: environment.dataProtection.softDeleteDays,
      retainOnDelete,
      dataClassification: highestClassification(config.datasets.map((dataset) => dataset.classification)),
    });
  }
}
