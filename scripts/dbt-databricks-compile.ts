/**
 * Parses and compiles the dbt project for the Databricks target with no workspace and no network, then
 * checks that every dataset's source reads its Unity Catalog bronze table (lib/naming
 * `unityCatalogBronzeTable`) in the target's catalog, in the source and in the compiled SQL of the
 * models that select from it, and that the scheduled job's selector (`dbt ls`) loads the reference
 * seeds and no sample landing seed. Part of `npm run test:dbt` (`npm run dbt:databricks`).
 *
 *   npx ts-node --swc scripts/dbt-databricks-compile.ts
 *
 * dbt runs through scripts/dbt-offline.py, which cuts the network of its process and fails on any
 * attempt. `dbt parse` renders the whole project. `dbt compile --no-introspect --no-populate-cache`
 * opens no connection: a node whose Jinja runs SQL while compiling fails at once ("connection never
 * acquired") instead of reaching the warehouse. Those nodes are listed in `WAREHOUSE_COMPILED_NODES`
 * and left out of the offline compile; they compile on the warehouse only (the scheduled job).
 * The host, HTTP path, token and catalog are placeholders; the compiled files go to
 * dbt/target/databricks, beside the DuckDB build's dbt/target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPlatformConfig } from '../lib/config';
import type { PlatformConfig } from '../lib/definition';
import { qualifiedTableName, unityCatalogBronzeTable } from '../lib/naming';
import { DBT_JOB_SELECTOR } from '../constructs/databricks/dbt-job';

/** The placeholder catalog of the offline compile (the job sets the environment's, `<prefix>_<env>`). */
export const OFFLINE_CATALOG = 'platform_offline';

/** Placeholder connection settings: profiles.yml requires them; nothing connects. */
export const OFFLINE_PROFILE_ENV = {
  DBT_DATABRICKS_HOST: 'offline.invalid',
  DBT_DATABRICKS_HTTP_PATH: '/sql/1.0/warehouses/offline',
  DBT_DATABRICKS_TOKEN: 'offline',
  DBT_DATABRICKS_CATALOG: OFFLINE_CATALOG,
} as const;

/**
 * Nodes whose compilation runs SQL on the warehouse, so that they cannot compile offline: `is_incremental()`
 * looks the model up in the catalog, `date_spine` counts its intervals with a query, the generic tests
 * `column_set_matches` and `recency` read the columns of their relations.
 */
export const WAREHOUSE_COMPILED_NODES: Readonly<Record<string, string>> = {
  int_customers_current: 'incremental: is_incremental() looks the table up',
  int_orders_current: 'incremental: is_incremental() looks the table up',
  int_order_items_current: 'incremental: is_incremental() looks the table up',
  dim_date: 'dbt.date_spine counts its intervals with a query',
  dim_campaigns: 'dbt.date_spine counts its intervals with a query',
  customer_360: 'its parents compile on the warehouse (dim_date)',
  ml_customer_churn_features: 'its parents compile on the warehouse (dim_date)',
  column_set_matches_int_customers_quarantine_ref_int_customers_validated___quarantined_at: 'reads the columns of both relations',
  column_set_matches_int_orders_quarantine_ref_int_orders_validated___quarantined_at: 'reads the columns of both relations',
  recency_fct_orders_day__ordered_at__2: 'reads the column types of fct_orders',
};

interface ManifestNode {
  readonly name: string;
  readonly resource_type: string;
  readonly sources?: readonly (readonly string[])[];
  readonly compiled_code?: string;
  readonly relation_name?: string;
  readonly source_name?: string;
}

export interface DbtManifest {
  readonly nodes: Readonly<Record<string, ManifestNode>>;
  readonly sources: Readonly<Record<string, ManifestNode>>;
}

/** `` `catalog`.`schema`.`table` ``: how dbt-databricks quotes a relation. */
function quoted(name: string): string {
  return name
    .split('.')
    .map((part) => `\`${part}\``)
    .join('.');
}

/**
 * What is wrong with the Databricks compile of the project: for every dataset of the definition, its
 * source must be `<catalog>.<bronze schema>.<bronze table>` and every compiled model that selects from it
 * must read that table; at least one must. Empty when all hold.
 */
