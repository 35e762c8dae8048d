import type { DatasetConfig } from '../../lib/definition';
import {
  avroSchema,
  awsIngestionProblems,
  BRONZE_WORK_AREA,
  bronzeMetadataColumns,
  bronzeTableCheckpointPrefix,
  isLakeArea,
  LAKE_AREAS,
  lakeAreaLayer,
  datasetLocation,
  ingestionJobArguments,
  landingPrefix,
  layerMetadataColumns,
  quarantinePrefix,
  requireAwsIngestionSupport,
  storageFormat,
  tableStorageFormat,
  watermarkStatePath,
} from '../../lib/lake';
import { groupAccess } from '../../lib/access/access-plan';
import { layerAccess } from '../../lib/definition';
import { exampleConfig } from '../fixtures/platform';

const config = exampleConfig();
const dataset = (name: string): DatasetConfig => config.datasets.find((d) => d.name === name)!;
const target = {
  databaseName: 'acme_dev_bronze',
  bronzeBucketName: 'acme-dev-bronze-111111111111-eu-west-1',
  connectionName: 'acme-dev-jdbc-sales-erp-replica',
};

describe('lake layout', () => {
  test('puts every dataset at s3://<layer bucket>/<domain>/<dataset>/, bronze in its source format and silver/gold in Parquet', () => {
    expect(datasetLocation('acme-dev-silver-1-eu-west-1', dataset('orders'))).toBe('s3://acme-dev-silver-1-eu-west-1/sales/orders/');
    expect(storageFormat(dataset('products'), 'bronze')).toBe('csv');
    expect(storageFormat(dataset('products'), 'silver')).toBe('parquet');
    expect(storageFormat(dataset('products'), 'gold')).toBe('parquet');
  });

  test('reads files below the fixed part of the landing pattern', () => {
    expect(landingPrefix('incoming/products/*.csv')).toBe('_landing/incoming/products/');
    expect(landingPrefix('/incoming/a/b.avro')).toBe('_landing/incoming/a/');
  });

  test('keeps ingestion state and quarantined records beside the data, under prefixes of their own', () => {
    expect(watermarkStatePath(dataset('products'))).toBe('_state/sales/products/watermark.json');
    expect(bronzeTableCheckpointPrefix(dataset('products'))).toBe('_state/sales/products/bronze_table/');
    expect(quarantinePrefix(dataset('products'))).toBe('_quarantine/sales/products/');
  });

  test("has an area for bronze's working data beside the layers, which holds bronze's data", () => {
    expect(BRONZE_WORK_AREA).toBe('bronze-work');
    expect(LAKE_AREAS).toEqual(['bronze', 'silver', 'gold', 'bronze-work']);
    expect(LAKE_AREAS.map(lakeAreaLayer)).toEqual(['bronze', 'silver', 'gold', 'bronze']);
    expect(isLakeArea('bronze-work')).toBe(true);
    expect(isLakeArea('tfstate')).toBe(false);
    expect(() => lakeAreaLayer('platinum' as never)).toThrow('lakeAreaLayer: "platinum" is not an area of the lake; areas: bronze, silver, gold, bronze-work');
  });

  test('adds the dbt landing metadata columns plus source and batch', () => {
    expect(bronzeMetadataColumns(dataset('orders')).map((c) => c.name)).toEqual(['_op', '_change_seq', '_source', '_batch_id', '_ingested_at']);
    expect(bronzeMetadataColumns(dataset('products')).map((c) => c.name)).toEqual(['_source_file', '_source', '_batch_id', '_ingested_at']);
    expect(bronzeMetadataColumns(dataset('web_events')).map((c) => c.name)).toEqual([
      '_kafka_partition',
      '_kafka_offset',
      '_source',
      '_batch_id',
      '_ingested_at',
    ]);
  });

  test('silver and gold carry the bookkeeping columns the Spark step writes', () => {
    expect(layerMetadataColumns(dataset('orders'), 'silver').map((c) => `${c.name} ${c.type}`)).toEqual([
      '_ingested_at timestamp',
      '_change_seq bigint',
      '_op string',
      'is_deleted boolean',
      '_batch_id string',
    ]);
    expect(layerMetadataColumns(dataset('products'), 'silver').map((c) => c.name)).toEqual(['_ingested_at', '_batch_id']);
    expect(layerMetadataColumns(dataset('products'), 'gold').map((c) => c.name)).toEqual(['last_ingested_at']);
    expect(layerMetadataColumns(dataset('products'), 'bronze')).toEqual(bronzeMetadataColumns(dataset('products')));
  });
});

describe('table formats', () => {
  test('CSV tables carry the delimiter and skip the header', () => {
    const csv = tableStorageFormat('csv', [], { delimiter: ';' });
    expect(csv.serdeParameters['field.delim']).toBe(';');
    expect(csv.tableParameters['skip.header.line.count']).toBe('1');
  });

  test('Avro tables carry a nullable Avro schema with logical types', () => {
    const schema = avroSchema('t', [
      { name: 'at', type: 'timestamp' },
      { name: 'amount', type: 'decimal(18,2)' },
      { name: 'id', type: 'bigint' },
    ]);
    expect(schema.fields).toEqual([
      { name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }], default: null },
      { name: 'amount', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 2 }], default: null },
      { name: 'id', type: ['null', 'long'], default: null },
    ]);
    expect(tableStorageFormat('avro', [{ name: 'id', type: 'int' }]).serdeParameters['avro.schema.literal']).toContain('"name":"id"');
  });

  test.each(['json', 'csv', 'avro', 'parquet', 'orc'] as const)('has a SerDe for %s', (format) => {
    expect(tableStorageFormat(format, [{ name: 'id', type: 'int' }]).serializationLibrary).toMatch(/^org\./);
  });
});

