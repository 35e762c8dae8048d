import { SecretAcl } from '@cdktf/provider-databricks/lib/secret-acl';
import { SecretScope } from '@cdktf/provider-databricks/lib/secret-scope';
import { Construct } from 'constructs';
import type { WorkspaceScopedProps } from './workspace-scoped';

export interface KeyVaultSecretScopeProps extends WorkspaceScopedProps {
  /** Scope name (see `keyVaultSecretScopeName`). */
  readonly name: string;
  /** ARM id of the environment's Key Vault. */
  readonly keyVaultId: string;
  /** Name of the vault (its DNS name is derived). */
  readonly keyVaultName: string;
  /**
   * Databricks groups that may read the scope's secrets (`READ`).
   * @default - none beyond the workspace admins
   */
  readonly readers?: readonly string[];
}

/**
 * A secret scope backed by the environment's Key Vault: secrets stay in the vault (rotated there,
 * audited there) and pipelines read them by name with `dbutils.secrets.get`; nothing is copied into
 * the workspace or into Terraform state. Creating it needs an Entra ID user token (an Azure Databricks
 * restriction on Key Vault-backed scopes), so the lakehouse stack is applied by an operator signed in
 * with `az login`.
 */
export class KeyVaultSecretScope extends Construct {
  readonly scope: SecretScope;

  constructor(scope: Construct, id: string, props: KeyVaultSecretScopeProps) {
    super(scope, id);
    this.scope = new SecretScope(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      backendType: 'AZURE_KEYVAULT',
      keyvaultMetadata: { resourceId: props.keyVaultId, dnsName: `https://${props.keyVaultName}.vault.azure.net/` },
    });
    for (const group of props.readers ?? []) {
      new SecretAcl(this, `read-${group}`, { provider: props.provider, scope: this.scope.name, principal: group, permission: 'READ' });
    }
  }
}