export function databricksSourceProblems(manifest: DbtManifest, config: PlatformConfig, catalog: string): string[] {
  const problems: string[] = [];
  const nodes = Object.values(manifest.nodes);
  for (const dataset of config.datasets) {
    const expected = quoted(qualifiedTableName(catalog, unityCatalogBronzeTable(dataset)));
    const source = Object.values(manifest.sources).find((s) => s.source_name === dataset.domain && s.name === dataset.name);
    if (!source) {
      problems.push(`source ${dataset.domain}.${dataset.name}: missing from the manifest`);
      continue;
    }
    if (source.relation_name !== expected) problems.push(`source ${dataset.domain}.${dataset.name}: resolves to ${source.relation_name}, expected ${expected}`);
    const readers = nodes.filter(
      (node) =>
        node.resource_type === 'model' &&
        node.compiled_code !== undefined &&
        (node.sources ?? []).some(([domain, name]) => domain === dataset.domain && name === dataset.name),
    );
    if (readers.length === 0) problems.push(`source ${dataset.domain}.${dataset.name}: no compiled model selects from it`);
    for (const model of readers) {
      if (!model.compiled_code?.includes(expected)) problems.push(`model ${model.name}: its compiled SQL does not read ${expected}`);
    }
  }
  return problems;
}

/** Runs dbt offline; returns what it printed (also echoed). */
function dbtOffline(root: string, args: readonly string[]): string {
  const python = process.env.DBT_VENV ? join(process.env.DBT_VENV, 'bin', 'python') : join(root, '.venv', 'bin', 'python');
  const run = spawnSync(python, [join(root, 'scripts', 'dbt-offline.py'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, ...OFFLINE_PROFILE_ENV },
    timeout: 600_000,
  });
  process.stdout.write(run.stdout ?? '');
  if (run.status !== 0) throw new Error(`dbt ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);
  return run.stdout;
}

/**
 * What is wrong with the seeds the scheduled job's selector loads: exactly the reference seeds
 * (dbt/seeds/reference), never a sample landing seed. Empty when it holds.
 */
export function scheduledSeedProblems(selectedSeeds: readonly string[], referenceSeeds: readonly string[]): string[] {
  const selected = new Set(selectedSeeds);
  return [
    ...[...selected]
      .filter((seed) => !referenceSeeds.includes(seed))
      .map((seed) => `selector ${DBT_JOB_SELECTOR} loads seed ${seed}, which is not reference data`),
    ...referenceSeeds.filter((seed) => !selected.has(seed)).map((seed) => `selector ${DBT_JOB_SELECTOR} does not load the reference seed ${seed}`),
  ];
}

function main(): number {
  const root = resolve(__dirname, '..');
  const targetPath = 'target/databricks';
  const common = ['--target', 'databricks', '--target-path', targetPath, '--quiet'];
  dbtOffline(root, ['parse', ...common]);
  const seeds = dbtOffline(root, ['ls', ...common, '--selector', DBT_JOB_SELECTOR, '--resource-type', 'seed', '--output', 'name'])
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[a-z0-9_]+$/.test(line));
  const referenceSeeds = readdirSync(join(root, 'dbt', 'seeds', 'reference'))
    .filter((file) => file.endsWith('.csv'))
    .map((file) => file.replace(/\.csv$/, ''));
  dbtOffline(root, ['compile', ...common, '--no-introspect', '--no-populate-cache', '--exclude', ...Object.keys(WAREHOUSE_COMPILED_NODES)]);
  const manifestPath = join(root, 'dbt', targetPath, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`dbt compile wrote no ${manifestPath}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DbtManifest;
  const known = new Set(Object.values(manifest.nodes).map((node) => node.name));
  const stale = Object.keys(WAREHOUSE_COMPILED_NODES).filter((name) => !known.has(name));
  const problems = [
    ...stale.map((name) => `WAREHOUSE_COMPILED_NODES names ${name}, which the project no longer has: remove it`),
    ...scheduledSeedProblems(seeds, referenceSeeds),
    ...databricksSourceProblems(manifest, loadPlatformConfig(join(root, 'platform.yaml')), OFFLINE_CATALOG),
  ];
  if (problems.length > 0) {
    console.error(`dbt on Databricks:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const compiled = Object.values(manifest.nodes).filter((node) => node.compiled_code !== undefined).length;
  console.log(
    `dbt on Databricks: parsed, compiled ${compiled} nodes offline (${Object.keys(WAREHOUSE_COMPILED_NODES).length} compile on the warehouse only); ` +
      `every source reads its Unity Catalog bronze table; the scheduled job loads the seeds ${seeds.join(', ')} only.`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
