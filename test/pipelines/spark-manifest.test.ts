import { layerAccess } from '../../lib/definition';
import { bronzeMetadataColumns, silverMetadataColumns } from '../../lib/lake';
import { accessTagKey, apiAccessTagKey, domainTagKey } from '../../lib/naming';
import { sparkManifest } from '../../lib/pipelines/spark-manifest';
import { configWith, environmentOf, exampleConfig } from '../fixtures/platform';

describe('sparkManifest', () => {
  const config = exampleConfig();
  const manifest = sparkManifest(config, environmentOf(config, 'prod'));
  const scope = { prefix: config.prefix, environment: 'prod' };

  test('groups every dataset of the definition by domain, in definition order', () => {
    expect(Object.keys(manifest.domains)).toEqual(['sales', 'marketing']);
    expect(manifest.domains.sales.map((dataset) => dataset.name)).toEqual(['customers', 'orders', 'order_items', 'products', 'exchange_rates']);
    expect(manifest.domains.marketing.map((dataset) => dataset.name)).toEqual(['web_events', 'campaigns', 'newsletter_signups']);
  });

  test('names the environment and its Glue databases', () => {
    expect(manifest).toMatchObject({
      version: 4,
      platform: 'acme',
      environment: 'prod',
      databases: { bronze: 'acme_prod_bronze', silver: 'acme_prod_silver', gold: 'acme_prod_gold' },
    });
    expect(sparkManifest(config, environmentOf(config, 'dev')).databases.gold).toBe('acme_dev_gold');
  });

  test('carries columns, keys, CDC flag, lake path and quality rules of a dataset', () => {
    const orders = manifest.domains.sales.find((dataset) => dataset.name === 'orders');
    expect(orders).toMatchObject({
      domain: 'sales',
      format: 'parquet',
      path: 'sales/orders/',
      cdc: true,
      keys: ['order_id'],
      orderBy: ['_change_seq', '_ingested_at'],
      readOptions: {},
    });
    expect(orders?.columns[0]).toEqual({ name: 'order_id', type: 'bigint', nullable: false, pii: false });
    expect(orders?.quality).toContainEqual({ rule: 'row_count', min: 1 });
  });

  describe('orders the copies of a key, newest first', () => {
    const orderByOf = (change: (definition: Record<string, any>) => void, name: string) => {
      const changed = configWith(change);
      return sparkManifest(changed, environmentOf(changed, 'prod')).domains.sales.find((dataset) => dataset.name === name)?.orderBy;
    };
    /** orders without CDC, read incrementally on `column` (it keeps its updated_at timestamp column). */
    const trackedOn = (column: string, extra?: Record<string, unknown>) => (definition: Record<string, any>) => {
      const orders = definition.datasets.find((dataset: any) => dataset.name === 'orders');
      orders.cdc = false;
      orders.source = { ...orders.source, changeTrackingColumn: column };
      if (extra) orders.columns.push(extra);
    };

    test('CDC datasets by their change sequence', () => {
      expect(manifest.domains.sales.find((dataset) => dataset.name === 'orders')?.orderBy).toEqual(['_change_seq', '_ingested_at']);
    });

    test("a database dataset without CDC by its declared change-tracking column, not by a column's name", () => {
      expect(orderByOf(trackedOn('row_version', { name: 'row_version', type: 'bigint', nullable: false }), 'orders')).toEqual(['row_version', '_ingested_at']);
      expect(orderByOf(trackedOn('updated_at'), 'orders')).toEqual(['updated_at', '_ingested_at']);
    });

    test('a dataset that declares none by its updated_at timestamp when it has one (the documented fallback), else by ingestion time', () => {
      const products = (definition: Record<string, any>) => definition.datasets.find((dataset: any) => dataset.name === 'products');
      expect(orderByOf((definition) => products(definition).columns.push({ name: 'updated_at', type: 'timestamp' }), 'products')).toEqual([
        'updated_at',
        '_ingested_at',
      ]);
      expect(orderByOf((definition) => products(definition).columns.push({ name: 'updated_at', type: 'string' }), 'products')).toEqual(['_ingested_at']);
      expect(manifest.domains.sales.find((dataset) => dataset.name === 'exchange_rates')?.orderBy).toEqual(['_ingested_at']);
      const snapshot = (definition: Record<string, any>) => {
        const orders = definition.datasets.find((dataset: any) => dataset.name === 'orders');
        orders.cdc = false;
        orders.source = { ...orders.source, load: 'snapshot' };
      };
      expect(orderByOf(snapshot, 'orders')).toEqual(['updated_at', '_ingested_at']);
    });
  });

  test('reads bronze CSV with the header row ingestion writes and the source delimiter', () => {
    expect(manifest.domains.sales.find((dataset) => dataset.name === 'products')?.readOptions).toEqual({ header: 'true', sep: ',' });
    const semicolons = configWith((definition) => {
      definition.datasets[3].source = { ...definition.datasets[3].source, header: false, delimiter: ';' };
    });
    expect(sparkManifest(semicolons, environmentOf(semicolons, 'dev')).domains.sales.find((dataset) => dataset.name === 'products')?.readOptions).toEqual({
      header: 'true',
      sep: ';',
    });
  });

  test('names the metadata columns as the lake layout does (bronze written by ingestion, silver by Spark)', () => {
    const cdc = config.datasets.find((dataset) => dataset.name === 'orders');
    if (!cdc) throw new Error('example definition has no orders dataset');
    const bronze = bronzeMetadataColumns(cdc).map((column) => column.name);
    const { ingestedAt, operation, sequence, batchId, sourceFile } = manifest.metadataColumns;
    expect(bronze).toEqual(expect.arrayContaining([ingestedAt, operation, sequence, batchId]));
    expect(bronzeMetadataColumns({ cdc: false, source: { kind: 'files' } } as never).map((column) => column.name)).toContain(sourceFile);
    expect(silverMetadataColumns(cdc).map((column) => column.name)).toEqual([ingestedAt, sequence, operation, 'is_deleted', batchId]);
  });

  test('gives each dataset the LF-tags of its silver and gold tables, as the catalog stack tagged them', () => {
    const orders = manifest.domains.sales.find((dataset) => dataset.name === 'orders');
    const definition = config.datasets.find((dataset) => dataset.name === 'orders');
    if (!orders || !definition) throw new Error('example definition has no orders dataset');
    for (const layer of ['silver', 'gold'] as const) {
      const expected: Record<string, string[]> = { [domainTagKey(scope)]: ['sales'] };
      for (const [group, access] of layerAccess(definition, layer)) expected[accessTagKey(scope, group)] = [access];
      // orders is exposed by the gold API: its gold table (only) carries the API's tag as well.
      if (layer === 'gold') expected[apiAccessTagKey(scope)] = ['read'];
      expect(orders.tags[layer]).toEqual(expected);
    }
    expect(Object.values(orders.tags.gold)).toContainEqual(['own']);
  });

  test("puts the gold API's tag on exactly the gold tables consumers.api exposes, and names it for the application", () => {
    const apiTag = apiAccessTagKey(scope);
    expect(manifest.lakeFormation.apiTagKey).toBe(apiTag);
    const tagged = Object.values(manifest.domains)
      .flat()
      .filter((dataset) => apiTag in dataset.tags.gold || apiTag in dataset.tags.silver)
      .map((dataset) => dataset.name);
    expect(tagged).toEqual(['orders', 'products']);
    for (const name of tagged)
      expect(
        Object.values(manifest.domains)
          .flat()
          .find((dataset) => dataset.name === name)?.tags.silver,
      ).not.toHaveProperty(apiTag);
  });

  test('has no API tag where the environment deploys no gold API', () => {
    const withoutApi = configWith((definition) => (definition.consumers.api.environments = ['prod']));
    const dev = sparkManifest(withoutApi, environmentOf(withoutApi, 'dev'));
    expect(dev.lakeFormation.apiTagKey).toBeNull();
    expect(Object.values(dev.domains).flatMap((datasets) => datasets.flatMap((dataset) => Object.keys(dataset.tags.gold)))).not.toContain(
      'acme_dev_consumer_api',
    );
  });

  test('a dataset added to the definition appears without code changes', () => {
    const changed = configWith((definition) => {
      definition.datasets.push({ ...definition.datasets[7], name: 'unsubscribes', domain: 'crm' });
    });
    expect(sparkManifest(changed, environmentOf(changed, 'dev')).domains.crm.map((dataset) => dataset.name)).toEqual(['unsubscribes']);
  });
});
