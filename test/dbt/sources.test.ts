import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadPlatformConfig } from '../../lib/config';
import { longestIntervalMinutes } from '../../lib/schedules/cron';
import { type PlatformConfig } from '../../lib/definition';
import { bronzeMetadataColumns } from '../../lib/lake/layout';
import { buildDbtSourceFiles, freshnessFor, LANDING_SCHEMA_EXPRESSION, LOADED_AT_FIELD, metadataColumns, STREAM_FRESHNESS } from '../../lib/dbt/sources';
import { unityCatalogBronzeTable } from '../../lib/naming';

const root = join(__dirname, '..', '..');

interface SourceTable {
  name: string;
  identifier: string;
  config: { loaded_at_field: string; freshness: ReturnType<typeof freshnessFor>; meta: Record<string, unknown> };
  columns: { name: string; data_tests?: unknown[] }[];
  data_tests?: unknown[];
}

function sourcesOf(files: Map<string, string>): Map<string, { domain: string; schema: string; table: SourceTable }> {
  const tables = new Map<string, { domain: string; schema: string; table: SourceTable }>();
  for (const [path, text] of files) {
    if (!path.endsWith('__sources.yml')) continue;
    for (const source of parse(text).sources) for (const table of source.tables) tables.set(table.name, { domain: source.name, schema: source.schema, table });
  }
  return tables;
}

function testNames(tests: unknown[] | undefined): string[] {
  return (tests ?? []).map((t) => (typeof t === 'string' ? t : Object.keys(t as object)[0]));
}

describe('generate-dbt-sources', () => {
  let config: PlatformConfig;
  let files: Map<string, string>;
  let tables: ReturnType<typeof sourcesOf>;

  beforeAll(() => {
    config = loadPlatformConfig(join(root, 'platform.yaml'));
    files = buildDbtSourceFiles(config);
    tables = sourcesOf(files);
  });

  test('every dataset has a source table in its domain, with its columns then the ingestion metadata', () => {
    expect([...tables.keys()].sort()).toEqual(config.datasets.map((d) => d.name).sort());
    for (const dataset of config.datasets) {
      const { domain, table } = tables.get(dataset.name)!;
      expect(domain).toBe(dataset.domain);
      expect(table.columns.map((c) => c.name)).toEqual([...dataset.columns.map((c) => c.name), ...metadataColumns(dataset).map((c) => c.name)]);
      expect(table.config.loaded_at_field).toBe(LOADED_AT_FIELD);
    }
  });

  test('every source resolves per target: the Unity Catalog bronze table on Databricks, the landing table elsewhere', () => {
    for (const dataset of config.datasets) {
      const { schema, table } = tables.get(dataset.name)!;
      const bronze = unityCatalogBronzeTable(dataset);
      expect(schema).toBe(`{{ '${bronze.schema}' if target.type == 'databricks' else ${LANDING_SCHEMA_EXPRESSION} }}`);
      expect(table.identifier).toBe(`{{ '${bronze.table}' if target.type == 'databricks' else 'raw_${dataset.name}' }}`);
    }
    expect(LANDING_SCHEMA_EXPRESSION).toBe("var('bronze_landing_schema', env_var('DBT_BRONZE_LANDING_SCHEMA', target.schema ~ '_landing'))");
  });

  test('the landing tables carry exactly the metadata columns of the bronze layout, which the Glue tables declare too', () => {
    for (const dataset of config.datasets) {
      const names = tables
        .get(dataset.name)!
        .table.columns.map((c) => c.name)
        .slice(dataset.columns.length);
      expect(names).toEqual(bronzeMetadataColumns(dataset).map((c) => c.name));
      expect(names).toEqual(expect.arrayContaining(['_source', '_batch_id', '_ingested_at']));
    }
  });

  test('meta carries the catalogue entry: classification, owners, cdc, format, schedule, keys', () => {
    for (const dataset of config.datasets) {
      const { meta } = tables.get(dataset.name)!.table.config;
      expect(meta).toMatchObject({
        classification: dataset.classification,
        owners: [...dataset.owners],
        cdc: dataset.cdc,
        format: dataset.format,
        schedule: dataset.schedule,
        keys: [...dataset.keys],
      });
    }
  });

  test('freshness is 2x and 4x the longest schedule interval; streams get a fixed short freshness', () => {
    for (const dataset of config.datasets) {
      const { freshness } = tables.get(dataset.name)!.table.config;
      if (dataset.schedule === 'continuous') {
        expect(freshness).toEqual({
          warn_after: { count: STREAM_FRESHNESS.warnAfterMinutes, period: 'minute' },
          error_after: { count: STREAM_FRESHNESS.errorAfterMinutes, period: 'minute' },
        });
      } else {
        const interval = longestIntervalMinutes(dataset.schedule);
        expect(freshness).toEqual({ warn_after: { count: 2 * interval, period: 'minute' }, error_after: { count: 4 * interval, period: 'minute' } });
      }
    }
    expect(freshnessFor('0 6 * * *').warn_after.count).toBe(2 * 24 * 60);
  });

  test('every quality rule and key becomes a data test, at warn severity on the dirty bronze data', () => {
    for (const dataset of config.datasets) {
      const { table } = tables.get(dataset.name)!;
      const column = (name: string) => testNames(table.columns.find((c) => c.name === name)!.data_tests);
      for (const key of dataset.keys) expect(column(key)).toContain('not_null');
      for (const rule of dataset.quality) {
        if (rule.rule === 'not_null') expect(column(rule.column)).toContain('not_null');
        if (rule.rule === 'accepted_values') expect(column(rule.column)).toContain('accepted_values');
        if (rule.rule === 'range') expect(column(rule.column)).toContain('lakehouse.accepted_range');
        if (rule.rule === 'row_count') expect(testNames(table.data_tests)).toContain('lakehouse.row_count_between');
      }
      const keyTests = dataset.keys.length === 1 && !dataset.cdc ? column(dataset.keys[0]) : testNames(table.data_tests);
      expect(keyTests).toContain(dataset.keys.length === 1 && !dataset.cdc ? 'unique' : 'lakehouse.unique_combination_of_columns');
      const all = [...table.columns.flatMap((c) => c.data_tests ?? []), ...(table.data_tests ?? [])] as Record<string, { config: { severity: string } }>[];
      for (const t of all) expect(Object.values(t)[0].config.severity).toBe('warn');
    }
  });

  test('the seeds load the dataset columns as text and type the ingestion metadata', () => {
    const seeds = [...files].filter(([path]) => path.endsWith('__seeds.yml')).flatMap(([, text]) => parse(text).seeds);
    for (const dataset of config.datasets) {
      const seed = seeds.find((s: { name: string }) => s.name === `raw_${dataset.name}`);
      expect(seed.config.column_types[dataset.columns[0].name]).toBe('string');
      expect(seed.config.column_types[LOADED_AT_FIELD]).toBe('timestamp');
    }
  });

  test('output is deterministic and starts with the generated-file header', () => {
    const again = buildDbtSourceFiles(config);
    expect([...again]).toEqual([...files]);
    for (const text of files.values()) expect(text.startsWith('# generated by scripts/generate-dbt-sources.ts')).toBe(true);
  });

  test('the committed files are up to date (same check as --check)', () => {
    for (const [path, text] of files) expect(readFileSync(join(root, path), 'utf8')).toBe(text);
  });
});
