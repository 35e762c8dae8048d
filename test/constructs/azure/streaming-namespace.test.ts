import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { type StreamingNamespaceProps, StreamingNamespace } from '../../../constructs/azure/streaming-namespace';
import { resourcesOf, synthesize } from '../../fixtures/terraform-json';

const clicks = { dataset: 'clicks', topic: 'web.clicks', partitions: 4, retentionHours: 24 };

function namespaceStack(props: Partial<StreamingNamespaceProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-streaming', location: 'westeurope' });
  const namespace = new StreamingNamespace(stack, 'EventHubs', { resourceGroup, name: 'evhns-test-1234', streams: [clicks], ...props });
  return { stack, namespace };
}

describe('StreamingNamespace', () => {
  test('adds a consumer group per reading pipeline on every event hub', () => {
    const { stack, namespace } = namespaceStack({ consumerGroups: ['databricks-bronze', 'synapse'] });
    expect(
      Object.values(resourcesOf(synthesize(stack), 'azurerm_eventhub_consumer_group'))
        .map((group: any) => group.name)
        .sort(),
    ).toEqual(['databricks-bronze', 'synapse']);
    expect(namespace.eventHubFor('clicks').nameInput).toBe('web.clicks');
    expect(() => namespace.eventHubFor('orders')).toThrow('eventHubFor: dataset "orders" has no event hub in this namespace; streams: clicks');
  });

  test('fails when a stream has more partitions or retention than the tier allows, naming the dataset', () => {
    expect(() => namespaceStack({ streams: [{ ...clicks, partitions: 40 }] })).toThrow(
      'streams[dataset clicks].partitions (40) must be a whole number from 1 to 32 on Event Hubs Standard',
    );
    expect(() => namespaceStack({ streams: [{ ...clicks, retentionHours: 200 }] })).toThrow(
      'streams[dataset clicks].retentionHours (200) must be a whole number from 1 to 168 on Event Hubs Standard',
    );
    expect(() => namespaceStack({ sku: 'Premium', streams: [{ ...clicks, partitions: 40, retentionHours: 200 }] })).not.toThrow();
  });

  test('fails when two datasets share a topic', () => {
    expect(() => namespaceStack({ streams: [clicks, { ...clicks, dataset: 'clicks_copy' }] })).toThrow(
      'streams[dataset clicks_copy].topic ("web.clicks") is already used by another stream',
    );
  });

  test('adds an Avro schema group per domain, found by domain', () => {
    const { stack, namespace } = namespaceStack({ schemaGroups: [{ domain: 'marketing', compatibility: 'FORWARD' }] });
    expect(Object.values(resourcesOf(synthesize(stack), 'azurerm_eventhub_namespace_schema_group'))).toEqual([
      expect.objectContaining({ name: 'marketing', schema_type: 'Avro', schema_compatibility: 'Forward' }),
    ]);
    expect(namespace.schemaGroupFor('marketing').nameInput).toBe('marketing');
    expect(() => namespace.schemaGroupFor('sales')).toThrow('schemaGroupFor: domain "sales" has no schema group in this namespace; groups: marketing');
  });

  test('fails when a schema group asks for a mode Event Hubs does not offer, naming the domain and the allowed modes', () => {
    expect(() => namespaceStack({ schemaGroups: [{ domain: 'marketing', compatibility: 'FULL' as never }] })).toThrow(
      'schemaGroups[domain marketing].compatibility ("FULL") is not offered by Event Hubs schema groups; allowed: NONE, BACKWARD, FORWARD',
    );
    expect(() =>
      namespaceStack({
        schemaGroups: [
          { domain: 'marketing', compatibility: 'NONE' },
          { domain: 'marketing', compatibility: 'NONE' },
        ],
      }),
    ).toThrow('schemaGroups has domain "marketing" more than once');
  });

  test('fails when capacity is outside the tier', () => {
    expect(() => namespaceStack({ capacity: 0 })).toThrow('capacity (0) must be a whole number from 1 to 40 on Standard');
  });
});
