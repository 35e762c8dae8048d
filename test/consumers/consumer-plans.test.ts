import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DASHBOARD_TEMPLATES_DIRECTORY } from '../../constructs/databricks/lakeview-dashboard';
import { dashboardPlans } from '../../lib/consumers/dashboard-plan';
import { deltaSharingPlan, recipientAccess } from '../../lib/consumers/sharing-plan';
import { configWith, exampleConfig } from '../fixtures/platform';

const prod = { prefix: 'acme', environment: 'prod' };

describe('deltaSharingPlan', () => {
  const config = exampleConfig();

  test("plans the environment's shares with their gold tables, and each recipient once", () => {
    const plan = deltaSharingPlan(config, prod, 'acme_prod');
    expect(plan.shares).toEqual([
      {
        share: 'retail_partner_catalog',
        name: 'acme_prod_retail_partner_catalog',
        description: 'The product catalogue and exchange rates for resellers',
        tables: [
          {
            model: 'dim_exchange_rates',
            name: 'acme_prod.gold.dim_exchange_rates',
            type: 'TABLE',
            sharedAs: 'gold.dim_exchange_rates',
            datasets: ['exchange_rates'],
          },
          { model: 'dim_products', name: 'acme_prod.gold.dim_products', type: 'TABLE', sharedAs: 'gold.dim_products', datasets: ['products'] },
        ],
        recipients: ['acme_prod_contoso_pricing', 'acme_prod_northwind_retail'],
      },
    ]);
    expect(plan.recipients.map((recipient) => [recipient.name, recipient.access.kind])).toEqual([
      ['acme_prod_northwind_retail', 'databricks'],
      ['acme_prod_contoso_pricing', 'open'],
    ]);
  });

  test("is empty in an environment the shares do not name, without reading the dbt project's lineage", () => {
    expect(deltaSharingPlan(config, { prefix: 'acme', environment: 'dev' }, 'acme_dev', [])).toEqual({ shares: [], recipients: [] });
  });

  test('states what each recipient reads: the tables of its shares and the datasets they hold, nothing else', () => {
    expect(recipientAccess(deltaSharingPlan(config, prod, 'acme_prod'))).toEqual([
      {
        recipient: 'acme_prod_contoso_pricing',
        share: 'acme_prod_retail_partner_catalog',
        tables: ['acme_prod.gold.dim_exchange_rates', 'acme_prod.gold.dim_products'],
        datasets: ['exchange_rates', 'products'],
      },
      {
        recipient: 'acme_prod_northwind_retail',
        share: 'acme_prod_retail_partner_catalog',
        tables: ['acme_prod.gold.dim_exchange_rates', 'acme_prod.gold.dim_products'],
        datasets: ['exchange_rates', 'products'],
      },
    ]);
  });

  test('fails when a shared model is not in gold, or built as nothing Delta Sharing can share', () => {
    const lineage = [
      { name: 'dim_products', layer: 'gold' as const, materialized: 'ephemeral', datasets: ['products'] },
      { name: 'dim_exchange_rates', layer: 'silver' as const, materialized: 'table', datasets: ['exchange_rates'] },
    ];
    expect(() => deltaSharingPlan(config, prod, 'acme_prod', lineage.slice(1))).toThrow(
      'consumers.shares "retail_partner_catalog": "dim_products" is not a gold dbt model; gold models: ',
    );
    expect(() => deltaSharingPlan(config, prod, 'acme_prod', lineage)).toThrow(
      'consumers.shares "retail_partner_catalog": gold model dim_products is materialized as "ephemeral", which Delta Sharing cannot share',
    );
  });
});

describe('dashboardPlans', () => {
  test("binds each dashboard's template to the catalog, with its owners and readers as Databricks groups", () => {
    const [plan] = dashboardPlans(exampleConfig(), 'acme_dev', DASHBOARD_TEMPLATES_DIRECTORY);
    expect(plan).toMatchObject({
      name: 'executive_kpis',
      tables: ['acme_dev.gold.agg_daily_revenue', 'acme_dev.gold.fct_orders'],
      ownerGroups: ['data-engineering'],
      readerGroups: ['analysts'],
    });
    expect(plan.serialized).not.toMatch(/FROM gold\./);
  });

  test('fails when a dashboard has no template', () => {
    const config = configWith((d) => {
      d.consumers.dashboards[0].name = 'board_without_template';
    });
    const empty = mkdtempSync(join(tmpdir(), 'dashboards-'));
    expect(() => dashboardPlans(config, 'acme_dev', empty)).toThrow(
      `consumers.dashboards "board_without_template": no template ${join(empty, 'board_without_template.lvdash.json')}; export the dashboard`,
    );
  });

  test('fails when its entry names a table the template does not read', () => {
    const directory = mkdtempSync(join(tmpdir(), 'dashboards-'));
    writeFileSync(
      join(directory, 'executive_kpis.lvdash.json'),
      JSON.stringify({ datasets: [{ name: 'd', query: 'SELECT * FROM gold.fct_orders' }], pages: [{}] }),
    );
    expect(() => dashboardPlans(exampleConfig(), 'acme_dev', directory)).toThrow(
      /tables \[agg_daily_revenue, fct_orders\] must be the gold tables its template .* reads \[fct_orders\]; remove agg_daily_revenue \(the template does not/,
    );
  });
});
