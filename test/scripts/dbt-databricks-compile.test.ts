import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config';
import { type DbtManifest, databricksSourceProblems, scheduledSeedProblems } from '../../scripts/dbt-databricks-compile';

const config = loadPlatformConfig(join(__dirname, '..', '..', 'platform.yaml'));

/** A manifest as dbt-databricks writes it: every source and its staging model, reading `catalog.bronze.<dataset>`. */
function manifest(relation: (domain: string, dataset: string) => string): DbtManifest {
  const sources = Object.fromEntries(
    config.datasets.map((d) => [
      `source.lakehouse.${d.domain}.${d.name}`,
      { name: d.name, source_name: d.domain, resource_type: 'source', relation_name: relation(d.domain, d.name) },
    ]),
  );
  const nodes = Object.fromEntries(
    config.datasets.map((d) => [
      `model.lakehouse.stg_${d.domain}__${d.name}`,
      {
        name: `stg_${d.domain}__${d.name}`,
        resource_type: 'model',
        sources: [[d.domain, d.name]],
        compiled_code: `select * from ${relation(d.domain, d.name)}`,
      },
    ]),
  );
  return { sources, nodes };
}

describe('databricksSourceProblems', () => {
  test('accepts sources and models that read the Unity Catalog bronze tables of the catalog', () => {
    expect(
      databricksSourceProblems(
        manifest((_, dataset) => `\`acme_dev\`.\`bronze\`.\`${dataset}\``),
        config,
        'acme_dev',
      ),
    ).toEqual([]);
  });

  test('fails when a source still reads its landing table, naming the source and its model', () => {
    const problems = databricksSourceProblems(
      manifest((_, dataset) => (dataset === 'orders' ? `\`acme_dev\`.\`dbt_landing\`.\`raw_orders\`` : `\`acme_dev\`.\`bronze\`.\`${dataset}\``)),
      config,
      'acme_dev',
    );
    expect(problems).toEqual([
      'source sales.orders: resolves to `acme_dev`.`dbt_landing`.`raw_orders`, expected `acme_dev`.`bronze`.`orders`',
      'model stg_sales__orders: its compiled SQL does not read `acme_dev`.`bronze`.`orders`',
    ]);
  });

  test('fails when no compiled model selects from a source', () => {
    const full = manifest((_, dataset) => `\`c\`.\`bronze\`.\`${dataset}\``);
    const nodes = Object.fromEntries(Object.entries(full.nodes).filter(([id]) => id !== 'model.lakehouse.stg_marketing__campaigns'));
    expect(databricksSourceProblems({ ...full, nodes }, config, 'c')).toEqual(['source marketing.campaigns: no compiled model selects from it']);
  });
});

describe('scheduledSeedProblems', () => {
  test('accepts a selection of exactly the reference seeds', () => {
    expect(scheduledSeedProblems(['ref_codes'], ['ref_codes'])).toEqual([]);
  });

  test('fails when the selection loads a sample landing seed or misses a reference seed, naming each', () => {
    expect(scheduledSeedProblems(['raw_orders'], ['ref_codes'])).toEqual([
      'selector scheduled loads seed raw_orders, which is not reference data',
      'selector scheduled does not load the reference seed ref_codes',
    ]);
  });
});
