import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { type TerraformResourceLifecycle, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_NAME_RULES, nameProblem } from '../../lib/naming';
import { skipCheckov } from './checkov-skip';

export interface PlatformKeyVaultProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique vault name (see `keyVaultName`). */
  readonly name: string;
  /** Entra ID tenant of the vault. */
  readonly tenantId: string;
  /**
   * Days a deleted vault and its keys stay recoverable (7-90). Purge protection is always on, so they
   * cannot be purged early either.
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Whether Terraform refuses to destroy the vault and its keys (`prevent_destroy`).
   * @default false
   */
  readonly retainOnDelete?: boolean;
}

export interface CustomerManagedKeyOptions {
  /** Name of the key in the vault. */
  readonly name: string;
  /**
   * RSA key size; 3072 or more.
   * @default 3072
   */
  readonly keySize?: number;
  /**
   * ISO 8601 duration after which a key version expires; a new version is made `rotateBeforeExpiry`
   * earlier, and services that use the versionless key id pick it up on their own.
   * @default 'P1Y'
   */
  readonly expireAfter?: string;
  /**
   * How long before expiry the key rotates.
   * @default 'P30D'
   */
  readonly rotateBeforeExpiry?: string;
}

const DEFAULT_SOFT_DELETE_RETENTION_DAYS = 90;
const ISO_DURATION = /^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+D)?$/;

/** Built-in role that lets a principal manage keys (create, rotate), used by the deploying principal. */
export const KEY_VAULT_CRYPTO_OFFICER = 'Key Vault Crypto Officer';
/** Built-in role that lets a service wrap and unwrap with a key: the least a customer-managed key needs. */
export const KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = 'Key Vault Crypto Service Encryption User';

/**
 * The Key Vault of an environment's customer-managed keys: Premium (HSM-backed keys), Azure RBAC
 * instead of access policies, purge protection and soft delete, no public network access and a
 * firewall that denies everything but trusted Azure services (it is reached over a private endpoint).
 *
 * Keys are data-plane objects: Terraform creates them through the vault's endpoint, so the deployment
 * must run inside the environment network (a runner in the compute subnet or a peered network). The
 * deploying principal gets Key Vault Crypto Officer on this vault only, which is what creating and
 * rotating keys needs.
 */
export class PlatformKeyVault extends Construct {
  readonly vault: KeyVault;
  /** The deploying principal's key-management role; keys are created after it. */
  readonly deployerAccess: RoleAssignment;
  private readonly lifecycle?: TerraformResourceLifecycle;

  constructor(scope: Construct, id: string, props: PlatformKeyVaultProps) {
    super(scope, id);
    const softDeleteRetentionDays = props.softDeleteRetentionDays ?? DEFAULT_SOFT_DELETE_RETENTION_DAYS;
    const problems: string[] = [];
    if (!Token.isUnresolved(props.name)) {
      const problem = nameProblem(props.name, AZURE_NAME_RULES.azureKeyVault);
      if (problem) problems.push(`name: ${problem}`);
    }
    if (!Number.isInteger(softDeleteRetentionDays) || softDeleteRetentionDays < 7 || softDeleteRetentionDays > 90) {
      problems.push(`softDeleteRetentionDays (${softDeleteRetentionDays}) must be a whole number of days from 7 to 90`);
    }
    if (problems.length > 0) throw new Error(`PlatformKeyVault: ${problems.join('; ')}`);
    this.lifecycle = props.retainOnDelete ? { preventDestroy: true } : undefined;

    this.vault = new KeyVault(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      tenantId: props.tenantId,
      skuName: 'premium',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays,
      publicNetworkAccessEnabled: false,
      networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' },
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      lifecycle: this.lifecycle,
    });

    const deployer = new DataAzurermClientConfig(this, 'Deployer');
    this.deployerAccess = new RoleAssignment(this, 'DeployerKeyAccess', {
      scope: this.vault.id,
      roleDefinitionName: KEY_VAULT_CRYPTO_OFFICER,
      principalId: deployer.objectId,
      description: 'Lets the deploying principal create and rotate the customer-managed keys of this vault',
    });
  }

  /**
   * An RSA-HSM key for a service's customer-managed encryption: wrap/unwrap only, rotated
   * automatically before it expires.
   */
  addCustomerManagedKey(id: string, options: CustomerManagedKeyOptions): KeyVaultKey {
    const keySize = options.keySize ?? 3072;
    const expireAfter = options.expireAfter ?? 'P1Y';
    const rotateBeforeExpiry = options.rotateBeforeExpiry ?? 'P30D';
    const problems: string[] = [];
    if (![3072, 4096].includes(keySize)) problems.push(`keySize (${keySize}) must be 3072 or 4096`);
    for (const [field, value] of [
      ['expireAfter', expireAfter],
      ['rotateBeforeExpiry', rotateBeforeExpiry],
    ] as const) {
      if (!ISO_DURATION.test(value)) problems.push(`${field} ("${value}") must be an ISO 8601 duration in years, months and days, e.g. P1Y or P30D`);
    }
    if (problems.length > 0) throw new Error(`addCustomerManagedKey("${options.name}"): ${problems.join('; ')}`);

    const key = new KeyVaultKey(this, id, {
      name: options.name,
      keyVaultId: this.vault.id,
      keyType: 'RSA-HSM',
      keySize,
      keyOpts: ['wrapKey', 'unwrapKey'],
      rotationPolicy: {
        expireAfter,
        notifyBeforeExpiry: 'P29D',
        automatic: { timeBeforeExpiry: rotateBeforeExpiry },
      },
      dependsOn: [this.deployerAccess],
      lifecycle: this.lifecycle,
    });
    skipCheckov(key, {
      id: 'CKV_AZURE_40',
      reason:
        `Every key version expires ${expireAfter} after creation through the rotation policy, which ` +
        `rotates it ${rotateBeforeExpiry} earlier; a fixed expiration_date in code would break rotation`,
    });
    return key;
  }

  /** Grants a principal (a service's managed identity) wrap/unwrap on one key, and nothing else. */
  grantEncryptionUse(id: string, key: KeyVaultKey, principalId: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope: key.resourceVersionlessId,
      roleDefinitionName: KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
      principalId,
      principalType: 'ServicePrincipal',
      description: `Lets a service encrypt with key ${key.name} only`,
    });
  }
}