describe('AWS ingestion support', () => {
  test('supports every kind, format and engine the schema allows', () => {
    for (const d of config.datasets) expect(awsIngestionProblems(d)).toEqual([]);
  });

  test('fails when a dataset has a format the AWS side cannot ingest, naming dataset, field, value and what is supported', () => {
    const crafted = { ...dataset('products'), format: 'xml' } as unknown as DatasetConfig;
    expect(() => requireAwsIngestionSupport(crafted)).toThrow(
      'dataset "products": format "xml" cannot be ingested on AWS; supported: json, csv, avro, parquet, orc',
    );
  });

  test('fails when a dataset has a source kind or engine the AWS side cannot ingest', () => {
    const kind = { ...dataset('products'), source: { kind: 'ftp' } } as unknown as DatasetConfig;
    expect(() => requireAwsIngestionSupport(kind)).toThrow(
      'dataset "products": source.kind "ftp" cannot be ingested on AWS; supported: database, api, files, stream',
    );
    const engine = { ...dataset('orders'), source: { ...dataset('orders').source, engine: 'db2' } } as unknown as DatasetConfig;
    expect(() => requireAwsIngestionSupport(engine)).toThrow('source.engine "db2" cannot be ingested on AWS; supported: postgres, mysql, sqlserver, oracle');
  });
});

describe('access plan', () => {
  test('owners own every layer; readers read their layers; bronze is owners only', () => {
    expect([...layerAccess(dataset('customers'), 'bronze')]).toEqual([['data-engineering', 'own']]);
    expect([...layerAccess(dataset('customers'), 'gold')]).toEqual([
      ['analysts', 'read'],
      ['data-science', 'read'],
      ['data-engineering', 'own'],
    ]);
    expect([...layerAccess(dataset('campaigns'), 'silver')]).toEqual([
      ['data-engineering', 'own'],
      ['marketing-analysts', 'own'],
    ]);
  });

  test('lists each group with the access values it needs and the databases it sees', () => {
    expect(groupAccess(config)).toEqual([
      { group: 'data-engineering', roleName: 'acme-data-engineering', reads: false, owns: true, layers: ['bronze', 'silver', 'gold'] },
      { group: 'analysts', roleName: 'acme-analysts', reads: true, owns: false, layers: ['silver', 'gold'] },
      { group: 'data-science', roleName: 'acme-data-science', reads: true, owns: false, layers: ['gold'] },
      { group: 'marketing-analysts', roleName: 'acme-marketing-analysts', reads: true, owns: true, layers: ['bronze', 'silver', 'gold'] },
    ]);
  });
});

describe('ingestionJobArguments', () => {
  test('parameterises a database source through its connection, bookmarking CDC by change sequence', () => {
    const args = ingestionJobArguments(dataset('orders'), target);
    expect(args).toMatchObject({
      '--dataset': 'orders',
      '--source_kind': 'database',
      '--engine': 'postgres',
      '--source_table': 'public.orders',
      '--connection_name': 'acme-dev-jdbc-sales-erp-replica',
      '--load': 'incremental',
      '--bookmark_keys': '_change_seq',
      '--target_prefix': 'sales/orders/',
      '--quarantine_prefix': '_quarantine/sales/orders/',
      '--partition_column': 'ingestion_date',
    });
    expect(JSON.parse(args['--columns'])[0]).toEqual({ name: 'order_id', type: 'bigint', nullable: false });
  });

  test('bookmarks a database source without CDC on its change-tracking column, never on its keys; a snapshot has no bookmark', () => {
    const orders = dataset('orders');
    const tracked = { ...orders, cdc: false, source: { ...orders.source, changeTrackingColumn: 'updated_at' } } as DatasetConfig;
    expect(ingestionJobArguments(tracked, target)).toMatchObject({ '--load': 'incremental', '--bookmark_keys': 'updated_at', '--cdc': 'false' });
    const snapshot = { ...orders, cdc: false, source: { ...orders.source, load: 'snapshot' } } as DatasetConfig;
    const args = ingestionJobArguments(snapshot, target);
    expect(args['--load']).toBe('snapshot');
    expect(args).not.toHaveProperty('--bookmark_keys');
  });

  test('fails when a database source without CDC has neither a change-tracking column nor a snapshot load', () => {
    const untracked = { ...dataset('orders'), cdc: false } as DatasetConfig;
    expect(() => ingestionJobArguments(untracked, target)).toThrow(
      'dataset "orders": a database source without cdc needs source.changeTrackingColumn or source.load: snapshot',
    );
  });

  test('passes API pagination and the auth secret by name, files their landing pattern and CSV options', () => {
    expect(ingestionJobArguments(dataset('campaigns'), target)).toMatchObject({
      '--pagination': 'cursor',
      '--api_auth_name': 'marketing/automation-api',
      '--base_url': 'https://api.marketing-suite.example.com',
    });
    expect(ingestionJobArguments(dataset('products'), target)).toMatchObject({
      '--landing_pattern': '_landing/incoming/products/*.csv',
      '--csv_header': 'true',
      '--csv_delimiter': ',',
    });
  });

  test('fails when a database source has no connection or the dataset is a stream', () => {
    expect(() => ingestionJobArguments(dataset('orders'), { ...target, connectionName: undefined })).toThrow('needs a Glue connection');
    expect(() => ingestionJobArguments(dataset('web_events'), target)).toThrow('landed by the streaming job');
  });
});
