import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { checkovSkipsOf } from '../../../constructs/azure/checkov-skip';
import { PlatformKeyVault, type PlatformKeyVaultProps } from '../../../constructs/azure/platform-key-vault';
import { onlyResource, synthesize } from '../../fixtures/terraform-json';

function vaultStack(props: Partial<PlatformKeyVaultProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-security', location: 'westeurope' });
  const vault = new PlatformKeyVault(stack, 'KeyVault', {
    resourceGroup,
    name: 'kv-acme-test-1234',
    tenantId: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9',
    ...props,
  });
  return { stack, vault };
}

describe('PlatformKeyVault', () => {
  test('defaults to 90 days of soft delete and no prevent_destroy', () => {
    const { stack } = vaultStack();
    const vault = onlyResource(synthesize(stack), 'azurerm_key_vault');
    expect(vault.soft_delete_retention_days).toBe(90);
    expect(vault).not.toHaveProperty('lifecycle');
  });

  test('acknowledges the fixed-expiry check with the rotation policy as the reason', () => {
    const { vault } = vaultStack();
    const key = vault.addCustomerManagedKey('Key', { name: 'cmk', keySize: 4096, expireAfter: 'P2Y', rotateBeforeExpiry: 'P60D' });
    expect(checkovSkipsOf(key)).toEqual([{ id: 'CKV_AZURE_40', reason: expect.stringContaining('expires P2Y after creation through the rotation policy') }]);
  });

  test('fails when the name breaks the Key Vault naming rules', () => {
    expect(() => vaultStack({ name: 'kv--acme' })).toThrow('PlatformKeyVault: name: Azure Key Vault name "kv--acme" has characters that are not allowed');
  });

  test('fails when softDeleteRetentionDays is outside 7-90', () => {
    expect(() => vaultStack({ softDeleteRetentionDays: 3 })).toThrow('softDeleteRetentionDays (3) must be a whole number of days from 7 to 90');
  });

  test('fails when a key is too small or its rotation is not an ISO duration', () => {
    const { vault } = vaultStack();
    expect(() => vault.addCustomerManagedKey('Small', { name: 'small', keySize: 2048 })).toThrow(
      'addCustomerManagedKey("small"): keySize (2048) must be 3072 or 4096',
    );
    expect(() => vault.addCustomerManagedKey('Odd', { name: 'odd', expireAfter: '1 year' })).toThrow('expireAfter ("1 year") must be an ISO 8601 duration');
  });
});
