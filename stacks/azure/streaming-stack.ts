import type { Construct } from 'constructs';
import { StreamingNamespace } from '../../constructs/azure/streaming-namespace';
import { AzureConcernStack } from './azure-concern-stack';
import { type AzureSchemaCompatibility, Catalogue } from '../../lib/definition';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * The streams of one environment (`<prefix>-<env>-azure-streaming`): an Event Hubs namespace with one
 * event hub per `stream` dataset of the definition and an Avro schema group per domain with streams, reached over a private endpoint and logging to the
 * environment's workspace. A dataset added to the definition gets its event hub without code changes.
 */
export class AzureStreamingStack extends AzureConcernStack {
  readonly streaming: StreamingNamespace;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'streaming');
    const refs = this.references;
    const catalogue = Catalogue.of(props.config);
    // One schema group per domain with streams; validation holds the domain's streams to one mode Azure offers.
    const schemaGroups = catalogue.streamDomains().map((domain) => ({
      domain,
      compatibility: catalogue.streams().find((dataset) => dataset.domain === domain)?.source.compatibility as AzureSchemaCompatibility,
    }));
    const streams = catalogue.streams().map((dataset) => ({
      dataset: dataset.name,
      topic: dataset.source.topic,
      partitions: dataset.source.partitions,
      retentionHours: dataset.source.retentionHours,
    }));
    this.streaming = new StreamingNamespace(this, 'EventHubs', {
      resourceGroup: this.resourceGroup,
      name: refs.eventHubsNamespaceName,
      sku: this.azure.streaming.sku,
      capacity: this.azure.streaming.capacity,
      streams,
      schemaGroups,
      retainOnDelete: this.retainOnDelete,
    });
    this.streaming.addPrivateEndpoint({
      name: refs.privateEndpointName('evhns', 'namespace'),
      subnetId: refs.subnetId('private-endpoints'),
      privateDnsZoneId: refs.privateDnsZoneId('namespace'),
    });
    this.streaming.addDiagnostics(refs.logAnalyticsWorkspaceId);
    const reader = this.environment.clouds.includes('databricks') ? this.environment.databricks?.streamReaderObjectId : undefined;
    if (reader)
      this.streaming.grantReceive(
        'DatabricksStreamReader',
        reader,
        'Lets the Databricks stream pipelines read the event hubs over the Kafka endpoint, and nothing more',
      );
  }
}
