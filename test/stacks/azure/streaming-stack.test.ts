import { Eventhub } from '@cdktf/provider-azurerm/lib/eventhub';
import { EventhubConsumerGroup } from '@cdktf/provider-azurerm/lib/eventhub-consumer-group';
import { EventhubNamespace } from '@cdktf/provider-azurerm/lib/eventhub-namespace';
import { EventhubNamespaceSchemaGroup } from '@cdktf/provider-azurerm/lib/eventhub-namespace-schema-group';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzureStreamingStack } from '../../../stacks/azure/streaming-stack';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';
import { environmentStacks } from '../../../lib/plan';

describe('AzureStreamingStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, synthStack(AzureStreamingStack, config, name)]));

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('locks the namespace down: no SAS keys, TLS 1.2, no public access', () => {
    expect(onlyResource(stacks.dev.json, EventhubNamespace.tfResourceType)).toMatchObject({
      name: expect.stringMatching(/^evhns-acme-dev-[0-9a-f]{4}$/),
      sku: 'Standard',
      capacity: 1,
      local_authentication_enabled: false,
      public_network_access_enabled: false,
      minimum_tls_version: '1.2',
      network_rulesets: [{ default_action: 'Deny', public_network_access_enabled: false, trusted_service_access_enabled: true }],
    });
    expect(onlyResource(stacks.prod.json, EventhubNamespace.tfResourceType).sku).toBe('Premium');
  });

  test('makes one event hub per stream dataset with its partitions and retention', () => {
    expect(onlyResource(stacks.dev.json, Eventhub.tfResourceType)).toMatchObject({
      name: 'web.clickstream.v1',
      partition_count: 12,
      retention_description: { cleanup_policy: 'Delete', retention_time_in_hours: 168 },
    });
    expect(onlyResource(stacks.dev.json, EventhubConsumerGroup.tfResourceType)).toMatchObject({
      name: 'databricks-bronze',
      eventhub_name: expect.stringContaining('azurerm_eventhub.'),
    });
  });

  test("keeps each domain's message schemas in an Avro schema group with the domain's compatibility, never destroyed in production", () => {
    expect(onlyResource(stacks.dev.json, EventhubNamespaceSchemaGroup.tfResourceType)).toMatchObject({
      name: 'marketing',
      namespace_id: expect.stringContaining('azurerm_eventhub_namespace.'),
      schema_type: 'Avro',
      schema_compatibility: 'Backward',
    });
    expect(onlyResource(stacks.prod.json, EventhubNamespaceSchemaGroup.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
  });

  test('makes one schema group per domain with streams, in the mode its streams share', () => {
    const grown = configWith((definition) => {
      const web = definition.datasets.find((dataset: any) => dataset.name === 'web_events');
      web.source.compatibility = 'FORWARD';
      definition.datasets.push(
        { ...web, name: 'app_events', source: { kind: 'stream', topic: 'app.events.v1', compatibility: 'FORWARD' } },
        { ...web, name: 'pos_events', domain: 'sales', source: { kind: 'stream', topic: 'pos.events.v1', compatibility: 'NONE' } },
      );
    });
    const groups = Object.values(resourcesOf(synthStack(AzureStreamingStack, grown, 'dev').json, EventhubNamespaceSchemaGroup.tfResourceType));
    expect(groups.map((group: any) => [group.name, group.schema_compatibility]).sort()).toEqual([
      ['marketing', 'Forward'],
      ['sales', 'None'],
    ]);
  });

  test('adds an event hub for a stream dataset added to the definition, without code changes', () => {
    const withAnother = configWith((definition) => {
      const web = definition.datasets.find((dataset: any) => dataset.name === 'web_events');
      definition.datasets.push({ ...web, name: 'app_events', source: { kind: 'stream', topic: 'app.events.v1' } });
    });
    const hubs = Object.values(resourcesOf(synthStack(AzureStreamingStack, withAnother, 'dev').json, Eventhub.tfResourceType));
    expect(hubs.map((hub: any) => [hub.name, hub.partition_count, hub.retention_description.retention_time_in_hours]).sort()).toEqual([
      ['app.events.v1', 4, 168],
      ['web.clickstream.v1', 12, 168],
    ]);
  });

  test('is reached over a private endpoint and logs to the workspace', () => {
    expect(onlyResource(stacks.dev.json, PrivateEndpoint.tfResourceType)).toMatchObject({
      private_service_connection: { subresource_names: ['namespace'] },
      private_dns_zone_group: { private_dns_zone_ids: [expect.stringMatching(/privatelink\.servicebus\.windows\.net$/)] },
    });
    expect(onlyResource(stacks.dev.json, MonitorDiagnosticSetting.tfResourceType).log_analytics_workspace_id).toMatch(/\/workspaces\/log-acme-dev$/);
  });

  test('lets the Databricks stream reader of the definition receive from the namespace, and only where it is named', () => {
    const assignments = Object.values<any>(resourcesOf(stacks.prod.json, RoleAssignment.tfResourceType));
    expect(assignments).toEqual([
      expect.objectContaining({
        role_definition_name: 'Azure Event Hubs Data Receiver',
        principal_id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
        scope: '${azurerm_eventhub_namespace.EventHubs_1568164C.id}',
      }),
    ]);
    expect(resourcesOf(stacks.staging.json, RoleAssignment.tfResourceType)).toEqual({});
  });

  test('prevents destroying the namespace and its event hubs in prod', () => {
    expect(onlyResource(stacks.prod.json, EventhubNamespace.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(stacks.prod.json, Eventhub.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(stacks.dev.json, EventhubNamespace.tfResourceType)).not.toHaveProperty('lifecycle');
  });

  test('is needed only when the definition has a stream dataset', () => {
    const noStreams = configWith((definition) => {
      definition.datasets = definition.datasets.filter((dataset: any) => dataset.source.kind !== 'stream');
    });
    expect(environmentStacks(config, environmentOf(config, 'dev')).map((stack) => stack.name)).toContain('acme-dev-azure-streaming');
    expect(environmentStacks(noStreams, environmentOf(noStreams, 'dev')).map((stack) => stack.name)).not.toContain('acme-dev-azure-streaming');
  });
});
