import { join } from 'node:path';
import {
  buildDbtGrantsFile,
  DBT_GRANTS_FILE,
  dbtModelGrants,
  dbtPrivilege,
  type DbtProjectFiles,
  modelLineage,
  parseDbtGrantsFile,
  readDbtProjectFiles,
} from '../../lib/dbt';
import { configWith, exampleConfig } from '../fixtures/platform';

const project = (models: Record<string, string>, seeds: string[] = []): DbtProjectFiles => ({
  seeds,
  materializations: { bronze: 'view', silver: 'view', gold: 'table' },
  models: Object.entries(models).map(([path, sql]) => ({ path, sql })),
});

describe('modelLineage', () => {
  const config = exampleConfig();

  test("traces each model's datasets through its refs to the sources, as dbt reads them", () => {
    const lineage = modelLineage(readDbtProjectFiles(join(__dirname, '..', '..', 'dbt')), config);
    const byName = Object.fromEntries(lineage.map((model) => [model.name, model]));
    expect(byName.stg_sales__customers).toEqual({ name: 'stg_sales__customers', layer: 'bronze', materialized: 'view', datasets: ['customers'] });
    expect(byName.int_customers_current).toMatchObject({ layer: 'silver', materialized: 'incremental', datasets: ['customers'] });
    expect(byName.fct_orders.datasets).toEqual(['customers', 'exchange_rates', 'order_items', 'orders']);
    expect(byName.agg_campaign_signups).toMatchObject({ layer: 'gold', materialized: 'view', datasets: ['campaigns', 'newsletter_signups'] });
    expect(byName.dim_date.datasets).toEqual([]);
  });

  test('reads ref with a package, double quotes, and ignores calls in Jinja comments but not in SQL comments', () => {
    const lineage = modelLineage(
      project(
        {
          'bronze/sales/stg_a.sql': 'select * from {{ source("sales", "orders") }}',
          'bronze/sales/stg_b.sql': "select * from {{ source('sales', 'customers') }}",
          'gold/x.sql': "select * from {{ ref('lakehouse', 'stg_a') }} {# {{ ref('stg_b') }} #} -- {{ ref('codes') }}",
        },
        ['codes'],
      ),
      config,
    );
    expect(lineage.find((model) => model.name === 'x')).toEqual({ name: 'x', layer: 'gold', materialized: 'table', datasets: ['orders'] });
  });

  test('fails on a model outside a layer folder, a source that is not a dataset, a ref to nothing and a cycle', () => {
    expect(() => modelLineage(project({ 'staging/x.sql': 'select 1' }), config)).toThrow(
      'dbt model staging/x.sql: models live under models/<layer>/ with layer one of bronze, silver, gold, not "staging"',
    );
    expect(() => modelLineage(project({ 'bronze/x.sql': "select * from {{ source('sales', 'clients') }}" }), config)).toThrow(
      "dbt model bronze/x.sql: source('sales', 'clients') is not a dataset of the definition; " +
        "sources are source('<domain>', '<dataset>'): source('sales', 'customers'),",
    );
    expect(() => modelLineage(project({ 'gold/x.sql': "select * from {{ ref('y') }}" }), config)).toThrow(
      "dbt model x: ref('y') is neither a model nor a seed of the project",
    );
    expect(() => modelLineage(project({ 'gold/x.sql': "{{ ref('y') }}", 'gold/y.sql': "{{ ref('x') }}" }), config)).toThrow(
      'dbt models ref each other in a cycle: x -> y -> x',
    );
  });
});

describe('dbtModelGrants', () => {
  const config = exampleConfig();

  test('grants each model from the datasets it holds, every privilege of its kind listed so that dbt revokes the rest', () => {
    const grants = dbtModelGrants(config, [
      { name: 'stg', layer: 'bronze', materialized: 'view', datasets: ['customers'] },
      { name: 'wide', layer: 'gold', materialized: 'incremental', datasets: ['customers', 'web_events'] },
      { name: 'tmp', layer: 'silver', materialized: 'ephemeral', datasets: ['customers'] },
    ]);
    expect(grants).toEqual({
      stg: { layer: 'bronze', kind: 'view', datasets: ['customers'], grants: { 'apply tag': ['data-engineering'], select: ['data-engineering'] } },
      wide: {
        layer: 'gold',
        kind: 'table',
        datasets: ['customers', 'web_events'],
        grants: { 'apply tag': ['data-engineering'], modify: ['data-engineering'], select: ['analysts', 'data-engineering', 'data-science'] },
      },
    });
  });

  test('fails on a materialization it does not know', () => {
    expect(() => dbtModelGrants(config, [{ name: 'x', layer: 'gold', materialized: 'external', datasets: [] }])).toThrow(
      'dbt model x: materialization "external" is not one the grants know; ' +
        'known: table, incremental, streaming_table, snapshot, view, materialized_view, ephemeral',
    );
  });

  test("fails when an ML use case's owners could not read one of its feature tables", () => {
    const lineage = modelLineage(readDbtProjectFiles(join(__dirname, '..', '..', 'dbt')), config);
    const marketingModel = configWith((d) => (d.mlUseCases[0].featureTables = ['customer_360']));
    expect(() => dbtModelGrants(marketingModel, lineage)).toThrow(
      'mlUseCases customer_churn: owners data-science cannot read feature table customer_360, which holds data of customers, exchange_rates, ' +
        'newsletter_signups, order_items, orders, web_events: the definition must let them own or read every one of those datasets in gold',
    );
  });

  test('spells privileges as dbt puts them in GRANT', () => {
    expect(dbtPrivilege('APPLY_TAG')).toBe('apply tag');
  });
});

describe('buildDbtGrantsFile', () => {
  test('writes one model per line in a macro, and reads back what it wrote', () => {
    const config = exampleConfig();
    const lineage = [{ name: 'stg', layer: 'bronze' as const, materialized: 'view', datasets: ['customers'] }];
    const contents = buildDbtGrantsFile(config, lineage).get(DBT_GRANTS_FILE)!;
    expect(contents).toContain(
      '{% macro platform_model_grants() %}\n    {{ return({\n' +
        '        "stg": { "layer": "bronze", "kind": "view", "datasets": [ "customers" ], ' +
        '"grants": { "apply tag": [ "data-engineering" ], "select": [ "data-engineering" ] } }\n' +
        '    }) }}\n{% endmacro %}\n',
    );
    expect(parseDbtGrantsFile(contents)).toEqual(dbtModelGrants(config, lineage));
    expect(() => parseDbtGrantsFile('{% macro x() %}{% endmacro %}')).toThrow(
      `${DBT_GRANTS_FILE} has no "{{ return(...) }}": regenerate it with npm run dbt:sources`,
    );
  });
});
