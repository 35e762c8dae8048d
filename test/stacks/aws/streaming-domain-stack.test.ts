import { Match, Template } from 'aws-cdk-lib/assertions';
import { StreamingDomainStack } from '../../../stacks/aws/streaming-domain-stack';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { allPolicyStatements } from '../../fixtures/lake-stacks';
import { configWith, exampleConfig } from '../../fixtures/platform';
import { pipelineStacksOf } from './pipeline-stacks-fixture';

const config = exampleConfig();
/** Streams in one domain for the size check: as many as one shard of the domain's stacks holds, about. */
const STREAMS_IN_ONE_STACK = 60;

function domainStacks(environment: string, definition = config): readonly StreamingDomainStack[] {
  return pipelineStacksOf(definition, environment).streamingDomains;
}

function domainStack(environment: string, domain = 'marketing', definition = config): StreamingDomainStack {
  const stack = domainStacks(environment, definition).find((candidate) => candidate.domain === domain);
  if (!stack) throw new Error(`expected a streaming stack for domain ${domain}`);
  return stack;
}

const webEvents = (d: Record<string, any>) => d.datasets.find((dataset: { name: string }) => dataset.name === 'web_events');
const streamingOutput = (environment: string) => ({ 'Fn::GetStackOutput': Match.objectLike({ StackName: `acme-${environment}-streaming` }) });

