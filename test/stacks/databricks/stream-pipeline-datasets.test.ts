import { streamPipelineDatasetOf } from '../../../stacks/databricks/stream-pipeline-datasets';
import { exampleConfig } from '../../fixtures/platform';

describe('streamPipelineDatasetOf', () => {
  test('fails when given a batch dataset, naming it', () => {
    const orders = exampleConfig().datasets.find((dataset) => dataset.name === 'orders')!;
    expect(() => streamPipelineDatasetOf(orders)).toThrow(
      'StreamPipeline: dataset "orders" has a database source; a Delta Live Tables stream pipeline reads stream datasets only',
    );
  });

  test('takes the topic, columns, keys and quality rules of a stream dataset', () => {
    const events = exampleConfig().datasets.find((dataset) => dataset.source.kind === 'stream')!;
    const spec = streamPipelineDatasetOf(events);
    expect(spec).toEqual(
      expect.objectContaining({ name: events.name, topic: (events.source as { topic: string }).topic, keys: events.keys, quality: events.quality }),
    );
    // A JSON stream has no message schema to decode with.
    expect(spec.messageSchema).toBeUndefined();
  });

  test('an Avro stream decodes with the latest registered version of its message schema', () => {
    const events = { ...exampleConfig().datasets.find((dataset) => dataset.source.kind === 'stream')!, format: 'avro' as const };
    const versions = [
      { version: 1, file: 'schema/streams/marketing/web_events/v1.avsc', definition: '{"type":"record","name":"web_events","fields":[]}' },
      {
        version: 2,
        file: 'schema/streams/marketing/web_events/v2.avsc',
        definition: '{"type":"record","name":"web_events","fields":[{"name":"x","type":"int"}]}',
      },
    ];
    expect(streamPipelineDatasetOf(events, versions).messageSchema).toBe(versions[1].definition);
  });
});
