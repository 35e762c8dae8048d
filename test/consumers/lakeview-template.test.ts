import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindLakeviewTemplate, datasetQuery, parseLakeviewTemplate, templateTableReferences } from '../../lib/consumers/lakeview-template';
import { readGoldContracts } from '../../lib/warehouse';

const TEMPLATE_FILE = join(__dirname, '..', '..', 'constructs', 'databricks', 'dashboards', 'executive_kpis.lvdash.json');
const GOLD = readGoldContracts().map((contract) => contract.model);

/** A template of one dataset with the given query, as lines like the export writes them. */
function templateOf(sql: string, file = 'test.lvdash.json') {
  const queryLines = sql.split(/(?<=\n)/);
  return parseLakeviewTemplate(JSON.stringify({ datasets: [{ name: 'data', displayName: 'Data', queryLines }], pages: [{ name: 'page', layout: [] }] }), file);
}

describe('the committed executive KPI template', () => {
  const template = parseLakeviewTemplate(readFileSync(TEMPLATE_FILE, 'utf8'), TEMPLATE_FILE);

  test('names tables without a catalog, as <schema>.<table>, and only gold contracts', () => {
    const references = templateTableReferences(template);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      expect(reference.schema).toBe('gold');
      expect(GOLD).toContain(reference.table);
    }
  });

  test('binds to a catalog: every table three-part, nothing else of the document changed', () => {
    const bound = bindLakeviewTemplate(template, 'acme_dev', GOLD);
    expect(bound.models).toEqual(['agg_daily_revenue', 'fct_orders']);
    expect(bound.tables).toEqual(['acme_dev.gold.agg_daily_revenue', 'acme_dev.gold.fct_orders']);
    const document = JSON.parse(bound.serialized) as { datasets: { name: string; queryLines: string[] }[]; pages: unknown };
    expect(document.pages).toEqual(template.document.pages);
    for (const [index, dataset] of document.datasets.entries()) {
      const original = datasetQuery(template.datasets[index]);
      expect(dataset.queryLines.join('')).toBe(original.replace(/FROM gold\./g, 'FROM acme_dev.gold.'));
      expect(dataset.queryLines.length).toBe(template.datasets[index].queryLines!.length);
    }
  });

  test('every widget reads a dataset of the template', () => {
    const names = template.datasets.map((dataset) => dataset.name);
    const pages = template.document.pages as { layout: { widget: { queries?: { query: { datasetName: string } }[] } }[] }[];
    const read = pages.flatMap((page) => page.layout.flatMap((item) => (item.widget.queries ?? []).map((query) => query.query.datasetName)));
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !names.includes(name))).toEqual([]);
    expect(names.filter((name) => !read.includes(name))).toEqual([]);
  });
});

describe('bindLakeviewTemplate', () => {
  test('qualifies joined tables, backquoted names and queries given as one string', () => {
    const template = parseLakeviewTemplate(
      JSON.stringify({
        datasets: [{ name: 'q', query: 'SELECT o.order_id FROM `gold`.`fct_orders` AS o JOIN gold.dim_date d ON o.order_date = d.date_day' }],
        pages: [{ name: 'p' }],
      }),
      'q.lvdash.json',
    );
    const bound = bindLakeviewTemplate(template, 'acme_prod', GOLD);
    expect((JSON.parse(bound.serialized) as { datasets: { query: string }[] }).datasets[0].query).toBe(
      'SELECT o.order_id FROM acme_prod.gold.fct_orders AS o JOIN acme_prod.gold.dim_date d ON o.order_date = d.date_day',
    );
    expect(bound.models).toEqual(['dim_date', 'fct_orders']);
  });

  test('leaves common table expressions and EXTRACT ... FROM alone', () => {
    const sql = 'WITH recent AS (SELECT * FROM gold.agg_daily_revenue)\nSELECT EXTRACT(YEAR FROM order_date) AS y FROM recent';
    const bound = bindLakeviewTemplate(templateOf(sql), 'acme_dev', GOLD);
    expect((JSON.parse(bound.serialized) as { datasets: { queryLines: string[] }[] }).datasets[0].queryLines).toEqual([
      'WITH recent AS (SELECT * FROM acme_dev.gold.agg_daily_revenue)\n',
      'SELECT EXTRACT(YEAR FROM order_date) AS y FROM recent',
    ]);
  });

  test('fails when a query names a catalog', () => {
    expect(() => bindLakeviewTemplate(templateOf('SELECT * FROM acme_prod.gold.fct_orders'), 'acme_dev', GOLD)).toThrow(
      'dashboard template test.lvdash.json: dataset "data" reads "acme_prod.gold.fct_orders"; name tables as <schema>.<table>',
    );
  });

  test('fails when a query reads another layer or a table that is not a gold contract', () => {
    expect(() => bindLakeviewTemplate(templateOf('SELECT * FROM silver.orders'), 'acme_dev', GOLD)).toThrow(
      'dataset "data" reads silver.orders, which is not a gold table; dashboards read gold.<model> of the dbt gold contracts: ',
    );
    expect(() => bindLakeviewTemplate(templateOf('SELECT * FROM gold.fct_order'), 'acme_dev', GOLD)).toThrow('reads gold.fct_order, which is not a gold table');
  });
});

describe('parseLakeviewTemplate', () => {
  test.each([
    ['not JSON', '{', 'dashboard template t.json: not JSON'],
    ['no pages', JSON.stringify({ datasets: [{ name: 'a', query: 'SELECT 1' }] }), '"pages" must list at least one page'],
    ['no datasets', JSON.stringify({ pages: [{}] }), '"datasets" must list at least one dataset'],
    ['a dataset without a name', JSON.stringify({ pages: [{}], datasets: [{ query: 'SELECT 1' }] }), 'datasets[0] has no "name"'],
    [
      'two datasets of one name',
      JSON.stringify({
        pages: [{}],
        datasets: [
          { name: 'a', query: 'SELECT 1' },
          { name: 'a', query: 'SELECT 2' },
        ],
      }),
      'name "a" is used twice',
    ],
    ['a dataset without a query', JSON.stringify({ pages: [{}], datasets: [{ name: 'a' }] }), 'datasets[0] ("a") has no query'],
    ['query lines that are not strings', JSON.stringify({ pages: [{}], datasets: [{ name: 'a', queryLines: [1] }] }), '"queryLines" must be a list of strings'],
  ])('fails on %s', (_case, text, message) => {
    expect(() => parseLakeviewTemplate(text, 't.json')).toThrow(message);
  });
});
