import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { GITHUB_OIDC } from '../../lib/naming';
import type { AzureBuiltInRole } from './built-in-roles';

export interface GithubFederatedIdentityProps {
  /** Name of the managed identity (see `githubManagedIdentityName`). */
  readonly name: string;
  readonly resourceGroup: ResourceGroup;
  /**
   * The one subject the identity trusts, exactly, e.g. `repo:acme/platform:environment:prod`. Entra ID
   * matches subjects exactly; a wildcard is refused all the same, as it would say something it does not do.
   */
  readonly subject: string;
}

/** One role of the identity at one scope. */
export interface FederatedIdentityGrant {
  /** An ARM id: a subscription, a resource group, a resource, a blob container. */
  readonly scope: string;
  readonly role: AzureBuiltInRole;
  /** Why the identity needs the role there. */
  readonly description: string;
  /** An ABAC condition (version 2.0) that narrows the role. */
  readonly condition?: string;
}

/**
 * A user-assigned managed identity that GitHub Actions jobs sign in as with their OIDC token: one federated
 * credential trusting GitHub's issuer, the `api://AzureADTokenExchange` audience and exactly one subject.
 * It has no role until `grant` gives it one; a workflow signs in with its client id (`identity.clientId`).
 */
export class GithubFederatedIdentity extends Construct {
  readonly identity: UserAssignedIdentity;
  readonly credential: FederatedIdentityCredential;

  constructor(scope: Construct, id: string, props: GithubFederatedIdentityProps) {
    super(scope, id);
    if (!/^repo:[^*?]+$/.test(props.subject)) {
      throw new Error(`subject ("${props.subject}") must be one exact GitHub subject starting repo:<owner>/<repo>: and without wildcards`);
    }
    this.identity = new UserAssignedIdentity(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
    });
    this.credential = new FederatedIdentityCredential(this, 'GithubActions', {
      name: 'github-actions',
      resourceGroupName: props.resourceGroup.name,
      parentId: this.identity.id,
      issuer: GITHUB_OIDC.issuer,
      audience: [GITHUB_OIDC.azureAudience],
      subject: props.subject,
    });
  }

  /** Gives the identity `grant.role` at `grant.scope`. */
  grant(id: string, grant: FederatedIdentityGrant): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope: grant.scope,
      roleDefinitionName: grant.role,
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      // A new identity may not have replicated through Entra ID when the assignment is made.
      skipServicePrincipalAadCheck: true,
      description: grant.description,
      ...(grant.condition ? { condition: grant.condition, conditionVersion: '2.0' } : {}),
    });
  }
}
