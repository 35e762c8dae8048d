import { dataFactoryBronzeTablesPlan } from '../../constructs/databricks/bronze-tables';
import {
  BINARY_CONTENT_TYPES,
  BINARY_MANIFEST_COLUMNS,
  binaryManifestSettings,
  bronzeMetadataColumns,
  ingestionJobArguments,
  storageFormat,
  tableStorageFormat,
} from '../../lib/lake';
import { sparkManifest } from '../../lib/pipelines';
import { configWithBinaryDataset, environmentOf, exampleConfig } from '../fixtures/platform';

describe('binary datasets: objects and a manifest in bronze', () => {
  const config = configWithBinaryDataset();
  const assets = config.datasets.find((dataset) => dataset.name === 'campaign_assets')!;

  test('the manifest has no _source_file (its path is the file) and keeps the other bronze metadata columns', () => {
    expect(bronzeMetadataColumns(assets).map((column) => column.name)).toEqual(['_source', '_batch_id', '_ingested_at']);
    const products = exampleConfig().datasets.find((dataset) => dataset.name === 'products')!;
    expect(bronzeMetadataColumns(products).map((column) => column.name)).toEqual(['_source_file', '_source', '_batch_id', '_ingested_at']);
  });

  test('the bronze table is the manifest, stored as Parquet', () => {
    expect(storageFormat(assets, 'bronze')).toBe('parquet');
    expect(tableStorageFormat('binary', [])).toEqual(tableStorageFormat('parquet', []));
  });

  test('the Glue job gets the manifest columns, the limit and the content types, and no CSV dialect', () => {
    const args = ingestionJobArguments(assets, { databaseName: 'acme_dev_bronze', bronzeBucketName: 'acme-dev-bronze' });
    expect(args).toMatchObject({
      '--format': 'binary',
      '--source_kind': 'files',
      '--landing_pattern': '_landing/incoming/campaign-assets/*',
      '--keys': 'path',
      '--metadata_columns': '_source,_batch_id,_ingested_at',
      '--max_content_bytes': '1024',
      '--unknown_content_type': 'application/octet-stream',
      '--target_prefix': 'marketing/campaign_assets/',
    });
    expect(JSON.parse(args['--content_types'])).toEqual(BINARY_CONTENT_TYPES);
    expect(JSON.parse(args['--columns'])).toEqual(BINARY_MANIFEST_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable })));
    expect(args).not.toHaveProperty('--csv_header');
    expect(args).not.toHaveProperty('--csv_delimiter');
  });

  test('content types are lower-case extensions without a dot', () => {
    for (const [extension, type] of Object.entries(BINARY_CONTENT_TYPES)) {
      expect(extension).toMatch(/^[a-z0-9]+$/);
      expect(type).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
    }
  });

  test('only binary files datasets have manifest settings', () => {
    const products = exampleConfig().datasets.find((dataset) => dataset.name === 'products')!;
    expect(() => binaryManifestSettings(products)).toThrow(
      'dataset "products": a manifest is built for format binary files datasets only (format "csv", source.kind "files")',
    );
  });

  test('the Databricks plan reads the files with binaryFile and writes the metadata itself', () => {
    const plan = dataFactoryBronzeTablesPlan(config, {
      catalog: 'acme_dev',
      bronzeUrl: 'abfss://bronze@acmedevlake.dfs.core.windows.net/',
      bronzeWorkUrl: 'abfss://bronze-work@acmedevlake.dfs.core.windows.net/',
    });
    const table = plan.tables.find((candidate) => candidate.dataset === 'campaign_assets')!;
    expect(table).toMatchObject({
      table: 'acme_dev.bronze.campaign_assets',
      source: 'abfss://bronze@acmedevlake.dfs.core.windows.net/marketing/campaign_assets/',
      format: 'binary',
      binary: {
        maxContentBytes: 1024,
        contentTypes: BINARY_CONTENT_TYPES,
        unknownContentType: 'application/octet-stream',
        sourceDescription: '_landing/incoming/campaign-assets/*',
      },
    });
    expect(table.csv).toBeUndefined();
    expect(table.columns).toEqual([
      ...BINARY_MANIFEST_COLUMNS.map(({ name, type }) => ({ name, type })),
      { name: '_source', type: 'string' },
      { name: '_batch_id', type: 'string' },
      { name: '_ingested_at', type: 'timestamp' },
    ]);
    expect(plan.tables.filter((candidate) => candidate.dataset !== 'campaign_assets').every((candidate) => candidate.binary === undefined)).toBe(true);
  });

  test('binary datasets stay in bronze: the Spark step (silver and gold) does not take them', () => {
    const manifest = sparkManifest(config, environmentOf(config, 'dev'));
    expect(manifest.domains.marketing.map((dataset) => dataset.name)).not.toContain('campaign_assets');
    expect(manifest.domains.marketing.length).toBeGreaterThan(0);
  });
});
