import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
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

describe('StreamingStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(streamingStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-streaming and exists only with stream datasets', () => {
    expect(streamingStack('prod').stackName).toBe('acme-prod-streaming');
    const noStreams = configWith((d) => (d.datasets = d.datasets.filter((dataset: { source: { kind: string } }) => dataset.source.kind !== 'stream')));
    const stacks = pipelineStacksOf(noStreams, 'dev');
    expect(stacks.streaming).toBeUndefined();
    expect(stacks.streamingDomains).toEqual([]);
  });

  test('runs MSK Serverless with IAM authentication only, in the isolated subnets', () => {
    const template = Template.fromStack(streamingStack('prod'));
    template.hasResourceProperties('AWS::MSK::ServerlessCluster', {
      ClusterName: 'acme-prod-streaming',
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
      VpcConfigs: [
        { SubnetIds: Match.arrayWith([{ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-network' }) }]), SecurityGroups: [Match.anyValue()] },
      ],
    });
  });

  test('admits only the streaming jobs, on 9098 only', () => {
    const template = Template.fromStack(streamingStack('dev'));
    const cluster = Object.values<any>(template.findResources('AWS::MSK::ServerlessCluster'))[0];
    const clusterGroup = cluster.Properties.VpcConfigs[0].SecurityGroups[0]['Fn::GetAtt'][0];
    const ingress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === clusterGroup,
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({
      FromPort: 9098,
      ToPort: 9098,
      IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^JobSecurityGroup/), 'GroupId'] },
    });
    const groups = Object.entries<any>(template.findResources('AWS::EC2::SecurityGroup'));
    expect(groups.find(([id]) => id === clusterGroup)?.[1].Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('holds what the jobs share: the NETWORK connection, the encrypted log group, no job, role or asset', () => {
    const stack = streamingStack('prod');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Glue::Connection', {
      ConnectionInput: Match.objectLike({ ConnectionType: 'NETWORK', Name: 'acme-prod-streaming-network' }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-storage' }) } });
    expect(stack.connectionName).toBe('acme-prod-streaming-network');
    for (const type of ['AWS::Glue::Job', 'AWS::Glue::Trigger', 'AWS::IAM::Role', 'AWS::IAM::Policy']) template.resourceCountIs(type, 0);
    expect(stack.node.findAll().filter((construct) => construct instanceof Asset)).toEqual([]);
  });

  test("holds the environment's Glue Schema Registry registry, kept in production, that the domain stacks' schemas name", () => {
    const stack = streamingStack('prod');
    Template.fromStack(stack).hasResource('AWS::Glue::Registry', {
      Properties: { Name: 'acme-prod-streams', Description: Match.stringLikeRegexp('streams of acme prod') },
      DeletionPolicy: 'Retain',
    });
    expect(stack.schemaRegistry.registryName).toBe('acme-prod-streams');
    Template.fromStack(streamingStack('dev')).hasResource('AWS::Glue::Registry', { Properties: { Name: 'acme-dev-streams' }, DeletionPolicy: 'Delete' });
  });

  test('does not grow with the stream datasets', () => {
    const grown = configWith((d) => {
      const webEvents = d.datasets.find((dataset: { name: string }) => dataset.name === 'web_events');
      d.datasets.push(
        { ...webEvents, name: 'app_events', source: { kind: 'stream', topic: 'app.events.v1' } },
        { ...webEvents, name: 'pos_events', domain: 'sales', source: { kind: 'stream', topic: 'pos.events.v1' } },
      );
    });
    expect(normalizedTemplate(streamingStack('dev', grown))).toEqual(normalizedTemplate(streamingStack('dev')));
  });

  test('fails at synth when a stream dataset is CSV, naming the dataset', () => {
    // Validation rejects this definition already; a configuration built some other way fails at synth.
    const csv = { ...config, datasets: config.datasets.map((dataset) => (dataset.name === 'web_events' ? { ...dataset, format: 'csv' as const } : dataset)) };
    expect(() => streamingStack('dev', csv)).toThrow(
      'dataset "web_events": format "csv" cannot be streamed into bronze on AWS; the Glue streaming job reads json, avro messages',
    );
  });
});

describe('the streaming script', () => {
  test('compiles and its pure helpers pass their unit tests', () => {
    execFileSync('python3', ['-m', 'py_compile', GLUE_STREAM_SCRIPT_PATH]);
    const result = execFileSync('python3', [join(__dirname, '..', '..', 'constructs', 'aws', 'jobs', 'test_glue_stream.py')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(result).toBe('');
  });
});
