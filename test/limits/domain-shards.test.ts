import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ConfigError, loadPlatformConfig, readShardLock, shardLockFileOf, shardLockText } from '../../lib/config';
import type { PlatformConfig, ShardLock } from '../../lib/definition';
import { DOMAIN_STACK_CONCERNS, domainShards, SHARD_CAPACITY, schemaVersionsOf, shardLockOf, shardLockProblems, stackFootprint } from '../../lib/limits';
import { addLargeDomain, itemName, largeDomainDataset } from '../fixtures/large-domain';
import { configWith, exampleConfig, exampleDefinition, problemsAfter, writeDefinitionFile } from '../fixtures/platform';
import { updateShardLock } from '../../scripts/shards';

const names = (shards: ReadonlyMap<string, readonly (readonly { name: string }[])[]>, domain: string) =>
  (shards.get(domain) ?? []).map((shard) => shard.map((dataset) => dataset.name));

/** The example with a 300-dataset domain "big" (batch and stream datasets). */
const large = (count = 300, change: (definition: Record<string, any>) => void = () => undefined): PlatformConfig =>
  configWith((definition) => {
    addLargeDomain(definition, count, { streams: true });
    change(definition);
  });

describe('domain shards', () => {
  test('every domain of the example fits one shard, so nothing is recorded', () => {
    const shards = domainShards(exampleConfig());
    for (const [domain, domainShardList] of shards) expect([domain, domainShardList.length]).toEqual([domain, 1]);
    expect(shardLockOf(exampleConfig())).toEqual({});
    expect(shardLockProblems(exampleConfig(), 'platform.shards.yaml')).toEqual([]);
  });

  test('a 300-dataset domain is split into several shards, each within the shard capacity, each dataset once', () => {
    const config = large();
    const shards = domainShards(config).get('big') ?? [];
    expect(shards.length).toBeGreaterThan(2);
    expect(
      shards
        .flat()
        .map((dataset) => dataset.name)
        .sort(),
    ).toEqual(Array.from({ length: 300 }, (_, index) => itemName(index)));
    // First fit: the first datasets fill shard 0 in definition order.
    expect(shards[0].slice(0, 10).map((dataset) => dataset.name)).toEqual(Array.from({ length: 10 }, (_, index) => itemName(index)));
    for (const shard of shards) {
      for (const concern of DOMAIN_STACK_CONCERNS) {
        const footprint = stackFootprint(concern, shard, schemaVersionsOf(config));
        expect(footprint.resources).toBeLessThanOrEqual(SHARD_CAPACITY.resources);
        expect(footprint.templateBytes).toBeLessThanOrEqual(SHARD_CAPACITY.templateBytes);
      }
    }
    expect(Object.keys(shardLockOf(config))).toEqual(['big']);
  });

  test('a domain is recorded once it fills half its first shard, so that outgrowing it never moves a deployed dataset', () => {
    // The smallest domain "big" that fills more than SHARD_RECORD_FILL of shard 0 but still fits it.
    let count = 1;
    while (!(domainShards(large(count)).get('big')?.length === 1 && Object.keys(shardLockOf(large(count))).length > 0)) count++;
    const half = large(count);
    expect(names(domainShards(half), 'big')).toHaveLength(1);
    expect(shardLockProblems(half, 'platform.shards.yaml')).toEqual([
      {
        dataset: itemName(0),
        message: expect.stringMatching(
          /^domain "big" fills \d+% of its first shard \(recorded from 50%, before it needs a second\) and platform.shards.yaml records none/,
        ),
      },
    ]);
    expect(shardLockProblems(large(count - 1), 'platform.shards.yaml')).toEqual([]);
    const lock = shardLockOf(half);
    expect(lock.big).toEqual([Array.from({ length: count }, (_, index) => itemName(index))]);
    // Grown past one shard with new datasets listed FIRST: unrecorded, first fit would keep them in shard 0 and push
    // deployed ones out; recorded, every deployed dataset stays in shard 0.
    const grown = large(count, (definition) => {
      const fresh = Array.from({ length: 2 * count }, (_, index) => largeDomainDataset(definition, 1000 + index, { streams: true }));
      definition.datasets = [...fresh, ...definition.datasets];
    });
    const recorded = names(domainShards({ ...grown, shardLock: lock }), 'big');
    expect(recorded.length).toBeGreaterThan(1);
    expect(recorded[0].slice(0, count)).toEqual(lock.big[0]);
    expect(names(domainShards(grown), 'big')[0]).not.toEqual(expect.arrayContaining(lock.big[0]));
  });

  test('recorded datasets keep their shard when datasets are added or removed; a new one goes to the first shard with room', () => {
    const before = large();
    const lock = shardLockOf(before);
    // Remove a dataset of shard 0 and add one like it: without the record, first fit would pull a dataset of shard 1 forward.
    const removed = itemName(4);
    expect(lock.big[0]).toContain(removed);
    const after = large(300, (definition) => {
      definition.datasets = definition.datasets.filter((dataset: { name: string }) => dataset.name !== removed);
      // Index 300 is cloned from the same dataset as index 4 (orders), so it takes the room item0004 left.
      definition.datasets.push(largeDomainDataset(definition, 300, { streams: true }));
    });
    const shards = names(domainShards({ ...after, shardLock: lock }), 'big');
    lock.big.forEach((recorded, shard) => expect(shards[shard].filter((name) => name !== itemName(300))).toEqual(recorded.filter((name) => name !== removed)));
    expect(shards[0]).toContain(itemName(300));
    // Without the record, the removal shifts datasets between shards: why the assignment is recorded.
    expect(names(domainShards(after), 'big')[0]).toContain(lock.big[1][0]);
  });

  test('a dataset that fits no recorded shard opens a new one', () => {
    const config = large(10);
    const full = { big: [Array.from({ length: 10 }, (_, index) => itemName(index))] };
    const wide = configWith((definition) => {
      addLargeDomain(definition, 10, { streams: true });
      // Alone near the shard capacity (about 870 KB of catalog template, below CloudFormation's 1 MB).
      definition.datasets.push(largeDomainDataset(definition, 10, { extraColumns: 7500 }));
    });
    expect(names(domainShards({ ...config, shardLock: full }), 'big')).toEqual(full.big);
    expect(names(domainShards({ ...wide, shardLock: full }), 'big')).toEqual([...full.big, [itemName(10)]]);
  });

  describe('shardLockProblems (an out-of-date platform.shards.yaml)', () => {
    const config = large();
    const lock = shardLockOf(config);
    const problems = (shardLock: ShardLock, of = config) => shardLockProblems({ ...of, shardLock }, 'platform.shards.yaml').map((p) => p.message);

    test('accepts the lock it writes', () => {
      expect(problems(lock)).toEqual([]);
    });

    test('fails when a dataset of a recorded domain is not recorded, naming it and the command', () => {
      const missing = lock.big.map((shard) => shard.filter((name) => name !== itemName(5)));
      expect(problems({ big: missing })).toEqual([
        'platform.shards.yaml records no shard for dataset "item0005" of domain "big"; run `npm run ' +
          'shards` to record the shards (it never moves a recorded dataset) and commit platform.shards.yaml',
      ]);
    });

    test('fails when it records a dataset that is gone or recorded twice, or a domain without datasets', () => {
      const extra = [[...lock.big[0], 'gone', itemName(7)], ...lock.big.slice(1)];
      expect(problems({ big: extra, old: [['x']] })).toEqual([
        expect.stringContaining('records dataset "gone" in shard 0 of domain "big", but it is no longer defined'),
        expect.stringContaining('records dataset "item0007" of domain "big" twice'),
        expect.stringContaining('records domain "old", which has no datasets'),
      ]);
    });

    test('fails when a domain needs several shards and has no entries', () => {
      expect(problems({})).toEqual([
        expect.stringMatching(/^domain "big" needs \d+ shards of its per-domain stacks and platform.shards.yaml records none; run `npm run shards`/),
      ]);
    });
  });
});

