import { Catalogue, type PlatformConfig } from '../../lib/definition';
import { environmentStacks } from '../../lib/plan/environment-plan';
import { SCHEDULE_SHARDS, scheduleShardOf, scheduleShards } from '../../lib/plan/pipeline-stacks';
import { configWith, exampleConfig } from '../fixtures/platform';

/** The dev environment's orchestration, schedule and streaming stacks, in the plan's order. */
function pipelineStacks(config: PlatformConfig) {
  const dev = config.environments.find((environment) => environment.name === 'dev');
  if (!dev) throw new Error('the example has a dev environment');
  return environmentStacks(config, dev).filter((stack) => ['orchestration', 'schedules', 'streaming'].includes(stack.concern) && stack.cloud === 'aws');
}

describe('the orchestration stack layout', () => {
  test('puts a dataset in a shard chosen by its name alone', () => {
    expect(scheduleShardOf({ name: 'orders' })).toBe(scheduleShardOf({ name: 'orders' }));
    const shards = new Set(Array.from({ length: 200 }, (_, i) => scheduleShardOf({ name: `dataset_${i}` })));
    expect([...shards].sort()).toEqual(Array.from({ length: SCHEDULE_SHARDS }, (_, i) => i));
  });

  test('shards only batch datasets and keeps a dataset in its shard when others are added', () => {
    const before = scheduleShards(exampleConfig());
    expect([...before.values()].flat().map((d) => d.name)).not.toContain('web_events');
    const grown = scheduleShards(configWith((d) => d.datasets.push({ ...d.datasets[0], name: 'returns' })));
    for (const [shard, datasets] of before) for (const dataset of datasets) expect(grown.get(shard)?.map((d) => d.name)).toContain(dataset.name);
  });

  test('spreads 1,000 batch datasets so that no schedule stack nears 500 resources', () => {
    const datasets = Array.from({ length: 1000 }, (_, i) => ({
      name: `dataset_${String(i).padStart(4, '0')}`,
      schedule: '0 * * * *',
      source: { kind: 'database' },
    }));
    const sizes = [...scheduleShards({ datasets } as never).values()].map((shard) => shard.length);
    expect(Math.max(...sizes)).toBeLessThan(330);
  });

  test('lists the shared stack, one per pipeline, the non-empty schedule shards, streaming and one streaming stack per domain with streams', () => {
    const names = pipelineStacks(exampleConfig()).map((stack) => stack.name);
    expect(names.slice(0, 3)).toEqual(['acme-dev-orchestration', 'acme-dev-orchestration-sales', 'acme-dev-orchestration-marketing']);
    expect(names.filter((name) => name.startsWith('acme-dev-schedules-')).length).toBe(scheduleShards(exampleConfig()).size);
    expect(names.slice(-2)).toEqual(['acme-dev-streaming', 'acme-dev-streaming-marketing']);
  });

  test('gives each domain with stream datasets its own streaming stack, in the order of the definition', () => {
    const grown = configWith((d) =>
      d.datasets.push({
        ...d.datasets.find((dataset: { name: string }) => dataset.name === 'web_events'),
        name: 'pos_events',
        domain: 'sales',
        source: { kind: 'stream', topic: 'pos.events.v1' },
      }),
    );
    // web_events (marketing) comes before the added pos_events (sales) in the definition.
    expect(Catalogue.of(grown).streamDomains()).toEqual(['marketing', 'sales']);
    const streaming = pipelineStacks(grown).filter((stack) => stack.concern === 'streaming');
    expect(streaming.map((stack) => [stack.name, stack.domain])).toEqual([
      ['acme-dev-streaming', undefined],
      ['acme-dev-streaming-marketing', 'marketing'],
      ['acme-dev-streaming-sales', 'sales'],
    ]);
    expect(Catalogue.of(exampleConfig()).streamDomains()).toEqual(['marketing']);
  });
});
