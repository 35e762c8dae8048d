import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GLUE_STREAM_SCRIPT_PATH } from '../../../constructs/aws/dataset-streaming-job';
import type { StreamingStack } from '../../../stacks/aws/streaming-stack';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { configWith, exampleConfig } from '../../fixtures/platform';
import { pipelineStacksOf } from './pipeline-stacks-fixture';

const config = exampleConfig();

function streamingStack(environment: string, definition = config): StreamingStack {
  const stack = pipelineStacksOf(definition, environment).streaming;
  if (!stack) throw new Error('expected a streaming stack');
  return stack;
}

const webEvents = (d: Record<string, any>) => d.datasets.find((dataset: { name: string }) => dataset.name === 'web_events');

describe('StreamingStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(streamingStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-streaming and exists only with stream datasets', () => {
    expect(streamingStack('prod').stackName).toBe('acme-prod-streaming');
    const noStreams = configWith((d) => (d.datasets = d.datasets.filter((dataset: { source: { kind: string } }) => dataset.source.kind !== 'stream')));
    expect(pipelineStacksOf(noStreams, 'dev').streaming).toBeUndefined();
  });

  test('runs MSK Serverless with IAM authentication only, in the isolated subnets', () => {
    const template = Template.fromStack(streamingStack('prod'));
    template.hasResourceProperties('AWS::MSK::ServerlessCluster', {
      ClusterName: 'acme-prod-streaming',
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
      VpcConfigs: [{ SubnetIds: Match.arrayWith([{ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-network' }) }]), SecurityGroups: [Match.anyValue()] }],
    });
  });

  test('admits only the streaming jobs, on 9098 only', () => {
    const template = Template.fromStack(streamingStack('dev'));
    const cluster = Object.values<any>(template.findResources('AWS::MSK::ServerlessCluster'))[0];
    const clusterGroup = cluster.Properties.VpcConfigs[0].SecurityGroups[0]['Fn::GetAtt'][0];
    const ingress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === clusterGroup);
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({ FromPort: 9098, ToPort: 9098, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^JobSecurityGroup/), 'GroupId'] } });
    const groups = Object.entries<any>(template.findResources('AWS::EC2::SecurityGroup'));
    expect(groups.find(([id]) => id === clusterGroup)?.[1].Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('lands each stream dataset with a Glue 4.0 streaming job: security configuration, continuous logs, checkpoint, kept running', () => {
    const template = Template.fromStack(streamingStack('prod'));
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
        '--topic': 'web.clickstream.v1',
        '--partitions': '12',
        '--retention_hours': '168',
        '--target_prefix': 'marketing/web_events/',
        '--checkpoint_prefix': '_checkpoints/marketing/web_events/',
        '--metadata_columns': '_kafka_partition,_kafka_offset,_source,_batch_id,_ingested_at',
        '--cluster_arn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'Arn'] },
      }),
    });
    template.hasResourceProperties('AWS::Glue::Trigger', { Type: 'SCHEDULED', StartOnCreation: true, Actions: [{ JobName: Match.anyValue() }] });
    template.hasResourceProperties('AWS::Glue::Connection', { ConnectionInput: Match.objectLike({ ConnectionType: 'NETWORK', Name: 'acme-prod-streaming-network' }) });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-storage' }) } });
  });

  test('scopes the job role to its topics, its consumer groups, its bronze prefixes and names every action', () => {
    const template = Template.fromStack(streamingStack('dev'));
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(bySid.ConnectToCluster.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] });
    expect(bySid.ReadOwnTopics.Action).toEqual(['kafka-cluster:CreateTopic', 'kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData']);
    expect(JSON.stringify(bySid.ReadOwnTopics.Resource)).toContain(':topic/acme-dev-streaming/');
    expect(JSON.stringify(bySid.ReadOwnTopics.Resource)).toContain('/web.clickstream.v1');
    expect(JSON.stringify(bySid.UseOwnConsumerGroups.Resource)).toContain('/acme-dev-stream-web_events*');
    expect(bySid.WriteOwnBronzePrefixes.Resource).toEqual(expect.arrayContaining([expect.stringContaining('/marketing/web_events/*'), expect.stringContaining('/_checkpoints/marketing/web_events/*')]));
    for (const statement of statements) for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
  });

  test('adding a stream dataset adds its streaming job and its topic to the role', () => {
    const grown = configWith((d) => d.datasets.push({ ...webEvents(d), name: 'app_events', source: { kind: 'stream', topic: 'app.events.v1' } }));
    const template = Template.fromStack(streamingStack('dev', grown));
    template.hasResourceProperties('AWS::Glue::Job', { Name: 'acme-dev-stream-app_events', DefaultArguments: Match.objectLike({ '--topic': 'app.events.v1', '--partitions': '4' }) });
    expect(Object.keys(template.findResources('AWS::Glue::Job'))).toHaveLength(2);
  });

  test('fails at synth when a stream dataset is Avro, naming the dataset', () => {
    // Validation rejects this definition already; a configuration built some other way fails at synth.
    const avro = { ...config, datasets: config.datasets.map((dataset) => (dataset.name === 'web_events' ? { ...dataset, format: 'avro' as const } : dataset)) };
    expect(() => streamingStack('dev', avro)).toThrow('dataset "web_events": format "avro" cannot be streamed into bronze on AWS; the Glue streaming job reads json messages');
  });
});

describe('the streaming script', () => {
  test('compiles and its pure helpers pass their unit tests', () => {
    execFileSync('python3', ['-m', 'py_compile', GLUE_STREAM_SCRIPT_PATH]);
    const result = execFileSync('python3', [join(__dirname, '..', '..', 'constructs', 'aws', 'jobs', 'test_glue_stream.py')], { encoding: 'utf8', stdio: 'pipe' });
    expect(result).toBe('');
  });
});