describe('platform.shards.yaml', () => {
  test('reads back what it writes', () => {
    const lock = shardLockOf(large());
    const file = `${writeDefinitionFile(exampleDefinition())}.shards.yaml`;
    writeFileSync(file, shardLockText(lock));
    expect(readShardLock(file)).toEqual(lock);
  });

  test('fails when an entry is malformed, naming it', () => {
    const file = `${writeDefinitionFile(exampleDefinition())}.shards.yaml`;
    writeFileSync(file, 'domains:\n  big:\n    - shard: 1\n      datasets: [a]\n    - shard: 1\n      datasets: a\n');
    expect(() => readShardLock(file)).toThrow(ConfigError);
    expect(() => readShardLock(file)).toThrow(
      /domains\.big\[0\]\.shard: must be 0 \(shards are listed in order, from 0\)[\s\S]*domains\.big\[1\]\.datasets: must be a list of dataset names/,
    );
  });

  test('is named after the definition, beside it', () => {
    expect(shardLockFileOf('/defs/platform.yaml')).toBe('/defs/platform.shards.yaml');
    expect(shardLockFileOf('/defs/acme.yml')).toBe('/defs/acme.shards.yaml');
  });

  test('npm run shards records a large domain; validation refuses the file once it is stale, and accepts it again after a rerun', () => {
    // Batch datasets only: a stream would need its message schema registered beside the definition.
    const definition = exampleDefinition();
    addLargeDomain(definition, 300);
    const file = writeDefinitionFile(definition);
    expect(() => loadPlatformConfig(file)).toThrow(/domain "big" needs \d+ shards of its per-domain stacks and platform.shards.yaml records none/);
    expect(updateShardLock(file).message).toMatch(/platform.shards.yaml written$/);
    const recorded = loadPlatformConfig(file).shardLock;
    expect(Object.keys(recorded ?? {})).toEqual(['big']);
    expect(updateShardLock(file, true)).toEqual({ changed: false, message: expect.stringMatching(/is up to date$/) });

    definition.datasets.push(largeDomainDataset(definition, 300));
    writeFileSync(file, JSON.stringify(definition));
    expect(() => loadPlatformConfig(file)).toThrow('platform.shards.yaml records no shard for dataset "item0300" of domain "big"');
    expect(updateShardLock(file, true).changed).toBe(true);
    updateShardLock(file);
    const updated = loadPlatformConfig(file).shardLock?.big ?? [];
    recorded?.big.forEach((shard, index) => expect(updated[index].slice(0, shard.length)).toEqual(shard));
    expect(updated.flat()).toContain(itemName(300));
  });

  test('npm run shards removes the file once no domain needs recording', () => {
    const file = writeDefinitionFile(exampleDefinition());
    writeFileSync(shardLockFileOf(file), shardLockText({ sales: [['orders'], ['products']] }));
    expect(() => loadPlatformConfig(file)).toThrow('records no shard for dataset "customers" of domain "sales"');
    updateShardLock(file);
    // The recorded split of sales is kept (nothing moves); customers and the rest join shard 0, where there is room.
    expect(readFileSync(shardLockFileOf(file), 'utf8')).toContain('- orders');
    writeFileSync(shardLockFileOf(file), shardLockText({}));
    expect(updateShardLock(file).message).toMatch(/removed: no domain needs recording \(each fits half of one shard\)$/);
    expect(existsSync(shardLockFileOf(file))).toBe(false);
  });
});

describe('shard names', () => {
  test('fails validation when a shard would take the names of another domain, naming both', () => {
    const problems = problemsAfter((definition) => {
      addLargeDomain(definition, 300);
      definition.datasets.push({ ...largeDomainDataset(definition, 300), domain: 'big_1' });
    });
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^datasets\[\d+\]\.domain: shard 1 of domain "big" would take the stack and role names of domain "big_1" ` +
            String.raw`\(e\.g\. <prefix>-<env>-catalog-big-1\): rename domain "big_1" \(dataset "item\d+"\)$`,
        ),
      ),
    ]);
  });
});
