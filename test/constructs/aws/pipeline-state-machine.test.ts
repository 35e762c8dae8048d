import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { PipelineStateMachine, type PipelineStateMachineProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function pipeline(props: Partial<PipelineStateMachineProps> = {}, region = 'eu-west-1') {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region } });
  new PipelineStateMachine(stack, 'Pipeline', {
    stateMachineName: 'acme-dev-pipeline-sales',
    pipeline: 'sales',
    datasets: [{ name: 'orders', jobName: 'acme-dev-ingest-orders' }],
    clusterName: 'acme-dev-spark',
    clusterTags: { platform: 'acme', environment: 'dev' },
    clusterSpecParameterName: '/acme/dev/spark/run-job-flow',
    clusterRoleNamePrefix: 'acme-dev-processing',
    sparkStep: { name: 'acme-dev-silver-gold-sales', sparkSubmitArgs: ['s3://a/spark/silver_gold.py'] },
    alertTopic: new Topic(stack, 'Topic'),
    encryptionKey: new Key(stack, 'Key'),
    ...props,
  });
  return Template.fromStack(stack);
}

describe('PipelineStateMachine', () => {
  test('is a standard state machine with a timeout, logging everything and tracing', () => {
    const template = pipeline();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL' },
      TracingConfiguration: { Enabled: true },
    });
    const definition = JSON.parse(
      Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'))[0]
        .Properties.DefinitionString['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'TOKEN'))
        .join(''),
    );
    expect(definition.TimeoutSeconds).toBe(12 * 3600);
    expect(definition.States.Ingest.MaxConcurrency).toBe(10);
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('in %s composes its ARNs in partition %s', (region, partition) => {
    const template = JSON.stringify(pipeline({}, region).toJSON());
    expect(template).toContain(`arn:${partition}:states:::glue:startJobRun.sync`);
    expect(template).toContain(`arn:${partition}:glue:${region}:111111111111:job/acme-dev-ingest-orders`);
    expect(template).toContain(`arn:${partition}:iam::111111111111:role/acme-dev-processing-*`);
    expect(template).not.toMatch(/arn:aws:|AWS::Partition/);
  });

  test('trusts Step Functions of its own account only', () => {
    pipeline().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          },
        ],
      },
    });
  });

  test('fails when no cluster tag limits the EMR step actions', () => {
    expect(() => pipeline({ clusterTags: {} })).toThrow('clusterTags must name at least one tag');
  });

  test('fails when maxConcurrency is not a whole number from 1 to 1000', () => {
    expect(() => pipeline({ maxConcurrency: 0 })).toThrow('maxConcurrency (0) must be a whole number from 1 to 1000');
  });

  test('runs no Glue Data Quality evaluation and may neither start one nor pass a role to Glue (the Spark step applies the rules per load)', () => {
    const template = JSON.stringify(pipeline().toJSON());
    expect(template).not.toMatch(/DataQuality|glue:GetTable/);
    expect(template).not.toContain('glue.amazonaws.com');
  });
});
