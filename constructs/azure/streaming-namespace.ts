import { Eventhub } from '@cdktf/provider-azurerm/lib/eventhub';
import { EventhubConsumerGroup } from '@cdktf/provider-azurerm/lib/eventhub-consumer-group';
import { EventhubNamespace } from '@cdktf/provider-azurerm/lib/eventhub-namespace';
import { EventhubNamespaceSchemaGroup } from '@cdktf/provider-azurerm/lib/eventhub-namespace-schema-group';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_SCHEMA_COMPATIBILITIES, type AzureSchemaCompatibility, type EventHubsSku, EVENT_HUBS_SKUS } from '../../lib/definition';
import { eventHubName, eventHubsSchemaGroupName } from '../../lib/naming';
import { DiagnosticSettings } from './diagnostic-settings';
import { ServicePrivateEndpoint, type ServicePrivateEndpointProps } from './service-private-endpoint';

/** One stream the namespace carries: an event hub that Kafka clients see as a topic. */
export interface StreamProps {
  /** The dataset the stream feeds, for messages. */
  readonly dataset: string;
  /** Kafka topic, which names the event hub. */
  readonly topic: string;
  readonly partitions: number;
  readonly retentionHours: number;
}

/** A schema group of the namespace's schema registry: the Avro message schemas of one domain's streams. */
export interface SchemaGroupProps {
  /** The domain, which names the group (see `eventHubsSchemaGroupName`). */
  readonly domain: string;
  /** How the registry checks each new schema version against the registered ones, for every schema of the group. */
  readonly compatibility: AzureSchemaCompatibility;
}

/** Terraform's words for the compatibility modes a schema group offers. */
const SCHEMA_GROUP_COMPATIBILITY: Readonly<Record<AzureSchemaCompatibility, string>> = { NONE: 'None', BACKWARD: 'Backward', FORWARD: 'Forward' };

export interface StreamingNamespaceProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique namespace name (see `eventHubsNamespaceName`). */
  readonly name: string;
  /**
   * Tier; both expose the Kafka endpoint (port 9093). Premium allows longer retention and more partitions.
   * @default 'Standard'
   */
  readonly sku?: EventHubsSku;
  /**
   * Throughput units (Standard) or processing units (Premium).
   * @default 1
   */
  readonly capacity?: number;
  /** The streams, one event hub each. */
  readonly streams: readonly StreamProps[];
  /**
   * Schema groups of the namespace's schema registry, one per domain with streams (Avro).
   * @default - none
   */
  readonly schemaGroups?: readonly SchemaGroupProps[];
  /**
   * Consumer groups on every event hub, one per reading pipeline.
   * @default ['databricks-bronze']
   */
  readonly consumerGroups?: readonly string[];
  /**
   * Whether Terraform refuses to destroy the namespace and its event hubs (`prevent_destroy`).
   * @default false
   */
  readonly retainOnDelete?: boolean;
}

const LIMITS: Record<EventHubsSku, { partitions: number; retentionHours: number; capacity: number }> = {
  Standard: { partitions: 32, retentionHours: 168, capacity: 40 },
  Premium: { partitions: 100, retentionHours: 2160, capacity: 16 },
};

/**
 * An Event Hubs namespace for the platform's streams, reached by Kafka clients with Entra ID (OAuth)
 * only: no SAS keys, TLS 1.2, no public network access (private endpoint), and one event hub per
 * stream with the partitions and retention of its dataset, plus a consumer group per reading pipeline.
 */
export class StreamingNamespace extends Construct {
  readonly namespace: EventhubNamespace;
  private readonly hubs: ReadonlyMap<string, Eventhub>;
  private readonly groups: ReadonlyMap<string, EventhubNamespaceSchemaGroup>;

