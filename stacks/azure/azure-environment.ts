import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzurermBackend, type TerraformStack } from 'cdktf';
import type { AzureEnvironment, EnvironmentConfig } from '../../lib/definition';
import type { NamingScope } from '../../lib/naming';
import type { EnvironmentScope } from '../../lib/definition';

/** The naming scope of an environment: `{ prefix, environment }`. */
export function namingScopeOf(props: EnvironmentScope): NamingScope {
  return { prefix: props.config.prefix, environment: props.environment.name };
}

/** The Azure side of an environment; throws when the environment does not deploy to Azure. */
export function azureOf(environment: EnvironmentConfig): AzureEnvironment {
  if (!environment.azure || !environment.clouds.includes('azure')) {
    throw new Error(
      `environment "${environment.name}" has no azure block (clouds: ${environment.clouds.join(', ')}); ` +
        `only environments whose clouds include azure get Azure stacks`,
    );
  }
  return environment.azure;
}

/**
 * The azurerm provider of an environment's subscription, Entra ID only. Storage is reached through
 * Azure Resource Manager alone (`data_plane_available = false`): the platform's storage accounts
 * accept no public traffic, so a deployment from outside their network must never need their data
 * plane. Resource providers are registered once per subscription by its owners, not by every stack.
 */
export function addAzurermProvider(stack: TerraformStack, azure: AzureEnvironment): AzurermProvider {
  return new AzurermProvider(stack, 'azurerm', {
    subscriptionId: azure.subscriptionId,
    tenantId: azure.tenantId,
    storageUseAzuread: true,
    resourceProviderRegistrations: 'none',
    features: [
      {
        storage: [{ dataPlaneAvailable: false }],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
      },
    ],
  });
}

/**
 * Keeps the stack's state in the environment's azurerm backend under `<stack name>.tfstate`,
 * authenticating to the state account with Entra ID rather than its access keys.
 */
export function addAzureRemoteState(stack: TerraformStack, azure: AzureEnvironment): AzurermBackend {
  const { resourceGroupName, storageAccountName, containerName } = azure.stateBackend;
  return new AzurermBackend(stack, {
    resourceGroupName,
    storageAccountName,
    containerName,
    key: `${stack.node.id}.tfstate`,
    tenantId: azure.tenantId,
    useAzureadAuth: true,
  });
}