describe('StreamingDomainStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(domainStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-streaming-<domain>, exists only for domains with stream datasets and deploys after the streaming stack', () => {
    const stacks = pipelineStacksOf(config, 'prod');
    expect(stacks.streamingDomains.map((stack) => stack.stackName)).toEqual(['acme-prod-streaming-marketing']);
    expect(stacks.streamingDomains[0].dependencies).toContain(stacks.streaming);
  });

  test('lands each stream dataset with a Glue 4.0 streaming job: security configuration, continuous logs, checkpoint, kept running', () => {
    const template = Template.fromStack(domainStack('prod'));
    template.hasResourceProperties('AWS::Glue::Job', {
      Name: 'acme-prod-stream-web_events',
      Command: { Name: 'gluestreaming', PythonVersion: '3' },
      GlueVersion: '4.0',
      SecurityConfiguration: 'acme-prod-glue',
      Connections: { Connections: ['acme-prod-streaming-network'] },
      MaxRetries: 3,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      DefaultArguments: Match.objectLike({
        '--enable-continuous-cloudwatch-log': 'true',
        '--continuous-log-logGroup': streamingOutput('prod'),
        '--topic': 'web.clickstream.v1',
        '--partitions': '12',
        '--retention_hours': '168',
        '--target_prefix': 'marketing/web_events/',
        '--checkpoint_prefix': '_checkpoints/marketing/web_events/',
        '--metadata_columns': '_kafka_partition,_kafka_offset,_source,_batch_id,_ingested_at',
        '--cluster_arn': streamingOutput('prod'),
      }),
    });
    template.hasResourceProperties('AWS::Glue::Trigger', { Type: 'SCHEDULED', StartOnCreation: true, Actions: [{ JobName: Match.anyValue() }] });
    template.resourceCountIs('AWS::Glue::Connection', 0);
    template.resourceCountIs('AWS::MSK::ServerlessCluster', 0);
  });

  test('scopes the job role to its topics, its consumer groups on the cluster, its bronze prefixes and names every action', () => {
    const template = Template.fromStack(domainStack('dev'));
    const statements = allPolicyStatements(template);
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(bySid.ConnectToCluster.Resource).toMatchObject({ 'Fn::GetStackOutput': { StackName: 'acme-dev-streaming' } });
    expect(bySid.FindBootstrapServers.Resource).toEqual(bySid.ConnectToCluster.Resource);
    expect(bySid.ReadOwnTopics.Action).toEqual(['kafka-cluster:CreateTopic', 'kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData']);
    expect(bySid.ReadOwnTopics.Resource).toMatch(/^arn:aws:kafka:eu-west-1:\d{12}:topic\/acme-dev-streaming\/\*\/web\.clickstream\.v1$/);
    expect(bySid.UseOwnConsumerGroups.Resource).toMatch(/^arn:aws:kafka:eu-west-1:\d{12}:group\/acme-dev-streaming\/\*\/acme-dev-stream-web_events-\*$/);
    // The domain's prefixes, one grant each however many streams the domain has.
    const bucket = 'arn:aws:s3:::acme-dev-bronze-111111111111-eu-west-1';
    expect([...bySid.WriteOwnBronzePrefixes.Resource].sort()).toEqual(
      [`${bucket}/marketing/*`, `${bucket}/_quarantine/marketing/*`, `${bucket}/_checkpoints/marketing/*`].sort(),
    );
    expect(bySid.WriteOwnBronzePrefixes.Action).not.toContain('s3:DeleteObject');
    expect(bySid.CleanUpWriterScratch.Resource).toContain(`${bucket}/_checkpoints/marketing/*`);
    expect(bySid.CleanUpWriterScratch.Resource).not.toContain(`${bucket}/marketing/*`);
    // Bronze tables by IAM; the Lake Formation grant by the domain tag keeps the role to the domain's own.
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { LFTagPolicy: { ResourceType: 'TABLE', Expression: [{ TagKey: 'acme_dev_domain', TagValues: ['marketing'] }] } },
    });
    expect(JSON.stringify(bySid.WriteContinuousLogs.Resource)).toContain('acme-dev-streaming');
    for (const statement of statements) for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
  });

  test('adding a stream dataset adds its streaming job and its topic to its domain stack', () => {
    const grown = configWith((d) => d.datasets.push({ ...webEvents(d), name: 'app_events', source: { kind: 'stream', topic: 'app.events.v1' } }));
    const template = Template.fromStack(domainStack('dev', 'marketing', grown));
    template.hasResourceProperties('AWS::Glue::Job', {
      Name: 'acme-dev-stream-app_events',
      DefaultArguments: Match.objectLike({ '--topic': 'app.events.v1', '--partitions': '4' }),
    });
    expect(Object.keys(template.findResources('AWS::Glue::Job'))).toHaveLength(2);
    const topics = allPolicyStatements(template).find((statement) => statement.Sid === 'ReadOwnTopics');
    expect(JSON.stringify(topics?.Resource)).toContain('/app.events.v1');
  });

  describe('message schemas in Glue Schema Registry', () => {
    const v1 = config.streamSchemas.web_events[0];
    const v2Json = JSON.parse(v1.definition) as { fields: unknown[] };
    const withVersions = (count: number) => {
      const versions = Array.from({ length: count }, (_, index) => {
        const fields = [
          ...v2Json.fields,
          ...Array.from({ length: index }, (__, extra) => ({ name: `added_${extra + 2}`, type: ['null', 'string'], default: null })),
        ];
        return { version: index + 1, file: `schema/streams/marketing/web_events/v${index + 1}.avsc`, definition: JSON.stringify({ ...v2Json, fields }) };
      });
      return { ...config, streamSchemas: { ...config.streamSchemas, web_events: versions } };
    };

    test('registers version 1 as the schema, named after the topic, in the environment registry, with the dataset’s compatibility', () => {
      const template = Template.fromStack(domainStack('prod'));
      template.hasResource('AWS::Glue::Schema', {
        Properties: {
          Name: 'web.clickstream.v1',
          Registry: { Name: 'acme-prod-streams' },
          DataFormat: 'AVRO',
          Compatibility: 'BACKWARD',
          SchemaDefinition: v1.definition,
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.resourceCountIs('AWS::Glue::SchemaVersion', 0);
    });

    test('appends each later version as its own SchemaVersion, each registered after the one before, and the job after the last', () => {
      const template = Template.fromStack(domainStack('dev', 'marketing', withVersions(3)));
      const schemas = template.findResources('AWS::Glue::Schema');
      const [schemaId] = Object.keys(schemas);
      expect(JSON.parse(schemas[schemaId].Properties.SchemaDefinition).fields).toHaveLength(7);
      const versions = template.findResources('AWS::Glue::SchemaVersion');
      const ids = Object.keys(versions).sort();
      expect(ids).toEqual([expect.stringMatching(/^webeventsSchemaVersion2/), expect.stringMatching(/^webeventsSchemaVersion3/)]);
      expect(versions[ids[0]]).toMatchObject({ Properties: { Schema: { SchemaArn: { 'Fn::GetAtt': [schemaId, 'Arn'] } } }, DependsOn: [schemaId] });
      expect(versions[ids[1]].DependsOn).toEqual([ids[0]]);
      expect(JSON.parse(versions[ids[1]].Properties.SchemaDefinition).fields.map((field: { name: string }) => field.name)).toContain('added_3');
      const [jobId] = Object.keys(template.findResources('AWS::Glue::Job'));
      const job = template.toJSON().Resources[jobId];
      expect(job.DependsOn).toEqual(expect.arrayContaining([schemaId, ...ids]));
      expect(job.Properties.DefaultArguments).toMatchObject({
        '--schema_registry': 'acme-dev-streams',
        '--schema_name': 'web.clickstream.v1',
        '--schema_version': '3',
      });
    });

    test('a new version leaves the logical ids and definitions of the registered ones unchanged', () => {
      const before = Template.fromStack(domainStack('dev', 'marketing', withVersions(2))).toJSON().Resources;
      const after = Template.fromStack(domainStack('dev', 'marketing', withVersions(3))).toJSON().Resources;
      for (const [id, resource] of Object.entries<{ Type: string; Properties: unknown }>(before)) {
        if (resource.Type === 'AWS::Glue::Schema' || resource.Type === 'AWS::Glue::SchemaVersion') expect(after[id].Properties).toEqual(resource.Properties);
      }
    });

    test('lets the domain role read its own schemas and their registry, by ARN, and nothing else of Glue Schema Registry', () => {
      const template = Template.fromStack(domainStack('prod'));
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'ReadOwnMessageSchemas',
              Effect: 'Allow',
              Action: ['glue:GetRegistry', 'glue:GetSchema', 'glue:GetSchemaByDefinition', 'glue:GetSchemaVersion', 'glue:ListSchemaVersions'],
              Resource: [
                'arn:aws:glue:eu-west-1:333333333333:registry/acme-prod-streams',
                'arn:aws:glue:eu-west-1:333333333333:schema/acme-prod-streams/web.clickstream.v1',
              ],
            },
          ]),
        },
      });
    });

    test('an Avro stream decodes with the registered definition of its latest version', () => {
      const avro = configWith((d) => {
        webEvents(d).format = 'avro';
      });
      const template = Template.fromStack(domainStack('dev', 'marketing', avro));
      const [job] = Object.values(template.findResources('AWS::Glue::Job'));
      expect(job.Properties.DefaultArguments['--message_schema']).toBe(avro.streamSchemas.web_events[0].definition);
    });
  });

  test("a stream dataset of another domain gets that domain's stack and leaves this one unchanged", () => {
    const grown = configWith((d) =>
      d.datasets.push({ ...webEvents(d), name: 'pos_events', domain: 'sales', source: { kind: 'stream', topic: 'pos.events.v1' } }),
    );
    expect(domainStacks('dev', grown).map((stack) => stack.stackName)).toEqual(['acme-dev-streaming-marketing', 'acme-dev-streaming-sales']);
    expect(normalizedTemplate(domainStack('dev', 'marketing', grown))).toEqual(normalizedTemplate(domainStack('dev')));
    const sales = Template.fromStack(domainStack('dev', 'sales', grown));
    sales.resourceCountIs('AWS::Glue::Job', 1);
    sales.hasResourceProperties('AWS::Glue::Job', { Name: 'acme-dev-stream-pos_events' });
    sales.resourceCountIs('AWS::IAM::Role', 1);
  });

  test(`a domain of ${STREAMS_IN_ONE_STACK} streams stays far below 500 resources`, () => {
    const full = configWith((d) => {
      const others = d.datasets.filter((dataset: { domain: string }) => dataset.domain !== 'marketing');
      const streams = Array.from({ length: STREAMS_IN_ONE_STACK }, (_, i) => ({
        ...webEvents(d),
        name: `events_${i}`,
        source: { kind: 'stream', topic: `events.${i}` },
      }));
      d.datasets = [...others, ...streams];
      // A Standard Event Hubs namespace holds 10 hubs (a hub per stream): the Azure environments need Premium.
      for (const env of Object.values<any>(d.environments)) if (env.azure) env.azure.streaming = { sku: 'Premium', capacity: 1 };
    });
    const resources = Object.values<{ Type: string }>(Template.fromStack(domainStack('dev', 'marketing', full)).toJSON().Resources);
    // Three per stream (job, trigger, message schema; one more per later schema version), four per domain
    // (role, policy, two Lake Formation grants) and the few managed policies of the streams' topics, groups and schemas.
    const managedPolicies = resources.filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy').length;
    expect(managedPolicies).toBeLessThanOrEqual(4);
    expect(resources.length - managedPolicies).toBeLessThanOrEqual(3 * STREAMS_IN_ONE_STACK + 4);
  });

  test('fails when the domain has no stream dataset, naming the domains that have', () => {
    const app = testApp();
    const { streaming } = pipelineStacksOf(config, 'dev', app);
    if (!streaming) throw new Error('expected a streaming stack');
    // The check comes first: the key is never used.
    const props = { config, environment: streaming.platformEnvironment, domain: 'sales', streaming, encryptionKey: undefined as never };
    expect(() => new StreamingDomainStack(app, props)).toThrow('domain "sales" has no stream datasets; domains with streams: marketing');
  });
});
