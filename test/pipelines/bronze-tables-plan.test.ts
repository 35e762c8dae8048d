import { dataFactoryBronzeTablesPlan } from '../../constructs/databricks/bronze-tables';
import { Catalogue } from '../../lib/definition';
import { bronzeMetadataColumns } from '../../lib/lake';
import { bronzeTablesPlan } from '../../lib/pipelines';
import { exampleConfig } from '../fixtures/platform';

describe('bronzeTablesPlan', () => {
  const config = exampleConfig();
  const url = 'abfss://bronze@acmedevlake.dfs.core.windows.net/';
  const workUrl = 'abfss://bronze-work@acmedevlake.dfs.core.windows.net/';
  const urls = { catalog: 'acme_dev', bronzeUrl: url, bronzeWorkUrl: workUrl };

  test('plans one table per batch dataset with the AWS bronze columns: declared, then metadata, then the partition', () => {
    const plan = bronzeTablesPlan(config, urls);
    expect(plan.version).toBe(1);
    expect(plan.tables.map((table) => table.dataset)).toEqual(
      Catalogue.of(config)
        .batch()
        .map((dataset) => dataset.name),
    );
    const products = plan.tables.find((table) => table.dataset === 'products')!;
    const dataset = config.datasets.find((d) => d.name === 'products')!;
    expect(products).toMatchObject({
      table: 'acme_dev.bronze.products',
      source: `${url}sales/products/`,
      // The step only reads bronze (immutable); its checkpoint is rewritten every run, in bronze's working data.
      checkpoint: `${workUrl}_state/sales/products/bronze_table/`,
      partitionColumn: 'ingestion_date',
      format: 'csv',
      csv: { delimiter: ',', header: true, quote: '"', escape: '\\' },
    });
    expect(products.columns).toEqual([
      ...dataset.columns.map((column) => ({ name: column.name, type: column.type })),
      ...bronzeMetadataColumns(dataset).map((column) => ({ name: column.name, type: column.type })),
    ]);
    expect(plan.tables.filter((table) => table.format !== 'csv').every((table) => table.csv === undefined)).toBe(true);
  });

  test('on Azure, reads the metadata Data Factory adds as text; captured changes are Parquet', () => {
    const plan = dataFactoryBronzeTablesPlan(config, urls);
    const customers = plan.tables.find((table) => table.dataset === 'customers')!;
    expect(customers.format).toBe('parquet');
    expect(customers.columns.filter((column) => column.landedType !== undefined)).toEqual([{ name: '_ingested_at', type: 'timestamp', landedType: 'string' }]);
    // _op and _change_seq come from the capture query, typed.
    expect(customers.columns.find((column) => column.name === '_change_seq')).toEqual({ name: '_change_seq', type: 'bigint' });
    expect(plan.tables.find((table) => table.dataset === 'campaigns')!.format).toBe('json');
  });

  test('puts every checkpoint in bronze work and nothing the step writes in bronze', () => {
    const plan = bronzeTablesPlan(config, urls);
    expect(plan.tables.length).toBeGreaterThan(0);
    for (const table of plan.tables) {
      expect(table.checkpoint.startsWith(workUrl)).toBe(true);
      expect(table.source.startsWith(url)).toBe(true);
    }
  });

  test('refuses a bronze or bronze work URL that is not a folder', () => {
    expect(() => bronzeTablesPlan(config, { ...urls, bronzeUrl: 'abfss://bronze@x.dfs.core.windows.net' })).toThrow(
      'bronzeTablesPlan: bronzeUrl "abfss://bronze@x.dfs.core.windows.net" must end with "/"',
    );
    expect(() => bronzeTablesPlan(config, { ...urls, bronzeWorkUrl: 'abfss://bronze-work@x.dfs.core.windows.net' })).toThrow(
      'bronzeTablesPlan: bronzeWorkUrl "abfss://bronze-work@x.dfs.core.windows.net" must end with "/"',
    );
  });

  test('refuses checkpoints inside bronze, or bronze inside the working data', () => {
    expect(() => bronzeTablesPlan(config, { ...urls, bronzeWorkUrl: `${url}_work/` })).toThrow(
      `bronzeTablesPlan: bronzeWorkUrl "${url}_work/" and bronzeUrl "${url}" must not contain one another: ` +
        'the checkpoints are rewritten every run, and bronze only takes files written once',
    );
    expect(() => bronzeTablesPlan(config, { ...urls, bronzeUrl: `${workUrl}bronze/` })).toThrow('must not contain one another');
  });
});
