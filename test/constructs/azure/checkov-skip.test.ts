import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { checkovSkipsOf, skipCheckov } from '../../../constructs/azure/checkov-skip';

function resourceGroup() {
  const stack = new TerraformStack(Testing.app(), 'test');
  return { stack, resourceGroup: new ResourceGroup(stack, 'ResourceGroup', { name: 'rg', location: 'westeurope' }) };
}

describe('skipCheckov', () => {
  test('writes one checkov:skip line per finding into the resource comment', () => {
    const { stack, resourceGroup: rg } = resourceGroup();
    skipCheckov(rg, { id: 'CKV_AZURE_1', reason: 'first reason, long enough' });
    skipCheckov(rg, { id: 'CKV2_AZURE_2', reason: 'second reason, long enough' });
    const json = stack.toTerraform() as any;
    expect(json.resource.azurerm_resource_group.ResourceGroup['//'].checkov).toEqual([
      'checkov:skip=CKV_AZURE_1:first reason, long enough',
      'checkov:skip=CKV2_AZURE_2:second reason, long enough',
    ]);
    expect(json.resource.azurerm_resource_group.ResourceGroup['//'].metadata).toBeDefined();
    expect(checkovSkipsOf(rg).map((skip) => skip.id)).toEqual(['CKV_AZURE_1', 'CKV2_AZURE_2']);
  });

  test('fails when the id is not an Azure check id', () => {
    const { resourceGroup: rg } = resourceGroup();
    expect(() => skipCheckov(rg, { id: 'CKV_AWS_1' as never, reason: 'a reason that is long enough' })).toThrow(
      'id "CKV_AWS_1" is not an Azure checkov check id',
    );
  });

  test('fails when the reason is missing, multi-line or quoted', () => {
    const { resourceGroup: rg } = resourceGroup();
    expect(() => skipCheckov(rg, { id: 'CKV_AZURE_1', reason: 'later' })).toThrow('reason for CKV_AZURE_1 ("later") must say why');
    expect(() => skipCheckov(rg, { id: 'CKV_AZURE_1', reason: 'two\nlines of reason' })).toThrow('reason for CKV_AZURE_1');
    expect(() => skipCheckov(rg, { id: 'CKV_AZURE_1', reason: 'a "quoted" reason here' })).toThrow('without double quotes');
  });
});
