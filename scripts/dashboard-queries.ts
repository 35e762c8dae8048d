/**
 * `npx ts-node --swc scripts/dashboard-queries.ts [catalog]`: every committed dashboard template
 * (constructs/databricks/dashboards/*.lvdash.json) bound to `catalog` (default `platform_test`), with the
 * gold contracts, as JSON: what test/spark/test_dashboard_queries.py resolves with sqlglot's Databricks
 * dialect, so that every query names only gold tables and columns that exist, and every widget only
 * columns its dataset returns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_TEMPLATES_DIRECTORY } from '../constructs/databricks/lakeview-dashboard';
import { bindLakeviewTemplate, datasetQuery, parseLakeviewTemplate, type LakeviewDataset } from '../lib/consumers/lakeview-template';
import { runApp } from '../lib/config';
import { readGoldContracts } from '../lib/warehouse';

interface WidgetQuery {
  readonly query?: { readonly datasetName?: string; readonly fields?: readonly { readonly name: string; readonly expression: string }[] };
}
interface Page {
  readonly layout?: readonly { readonly widget?: { readonly name?: string; readonly queries?: readonly WidgetQuery[] } }[];
}

export function dashboardQueries(catalog: string): unknown {
  const contracts = readGoldContracts();
  const dashboards = readdirSync(DASHBOARD_TEMPLATES_DIRECTORY)
    .filter((file) => file.endsWith('.lvdash.json'))
    .sort()
    .map((file) => {
      const path = join(DASHBOARD_TEMPLATES_DIRECTORY, file);
      const template = parseLakeviewTemplate(readFileSync(path, 'utf8'), path);
      const bound = JSON.parse(
        bindLakeviewTemplate(
          template,
          catalog,
          contracts.map((contract) => contract.model),
        ).serialized,
      ) as { datasets: LakeviewDataset[]; pages: Page[] };
      return {
        file,
        datasets: bound.datasets.map((dataset) => ({ name: dataset.name, query: datasetQuery(dataset) })),
        widgets: bound.pages.flatMap((page) =>
          (page.layout ?? []).flatMap((item) =>
            (item.widget?.queries ?? []).map((query) => ({
              widget: item.widget?.name,
              dataset: query.query?.datasetName,
              expressions: (query.query?.fields ?? []).map((field) => field.expression),
            })),
          ),
        ),
      };
    });
  return {
    catalog,
    contracts: Object.fromEntries(
      contracts.map((contract) => [contract.model, Object.fromEntries(contract.columns.map((column) => [column.name, column.dataType]))]),
    ),
    dashboards,
  };
}

if (require.main === module) {
  void runApp(() => {
    process.stdout.write(`${JSON.stringify(dashboardQueries(process.argv[2] ?? 'platform_test'), null, 2)}\n`);
  });
}