  constructor(scope: Construct, id: string, props: StreamingNamespaceProps) {
    super(scope, id);
    const sku = props.sku ?? 'Standard';
    const capacity = props.capacity ?? 1;
    const consumerGroups = props.consumerGroups ?? ['databricks-bronze'];
    validate(props, sku, capacity);
    const lifecycle: TerraformResourceLifecycle | undefined = props.retainOnDelete ? { preventDestroy: true } : undefined;

    this.namespace = new EventhubNamespace(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      sku,
      capacity,
      localAuthenticationEnabled: false,
      publicNetworkAccessEnabled: false,
      minimumTlsVersion: '1.2',
      networkRulesets: [{ defaultAction: 'Deny', publicNetworkAccessEnabled: false, trustedServiceAccessEnabled: true }],
      lifecycle,
    });
    this.hubs = new Map(
      props.streams.map((stream) => {
        const hub = new Eventhub(this, stream.dataset, {
          name: eventHubName(stream.topic),
          namespaceId: this.namespace.id,
          partitionCount: stream.partitions,
          retentionDescription: { cleanupPolicy: 'Delete', retentionTimeInHours: stream.retentionHours },
          lifecycle,
        });
        for (const group of consumerGroups) {
          new EventhubConsumerGroup(this, `${stream.dataset}-${group}`, {
            name: group,
            namespaceName: this.namespace.name,
            eventhubName: hub.name,
            resourceGroupName: props.resourceGroup.name,
          });
        }
        return [stream.dataset, hub] as const;
      }),
    );
    this.groups = new Map(
      (props.schemaGroups ?? []).map((group) => {
        // `schema-group-<domain>`: a contract, so a group (and the schemas producers registered in it) keeps its address.
        const resource = new EventhubNamespaceSchemaGroup(this, `schema-group-${group.domain}`, {
          name: eventHubsSchemaGroupName(group.domain),
          namespaceId: this.namespace.id,
          schemaType: 'Avro',
          schemaCompatibility: SCHEMA_GROUP_COMPATIBILITY[group.compatibility],
          lifecycle,
        });
        return [group.domain, resource] as const;
      }),
    );
  }

  /** The schema group of a domain; throws when the namespace has none for it. */
  schemaGroupFor(domain: string): EventhubNamespaceSchemaGroup {
    const group = this.groups.get(domain);
    if (!group)
      throw new Error(`schemaGroupFor: domain "${domain}" has no schema group in this namespace; groups: ${[...this.groups.keys()].join(', ') || '(none)'}`);
    return group;
  }

  /** The event hub of a dataset; throws when the namespace carries no stream for it. */
  eventHubFor(dataset: string): Eventhub {
    const hub = this.hubs.get(dataset);
    if (!hub) throw new Error(`eventHubFor: dataset "${dataset}" has no event hub in this namespace; streams: ${[...this.hubs.keys()].join(', ') || '(none)'}`);
    return hub;
  }

  /**
   * Lets a principal read every event hub of the namespace (Azure Event Hubs Data Receiver), e.g. the
   * application Databricks pipelines sign in to the Kafka endpoint as; nothing else.
   */
  grantReceive(id: string, principalId: string, description: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope: this.namespace.id,
      roleDefinitionName: 'Azure Event Hubs Data Receiver',
      principalId,
      principalType: 'ServicePrincipal',
      description,
    });
  }

  /** A private endpoint for the namespace (Kafka, AMQP and HTTPS all use it). */
  addPrivateEndpoint(options: Pick<ServicePrivateEndpointProps, 'name' | 'subnetId' | 'privateDnsZoneId'>): ServicePrivateEndpoint {
    return new ServicePrivateEndpoint(this, 'namespace-endpoint', {
      ...options,
      resourceGroupName: this.namespace.resourceGroupName,
      location: this.namespace.location,
      targetResourceId: this.namespace.id,
      subresource: 'namespace',
    });
  }

  /** Sends the namespace's logs and metrics to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): DiagnosticSettings {
    return new DiagnosticSettings(this, 'Diagnostics', { targetResourceId: this.namespace.id, logAnalyticsWorkspaceId });
  }
}

function validate(props: StreamingNamespaceProps, sku: EventHubsSku, capacity: number): void {
  const problems: string[] = [];
  if (!(EVENT_HUBS_SKUS as readonly string[]).includes(sku)) problems.push(`sku ("${sku}") must be one of: ${EVENT_HUBS_SKUS.join(', ')}`);
  const limits = LIMITS[sku] ?? LIMITS.Standard;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > limits.capacity)
    problems.push(`capacity (${capacity}) must be a whole number from 1 to ${limits.capacity} on ${sku}`);
  const seen = new Set<string>();
  for (const stream of props.streams) {
    const at = `streams[dataset ${stream.dataset}]`;
    if (seen.has(stream.topic)) problems.push(`${at}.topic ("${stream.topic}") is already used by another stream; each dataset needs its own topic`);
    seen.add(stream.topic);
    if (!Number.isInteger(stream.partitions) || stream.partitions < 1 || stream.partitions > limits.partitions) {
      problems.push(`${at}.partitions (${stream.partitions}) must be a whole number from 1 to ${limits.partitions} on Event Hubs ${sku}`);
    }
    if (!Number.isInteger(stream.retentionHours) || stream.retentionHours < 1 || stream.retentionHours > limits.retentionHours) {
      problems.push(`${at}.retentionHours (${stream.retentionHours}) must be a whole number from 1 to ${limits.retentionHours} on Event Hubs ${sku}`);
    }
  }
  const domains = new Set<string>();
  for (const group of props.schemaGroups ?? []) {
    if (domains.has(group.domain)) problems.push(`schemaGroups has domain "${group.domain}" more than once; a domain has one schema group`);
    domains.add(group.domain);
    if (!(AZURE_SCHEMA_COMPATIBILITIES as readonly string[]).includes(group.compatibility)) {
      problems.push(
        `schemaGroups[domain ${group.domain}].compatibility ("${group.compatibility}") is not offered by Event Hubs schema groups; ` +
          `allowed: ${AZURE_SCHEMA_COMPATIBILITIES.join(', ')}`,
      );
    }
  }
  if (problems.length > 0) throw new Error(`StreamingNamespace: ${problems.join('; ')}`);
}
