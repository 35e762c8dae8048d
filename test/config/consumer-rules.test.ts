import { consumerIssues } from '../../lib/config/consumer-rules';
import { goldModelLineage } from '../../lib/config/dbt-models';
import type { PlatformDefinition } from '../../lib/config';
import { binaryDataset, configWith, exampleConfig, exampleDefinition, problemsAfter } from '../fixtures/platform';

describe('the consumers section of the platform definition', () => {
  test('resolves the example with its defaults', () => {
    const { consumers } = exampleConfig();
    expect(consumers.api).toEqual({
      environments: ['dev', 'staging', 'prod'],
      endpointType: 'private',
      throttling: { rateLimit: 20, burstLimit: 40 },
      maxPageSize: 500,
      tables: [
        {
          dataset: 'orders',
          filters: ['order_id', 'customer_id', 'order_status', 'ordered_at'],
          groups: ['analysts', 'data-science'],
          principals: [],
          allowPersonalData: false,
        },
        {
          dataset: 'products',
          filters: ['product_id', 'category'],
          groups: ['analysts', 'marketing-analysts'],
          principals: ['arn:aws:iam::444455556666:role/acme-storefront-catalog'],
          allowPersonalData: false,
        },
      ],
    });
    expect(consumers.dashboards.map((dashboard) => [dashboard.name, dashboard.tables, dashboard.readers])).toEqual([
      ['executive_kpis', ['agg_daily_revenue', 'fct_orders'], ['analysts']],
    ]);
    expect(consumers.shares[0]).toMatchObject({
      name: 'retail_partner_catalog',
      environments: ['prod'],
      recipients: [
        { name: 'northwind_retail', kind: 'databricks', sharingIdentifier: 'azure:westeurope:19a84bee-54bc-43a2-87de-023d0ec16016' },
        { name: 'contoso_pricing', kind: 'open', ipAccessList: ['203.0.113.0/24'] },
      ],
    });
  });

  test('applies the defaults: private, 10/20 requests a second, pages of 100, filters on the keys, every environment of the cloud', () => {
    const config = configWith((d) => {
      d.consumers = { api: { tables: [{ dataset: 'exchange_rates', groups: ['analysts'] }] }, shares: [{ ...d.consumers.shares[0], environments: undefined }] };
      delete d.consumers.shares[0].environments;
    });
    expect(config.consumers.api).toEqual({
      environments: ['dev', 'staging', 'prod'],
      endpointType: 'private',
      throttling: { rateLimit: 10, burstLimit: 20 },
      maxPageSize: 100,
      tables: [{ dataset: 'exchange_rates', filters: ['rate_date', 'currency_code'], groups: ['analysts'], principals: [], allowPersonalData: false }],
    });
    expect(config.consumers.dashboards).toEqual([]);
    expect(config.consumers.shares[0].environments).toEqual(['dev', 'staging', 'prod']);
  });

  test('a definition without consumers has none', () => {
    const config = configWith((d) => delete d.consumers);
    expect(config.consumers).toEqual({ api: undefined, dashboards: [], shares: [] });
  });

  test.each<[string, (d: Record<string, any>) => void, string]>([
    [
      'an API table is an unknown dataset',
      (d) => (d.consumers.api.tables[0].dataset = 'order'),
      'consumers.api.tables[0].dataset: "order" is not a dataset of the catalogue (did you mean "orders"?); datasets: customers, orders,',
    ],
    [
      'a filter is not a column of the dataset',
      (d) => (d.consumers.api.tables[0].filters = ['order_stat']),
      'consumers.api.tables[0].filters[0]: "order_stat" is not a column of dataset "orders" (did you mean "order_status"?); columns: order_id,',
    ],
    [
      'an API group is not defined',
      (d) => (d.consumers.api.tables[0].groups = ['analyst']),
      'consumers.api.tables[0].groups[0]: "analyst" is not a defined group (did you mean "analysts"?); groups: data-engineering, analysts,',
    ],
    [
      'an API group may not read the dataset in gold',
      (d) => (d.consumers.api.tables[0].groups = ['marketing-analysts']),
      'consumers.api.tables[0].groups[0]: "marketing-analysts" may not read orders in gold, which the API would show it; add it to readers.gold',
    ],
    [
      'a table is exposed twice',
      (d) => d.consumers.api.tables.push({ dataset: 'orders', groups: ['analysts'] }),
      'consumers.api.tables[2].dataset: "orders" is already exposed by consumers.api.tables[0]; expose a table once',
    ],
    [
      'a table names nobody',
      (d) => (d.consumers.api.tables[0].groups = []),
      'consumers.api.tables[0]: names no group and no principal: nobody could query "orders"',
    ],
    [
      'a pii dataset is exposed without allowPersonalData',
      (d) => d.consumers.api.tables.push({ dataset: 'customers', groups: ['analysts'] }),
      'consumers.api.tables[2].allowPersonalData: exposes data of the pii dataset "customers"; set allowPersonalData: true on this entry',
    ],
    [
      'an API table is a binary dataset, which has no gold table',
      (d) => {
        d.datasets.push(binaryDataset());
        d.consumers.api.tables.push({ dataset: 'campaign_assets', groups: ['data-engineering'] });
      },
      'consumers.api.tables[2].dataset: "campaign_assets" is a binary dataset: it stays in bronze (its files and their manifest table) and has no gold table',
    ],
    [
      'the page size is above what Athena returns',
      (d) => (d.consumers.api.maxPageSize = 5000),
      'consumers.api.maxPageSize: 5000 must be a whole number from 1 to 1000',
    ],
    ['the endpoint type is unknown', (d) => (d.consumers.api.endpointType = 'edge'), 'consumers.api.endpointType: "edge" must be one of: private, regional'],
    [
      'a principal is not an IAM role or user ARN',
      (d) => (d.consumers.api.tables[1].principals = ['arn:aws:iam::444455556666:root']),
      'consumers.api.tables[1].principals[0]: "arn:aws:iam::444455556666:root" must be an IAM role or user ARN',
    ],
    [
      'an API environment does not exist',
      (d) => (d.consumers.api.environments = ['prd']),
      'consumers.api.environments[0]: "prd" is not an environment of the definition (did you mean "prod"?)',
    ],
    [
      'a dashboard reads an unknown gold model',
      (d) => (d.consumers.dashboards[0].tables = ['agg_daily_revenu']),
      'consumers.dashboards[0].tables[0]: "agg_daily_revenu" is not a gold dbt model (did you mean "agg_daily_revenue"?)',
    ],
    [
      'a dashboard built from pii datasets does not allow personal data',
      (d) => delete d.consumers.dashboards[0].allowPersonalData,
      'consumers.dashboards[0].allowPersonalData: shows data of the pii dataset "customers"; set allowPersonalData: true',
    ],
    [
      "a dashboard reader may not read a table's datasets in gold",
      (d) => (d.consumers.dashboards[0].readers = ['marketing-analysts']),
      'consumers.dashboards[0].readers[0]: "marketing-analysts" may not read customers, order_items, orders in gold, which dashboard "executive_kpis"',
    ],
    [
      'two dashboards share a name',
      (d) => d.consumers.dashboards.push({ ...d.consumers.dashboards[0] }),
      'consumers.dashboards[1].name: "executive_kpis" is already the name of consumers.dashboards[0]; names must be unique',
    ],
    [
      'a share of a model built from a pii dataset does not allow personal data',
      (d) => d.consumers.shares[0].tables.push('customer_360'),
      'consumers.shares[0].allowPersonalData: shares data of the pii datasets',
    ],
    [
      'a share is enabled in an environment without databricks',
      (d) => {
        d.environments.dev.clouds = ['aws'];
        delete d.environments.dev.azure;
        delete d.environments.dev.databricks;
        d.consumers.shares[0].environments = ['dev'];
      },
      'consumers.shares[0].environments[0]: "dev" does not use databricks (its clouds: aws)',
    ],
    [
      'a recipient gives neither a sharing identifier nor open sharing',
      (d) => delete d.consumers.shares[0].recipients[1].openSharing,
      'consumers.shares[0].recipients[1]: recipient "contoso_pricing" must give exactly one of sharingIdentifier',
    ],
    [
      'a Databricks recipient has an IP access list',
      (d) => (d.consumers.shares[0].recipients[0].ipAccessList = ['198.51.100.7']),
      'consumers.shares[0].recipients[0].ipAccessList: applies to open-sharing recipients only',
    ],
    [
      'a sharing identifier is malformed',
      (d) => (d.consumers.shares[0].recipients[0].sharingIdentifier = 'westeurope:19a84bee'),
      'consumers.shares[0].recipients[0].sharingIdentifier: "westeurope:19a84bee" must be a Databricks sharing identifier <cloud>:<region>:<metastore-uuid>',
    ],
    [
      'one recipient is described differently in two shares',
      (d) =>
        d.consumers.shares.push({
          name: 'rates',
          description: 'Rates',
          tables: ['dim_exchange_rates'],
          recipients: [{ name: 'northwind_retail', openSharing: true }],
        }),
      'consumers.shares[1].recipients[0]: recipient "northwind_retail" differs from consumers.shares[0].recipients[0]',
    ],
    [
      'the consumers section has an unknown key',
      (d) => (d.consumers.dashboard = []),
      'consumers: unknown key "dashboard" (did you mean "dashboards"?); allowed keys: api, dashboards, shares',
    ],
  ])('fails when %s', (_, change, expected) => {
    expect(problemsAfter(change).join('\n')).toContain(expected);
  });

  test('accepts a pii dataset exposed with allowPersonalData: true', () => {
    const config = configWith((d) => d.consumers.api.tables.push({ dataset: 'customers', groups: ['analysts'], allowPersonalData: true }));
    expect(config.consumers.api?.tables.map((table) => [table.dataset, table.allowPersonalData])).toContainEqual(['customers', true]);
  });

  test('checks only the names of gold models whose lineage is unknown', () => {
    const definition = exampleDefinition() as PlatformDefinition;
    const unknown = new Map([
      ['agg_daily_revenue', undefined],
      ['fct_orders', undefined],
      ['dim_products', undefined],
    ]);
    expect(consumerIssues(definition, () => unknown).map((issue) => issue.message)).toEqual([
      '"dim_exchange_rates" is not a gold dbt model; gold models: agg_daily_revenue, fct_orders, dim_products',
    ]);
  });

  test('falls back to the model names when the dbt project refers to a dataset the definition does not have', () => {
    const definition = exampleDefinition() as PlatformDefinition;
    definition.datasets = definition.datasets.filter((dataset) => dataset.name !== 'web_events');
    const models = goldModelLineage(definition);
    expect(models.get('dim_exchange_rates')).toBeUndefined();
    expect(models.has('dim_exchange_rates')).toBe(true);
  });

  test('reads the lineage of the gold models only when a dashboard or share names some', () => {
    const definition = exampleDefinition();
    delete definition.consumers.dashboards;
    delete definition.consumers.shares;
    const lineage = jest.fn(() => new Map<string, readonly string[]>());
    expect(consumerIssues(definition as PlatformDefinition, lineage)).toEqual([]);
    expect(lineage).not.toHaveBeenCalled();
  });

  test("traces the gold models of the repository's dbt project to their datasets", () => {
    const models = goldModelLineage(exampleDefinition() as PlatformDefinition);
    expect(models.get('dim_exchange_rates')).toEqual(['exchange_rates']);
    expect(models.get('customer_360')).toContain('customers');
    expect(models.has('stg_crm__customers')).toBe(false);
  });
});
