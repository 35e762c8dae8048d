import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Aspects, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AzureEnvironment, EnvironmentConfig, PlatformConfig } from '../../lib/definition';
import { type StackConcern, terraformStackName } from '../../lib/naming';
import { standardTags } from '../../lib/tagging';
import { StandardTagsAspect } from '../../constructs/azure/standard-tags-aspect';
import { addAzureRemoteState, addAzurermProvider, azureOf, namingScopeOf } from './azure-environment';
import { EnvironmentReferences } from './environment-references';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * One concern of one environment on Azure (`<prefix>-<env>-azure-<concern>`): its provider, its own
 * state under `<stack>.tfstate`, its own resource group, retained where the environment keeps data, and
 * the standard tags on every taggable resource.
 */
export abstract class AzureConcernStack extends TerraformStack {
  readonly config: PlatformConfig;
  readonly environment: EnvironmentConfig;
  readonly azure: AzureEnvironment;
  /** Names and ids of the environment's resources in the other stacks. */
  readonly references: EnvironmentReferences;
  /** The resource group of this concern. */
  readonly resourceGroup: ResourceGroup;

  /**
   * @param cloud which app side the stack belongs to, for its name (`<prefix>-<env>-<cloud>-<concern>`):
   * the Databricks workspace is an Azure resource but belongs with the lakehouse stacks.
   */
  protected constructor(scope: Construct, props: EnvironmentScope, concern: StackConcern, cloud: 'azure' | 'databricks' = 'azure') {
    super(scope, terraformStackName(namingScopeOf(props), cloud, concern));
    this.config = props.config;
    this.environment = props.environment;
    this.azure = azureOf(props.environment);
    this.references = new EnvironmentReferences(props);
    addAzurermProvider(this, this.azure);
    addAzureRemoteState(this, this.azure);
    this.resourceGroup = new ResourceGroup(this, 'ResourceGroup', {
      name: this.references.resourceGroupName(concern),
      location: this.azure.location,
      lifecycle: this.retainOnDelete ? { preventDestroy: true } : undefined,
    });
    Aspects.of(this).add(new StandardTagsAspect({ tags: standardTags(props.config, props.environment) }));
  }

  /** Whether stateful resources of this environment survive `cdktf destroy` (always in production). */
  get retainOnDelete(): boolean {
    return this.environment.dataProtection.retainOnDelete;
  }
}
