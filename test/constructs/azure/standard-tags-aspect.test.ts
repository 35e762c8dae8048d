import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AdlsDataLake } from '../../../constructs/azure/adls-data-lake';
import { DataClassification } from '../../../constructs/azure/data-classification';
import { StandardTagsAspect } from '../../../constructs/azure/standard-tags-aspect';
import { onlyResource, resourcesOf, synthesize } from '../../fixtures/terraform-json';

const STANDARD = { platform: 'acme', environment: 'dev', owner: 'data-platform-team', 'cost-center': 'cc-4410' };

function taggedStack(build: (stack: TerraformStack) => void) {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  Aspects.of(stack).add(new StandardTagsAspect({ tags: STANDARD }));
  return synthesize(stack);
}

describe('StandardTagsAspect', () => {
  test('adds the standard tags to every resource with a tags argument', () => {
    const json = taggedStack((stack) => new ResourceGroup(stack, 'ResourceGroup', { name: 'rg', location: 'westeurope' }));
    expect(onlyResource(json, ResourceGroup.tfResourceType).tags).toEqual(STANDARD);
  });

  test('merges with explicit tags, which win', () => {
    const json = taggedStack(
      (stack) => new ResourceGroup(stack, 'ResourceGroup', { name: 'rg', location: 'westeurope', tags: { owner: 'finance-team', purpose: 'reports' } }),
    );
    expect(onlyResource(json, ResourceGroup.tfResourceType).tags).toEqual({ ...STANDARD, owner: 'finance-team', purpose: 'reports' });
  });

  test('adds data-classification only below a construct that assigned one', () => {
    const json = taggedStack((stack) => {
      const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg', location: 'westeurope' });
      new AdlsDataLake(stack, 'DataLake', { resourceGroup, accountName: 'acmedevdl1234', dataClassification: 'pii' });
    });
    expect(onlyResource(json, StorageAccount.tfResourceType).tags).toEqual({ ...STANDARD, 'data-classification': 'pii' });
    expect(onlyResource(json, ResourceGroup.tfResourceType).tags).toEqual(STANDARD);
  });

  test('keeps an explicit data-classification tag', () => {
    const json = taggedStack((stack) => {
      const scope = new Construct(stack, 'Scope');
      DataClassification.assign(scope, 'confidential');
      new ResourceGroup(scope, 'ResourceGroup', { name: 'rg', location: 'westeurope', tags: { 'data-classification': 'public' } });
    });
    expect(onlyResource(json, ResourceGroup.tfResourceType).tags['data-classification']).toBe('public');
  });

  test('leaves resources without a tags argument alone', () => {
    const json = taggedStack((stack) => {
      const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg', location: 'westeurope' });
      new AdlsDataLake(stack, 'DataLake', { resourceGroup, accountName: 'acmedevdl1234' });
    });
    for (const filesystem of Object.values(resourcesOf(json, StorageContainer.tfResourceType))) expect(filesystem).not.toHaveProperty('tags');
  });

  test('is idempotent when synthesized twice', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new ResourceGroup(stack, 'ResourceGroup', { name: 'rg', location: 'westeurope', tags: { purpose: 'x' } });
    Aspects.of(stack).add(new StandardTagsAspect({ tags: STANDARD }));
    synthesize(stack);
    expect(onlyResource(synthesize(stack), ResourceGroup.tfResourceType).tags).toEqual({ ...STANDARD, purpose: 'x' });
  });

  test('fails when a tag has an empty key', () => {
    expect(() => new StandardTagsAspect({ tags: { '': 'x' } })).toThrow('tags[""] ("x") must be a string under a non-empty key');
  });
});

describe('DataClassification', () => {
  test('is inherited from the nearest scope that assigned one', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const outer = new Construct(stack, 'Outer');
    const inner = new Construct(outer, 'Inner');
    const leaf = new Construct(inner, 'Leaf');
    DataClassification.assign(outer, 'internal');
    expect(DataClassification.of(leaf)).toBe('internal');
    DataClassification.assign(inner, 'pii');
    expect(DataClassification.of(leaf)).toBe('pii');
    expect(DataClassification.of(stack)).toBeUndefined();
  });
});
