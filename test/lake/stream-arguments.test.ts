import { streamCheckpointPrefix, streamJobArguments, streamMessageAvroSchema } from '../../lib/lake/stream-arguments';
import { configWith, exampleConfig } from '../fixtures/platform';

const webEvents = () => exampleConfig().datasets.find((dataset) => dataset.name === 'web_events')!;
const target = {
  clusterArn: 'arn:aws:kafka:eu-west-1:111111111111:cluster/acme-dev-streaming/uuid',
  databaseName: 'acme_dev_bronze',
  bronzeBucketName: 'acme-dev-bronze-111111111111-eu-west-1',
};

describe('streamJobArguments', () => {
  test('passes the topic, its size, the declared schema and the bronze layout', () => {
    const args = streamJobArguments(webEvents(), target);
    expect(args).toMatchObject({
      '--topic': 'web.clickstream.v1',
      '--partitions': '12',
      '--retention_hours': '168',
      '--target_table': 'web_events',
      '--target_prefix': 'marketing/web_events/',
      '--quarantine_prefix': '_quarantine/marketing/web_events/',
      '--checkpoint_prefix': '_checkpoints/marketing/web_events/',
      '--partition_column': 'ingestion_date',
      '--source_description': 'kafka:web.clickstream.v1',
      '--metadata_columns': '_kafka_partition,_kafka_offset,_source,_batch_id,_ingested_at',
      '--starting_offsets': 'earliest',
      '--format': 'json',
      '--keys': 'event_id',
    });
    expect(JSON.parse(args['--columns'])[0]).toEqual({ name: 'event_id', type: 'string', nullable: false });
    expect(args['--message_schema']).toBeUndefined();
  });

  test('passes the Avro schema of the messages of an Avro stream', () => {
    const avro = { ...webEvents(), format: 'avro' as const };
    const args = streamJobArguments(avro, target);
    expect(args['--format']).toBe('avro');
    expect(JSON.parse(args['--message_schema'])).toEqual(streamMessageAvroSchema(avro));
  });

  test('fails when the dataset is a stream of a format the job cannot read', () => {
    expect(() => streamJobArguments({ ...webEvents(), format: 'csv' }, target)).toThrow(
      'dataset "web_events": format "csv" cannot be streamed into bronze on AWS; the Glue streaming job reads json, avro messages',
    );
  });

  test('uses the default partitions and retention when the source gives none', () => {
    const config = configWith((d) => {
      const source = d.datasets.find((dataset: { name: string }) => dataset.name === 'web_events').source;
      delete source.partitions;
      delete source.retentionHours;
    });
    const args = streamJobArguments(
      config.datasets.find((dataset) => dataset.name === 'web_events')!,
      target,
    );
    expect([args['--partitions'], args['--retention_hours']]).toEqual(['4', '168']);
  });

  test('the message schema holds the declared columns, and the change fields of a CDC stream, all nullable', () => {
    const schema = streamMessageAvroSchema({
      name: 'clicks',
      cdc: true,
      columns: [
        { name: 'id', type: 'bigint', nullable: false },
        { name: 'at', type: 'timestamp', nullable: true },
        { name: 'amount', type: 'decimal(18,2)', nullable: true },
      ] as never,
    });
    expect(schema).toEqual({
      type: 'record',
      name: 'clicks',
      fields: [
        { name: 'id', type: ['null', 'long'], default: null },
        { name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }], default: null },
        { name: 'amount', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 2 }], default: null },
        { name: '_op', type: ['null', 'string'], default: null },
        { name: '_change_seq', type: ['null', 'long'], default: null },
      ],
    });
  });

  test('keeps checkpoints under the dataset prefix of _checkpoints/', () => {
    expect(streamCheckpointPrefix({ domain: 'marketing', name: 'web_events' })).toBe('_checkpoints/marketing/web_events/');
  });

  test('fails when the dataset is not a stream', () => {
    const orders = exampleConfig().datasets.find((dataset) => dataset.name === 'orders')!;
    expect(() => streamJobArguments(orders, target)).toThrow('dataset "orders": source.kind "database" is not a stream');
  });
});
