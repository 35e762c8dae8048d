import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { GithubFederatedIdentity, ROLES_ASSIGNED_BY_THE_STACKS, roleAssignmentConditionLimitedTo } from '../../constructs/azure';
import type { EnvironmentScope } from '../../lib/definition';
import { azureResourceId, deliveryIdentityOf } from '../../lib/naming';
import { AzureConcernStack } from './azure-concern-stack';

/**
 * `<prefix>-<env>-azure-cicd`: the Azure identities GitHub Actions sign in as for this environment (the
 * definition's `cicd` section), in their own resource group. An administrator deploys it, never the pipeline.
 *
 * The deploy identity trusts only the deploy jobs of the environment's GitHub environment. Its rights are
 * at the subscription, not at the environment's resource groups, because the stacks create their own
 * resource groups (`rg-<prefix>-<env>-<concern>`) and Azure has no role that follows a resource group to
 * the principal that created it, nor a condition on resource group names for control-plane actions: a
 * grant on the groups could only be made after they exist, so a new concern would need an administrator
 * first. Validation therefore gives every environment the pipeline deploys a subscription of its own
 * (lib/config/cicd-rules.ts), and the subscription is the environment's boundary. Within it:
 * - Contributor: create the resource groups and everything in them; it cannot change role assignments;
 * - Role Based Access Control Administrator, constrained by a condition to the roles the stacks assign
 *   (`ROLES_ASSIGNED_BY_THE_STACKS`): the stacks grant their managed identities access to the lake, keys
 *   and event hubs, but the pipeline cannot make anyone Owner, User Access Administrator or an
 *   administrator of role assignments;
 * - Storage Blob Data Contributor on the Terraform state container only (state is read and locked with
 *   Entra ID, not the account keys).
 * The plan identity trusts only pull-request jobs and reads: Reader on the subscription and Storage Blob
 * Data Reader on the state container (plans run without a state lock).
 */
export class AzureCicdStack extends AzureConcernStack {
  readonly deployIdentity: GithubFederatedIdentity;
  readonly planIdentity: GithubFederatedIdentity;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'cicd');
    const delivery = deliveryIdentityOf(this.config, this.environment.name);
    if (!delivery?.azure) {
      throw new Error(`environment "${this.environment.name}" is not an Azure environment of cicd.environments; it has no azure-cicd stack`);
    }
    const subscription = `/subscriptions/${this.azure.subscriptionId}`;
    const { resourceGroupName, storageAccountName, containerName } = this.azure.stateBackend;
    const stateContainer =
      `${azureResourceId(this.azure.subscriptionId, resourceGroupName, 'Microsoft.Storage', 'storageAccounts', storageAccountName)}` +
      `/blobServices/default/containers/${containerName}`;

    this.deployIdentity = new GithubFederatedIdentity(this, 'DeployIdentity', {
      name: delivery.azure.deployIdentityName,
      resourceGroup: this.resourceGroup,
      subject: delivery.deploySubject,
    });
    this.deployIdentity.grant('Contributor', {
      scope: subscription,
      role: 'Contributor',
      description: `GitHub Actions deploys of ${this.environment.name}: create the environment's resource groups and resources`,
    });
    this.deployIdentity.grant('RoleAssignments', {
      scope: subscription,
      role: 'Role Based Access Control Administrator',
      condition: roleAssignmentConditionLimitedTo(ROLES_ASSIGNED_BY_THE_STACKS),
      description: `GitHub Actions deploys of ${this.environment.name}: assign only the roles the stacks assign`,
    });
    this.deployIdentity.grant('State', {
      scope: stateContainer,
      role: 'Storage Blob Data Contributor',
      description: `GitHub Actions deploys of ${this.environment.name}: read, write and lock the Terraform state`,
    });

    this.planIdentity = new GithubFederatedIdentity(this, 'PlanIdentity', {
      name: delivery.azure.planIdentityName,
      resourceGroup: this.resourceGroup,
      subject: delivery.planSubject,
    });
    this.planIdentity.grant('Reader', {
      scope: subscription,
      role: 'Reader',
      description: `GitHub Actions pull-request plans of ${this.environment.name}: read the deployed resources`,
    });
    this.planIdentity.grant('State', {
      scope: stateContainer,
      role: 'Storage Blob Data Reader',
      description: `GitHub Actions pull-request plans of ${this.environment.name}: read the Terraform state`,
    });
    new TerraformOutput(this, 'deploy_client_id', {
      value: this.deployIdentity.identity.clientId,
      description: `AZURE_CLIENT_ID of the GitHub environment ${delivery.githubEnvironment}`,
    });
    new TerraformOutput(this, 'plan_client_id', {
      value: this.planIdentity.identity.clientId,
      description: `client id the pull-request plans of ${this.environment.name} sign in with`,
    });
  }
}
