import { pipelineStacks, SCHEDULE_SHARDS, scheduleShardOf, scheduleShards } from '../../lib/orchestration/stack-layout';
import { configWith, exampleConfig } from '../fixtures/platform';

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
    const datasets = Array.from({ length: 1000 }, (_, i) => ({ name: `dataset_${String(i).padStart(4, '0')}`, schedule: '0 * * * *' }));
    const sizes = [...scheduleShards({ datasets } as never).values()].map((shard) => shard.length);
    expect(Math.max(...sizes)).toBeLessThan(330);
  });

  test('lists the shared stack, one per pipeline, the non-empty schedule shards and streaming', () => {
    const names = pipelineStacks(exampleConfig(), { prefix: 'acme', environment: 'dev' }).map((stack) => stack.name);
    expect(names.slice(0, 3)).toEqual(['acme-dev-orchestration', 'acme-dev-orchestration-sales', 'acme-dev-orchestration-marketing']);
    expect(names.filter((name) => name.startsWith('acme-dev-schedules-')).length).toBe(scheduleShards(exampleConfig()).size);
    expect(names.at(-1)).toBe('acme-dev-streaming');
  });
});
