import { App } from 'aws-cdk-lib';
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import cdkJson from '../../../cdk.json';
import { addAwsEnvironment } from '../../../bin/aws-app';
import type { PlatformConfig, ShardLock } from '../../../lib/definition';
import { DOMAIN_STACK_CONCERNS, limitValue, SHARED_STACK_EXPORTS, schemaVersionsOf, shardLockOf, shardsOfDomain, stackFootprint } from '../../../lib/limits';
import { addLargeDomain, itemName, largeDomainDataset } from '../../fixtures/large-domain';
import { configWith, environmentOf } from '../../fixtures/platform';

/**
 * A domain of 300 datasets (database, files, API and stream sources; some wide) synthesized as bin/aws-app.ts
 * builds it: several shards of per-domain stacks, each within CloudFormation's limits, and a dataset added
 * later leaves every other dataset's resources in their stack under their logical ids.
 */

const COUNT = 300;
/** The added dataset: index 303 is cloned from the stream dataset (web_events). */
const ADDED = 303;

function largeConfig(extra: (definition: Record<string, any>) => void = () => undefined): PlatformConfig {
  return configWith((definition) => {
    addLargeDomain(definition, COUNT, { streams: true });
    // Every tenth dataset wide, so shards fill by template size as well as by resources.
    for (const dataset of definition.datasets.filter((d: { domain: string }, index: number) => d.domain === 'big' && index % 10 === 0)) {
      dataset.columns = [...dataset.columns, ...Array.from({ length: 60 }, (_, column) => ({ name: `wide_${column}`, type: 'decimal(18,2)' }))];
    }
    extra(definition);
  });
}

/** The big domain's stacks of environment dev and the shared stacks they use, synthesized. */
function synthesizeWithShared(config: PlatformConfig): CloudFormationStackArtifact[] {
  const app = new App({ context: cdkJson.context });
  addAwsEnvironment(app, config, environmentOf(config, 'dev'), { only: (stack) => stack.domain === 'big' });
  return app.synth().stacks;
}

/** The big domain's stacks of environment dev, synthesized. */
function synthesizeBigDomain(config: PlatformConfig): CloudFormationStackArtifact[] {
  return synthesizeWithShared(config).filter((stack) => stack.stackName.includes('-big'));
}

/** Each dataset's resources (logical ids starting with the dataset's construct id), by dataset: stack, logical id, content. */
function datasetResources(stacks: readonly CloudFormationStackArtifact[]): Map<string, Map<string, string>> {
  const byDataset = new Map<string, Map<string, string>>();
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries<Record<string, unknown>>(stack.template.Resources)) {
      const match = /^(item\d{4})/.exec(logicalId);
      if (!match) continue;
      const resources = byDataset.get(match[1]) ?? new Map<string, string>();
      resources.set(`${stack.stackName}/${logicalId}`, JSON.stringify(resource));
      byDataset.set(match[1], resources);
    }
  }
  return byDataset;
}

describe('a 300-dataset domain', () => {
  const before = largeConfig();
  const lock: ShardLock = shardLockOf(before);
  const all = synthesizeWithShared({ ...before, shardLock: lock });
  const stacks = all.filter((stack) => stack.stackName.includes('-big'));

  test('is split into several stacks of each concern, shard 0 keeping the unsuffixed name', () => {
    const names = stacks.map((stack) => stack.stackName);
    const shards = shardsOfDomain(before, 'big').length;
    expect(shards).toBeGreaterThan(2);
    for (const concern of ['catalog', 'ingestion', 'streaming']) {
      expect(names).toContain(`acme-dev-${concern}-big`);
      expect(names).toContain(`acme-dev-${concern}-big-1`);
    }
    expect(names.filter((name) => name.startsWith('acme-dev-catalog-big'))).toHaveLength(shards);
    expect(names).toContain('acme-dev-orchestration-big');
  });

  test('keeps every stack within 500 resources and 1 MB, and each within the estimate validation checks', () => {
    const estimates = new Map<string, { resources: number; templateBytes: number }>();
    shardsOfDomain(before, 'big').forEach((datasets, shard) => {
      for (const concern of DOMAIN_STACK_CONCERNS) {
        estimates.set(`acme-dev-${concern}-big${shard === 0 ? '' : `-${shard}`}`, stackFootprint(concern, datasets, schemaVersionsOf(before)));
      }
    });
    for (const stack of stacks) {
      const resources = Object.keys(stack.template.Resources).length;
      // As the CDK writes the template into cdk.out and CloudFormation receives it.
      const bytes = Buffer.byteLength(JSON.stringify(stack.template, undefined, 1));
      expect([stack.stackName, resources <= limitValue('cloudformation.resources-per-stack')]).toEqual([stack.stackName, true]);
      expect([stack.stackName, bytes <= limitValue('cloudformation.template-bytes')]).toEqual([stack.stackName, true]);
      expect([stack.stackName, Object.keys(stack.template.Outputs ?? {}).length <= limitValue('cloudformation.outputs-per-stack')]).toEqual([
        stack.stackName,
        true,
      ]);
      const estimate = estimates.get(stack.stackName);
      if (!estimate) continue; // the orchestration stack: its pipeline is checked by the Step Functions limits
      const actual = `${stack.stackName}: ${resources} resources, ${bytes} bytes; estimated ${estimate.resources} and ${estimate.templateBytes}`;
      expect([actual, resources <= estimate.resources && bytes <= estimate.templateBytes]).toEqual([actual, true]);
    }
  });

  test('gives the shared stacks no more exports than the outputs limit assumes, however many shards read them', () => {
    expect(all.length).toBeGreaterThan(stacks.length);
    for (const stack of all) {
      const outputs = Object.keys(stack.template.Outputs ?? {}).length;
      expect([stack.stackName, outputs <= SHARED_STACK_EXPORTS]).toEqual([stack.stackName, true]);
    }
  });

  test('adding a dataset (and removing one) moves no other dataset to another stack and changes none of its logical ids', () => {
    const removed = itemName(4);
    const after = largeConfig((definition) => {
      definition.datasets = definition.datasets.filter((dataset: { name: string }) => dataset.name !== removed);
      // A stream (unlike the removed database dataset), in the middle of the catalogue: without the recorded
      // shards, first fit would pull later datasets into the room the removal left.
      definition.datasets.splice(20, 0, largeDomainDataset(definition, ADDED, { streams: true }));
    });
    const grown = datasetResources(synthesizeBigDomain({ ...after, shardLock: lock }));
    const original = datasetResources(stacks);
    expect(grown.has(itemName(ADDED))).toBe(true);
    expect(grown.has(removed)).toBe(false);
    for (const [dataset, resources] of original) {
      if (dataset === removed) continue;
      expect([dataset, [...(grown.get(dataset)?.keys() ?? [])]]).toEqual([dataset, [...resources.keys()]]);
      for (const [key, content] of resources) expect([key, grown.get(dataset)?.get(key)]).toEqual([key, content]);
    }
  });
});
