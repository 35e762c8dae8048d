import { streamCheckpointPrefix, streamJobArguments } from '../../lib/lake/stream-arguments';
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
    });
    expect(JSON.parse(args['--columns'])[0]).toEqual({ name: 'event_id', type: 'string', nullable: false });
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

  test('keeps checkpoints under the dataset prefix of _checkpoints/', () => {
    expect(streamCheckpointPrefix({ domain: 'marketing', name: 'web_events' })).toBe('_checkpoints/marketing/web_events/');
  });

  test('fails when the dataset is not a stream', () => {
    const orders = exampleConfig().datasets.find((dataset) => dataset.name === 'orders')!;
    expect(() => streamJobArguments(orders, target)).toThrow('dataset "orders": source.kind "database" is not a stream');
  });
});
