import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { PipelineStateMachine, type PipelineStateMachineProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function pipeline(props: Partial<PipelineStateMachineProps> = {}, region = 'eu-west-1', app = testApp()) {
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region } });
  new PipelineStateMachine(stack, 'Pipeline', {
    stateMachineName: 'acme-dev-pipeline-sales',
    pipeline: 'sales',
    datasets: [{ name: 'orders', jobName: 'acme-dev-ingest-orders' }],
    clusterName: 'acme-dev-spark',
    clusterTags: { platform: 'acme', environment: 'dev' },
    clusterSpecParameterName: '/acme/dev/spark/run-job-flow',
    clusterRoleNamePrefix: 'acme-dev-processing',
    sparkApplication: {
      name: 'acme-dev-silver-gold-sales',
      jobRunName: 'acme-dev-silver-gold-sales',
      entryPoint: 's3://a/spark/silver_gold.py',
      arguments: ['--domain', 'sales'],
      sparkDefaults: {},
    },
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

  test('fails when the default Spark runtime is kubernetes without a virtual cluster', () => {
    expect(() => pipeline({ defaultSparkRuntime: 'kubernetes' })).toThrow(
      'defaultSparkRuntime ("kubernetes") needs sparkOnKubernetes, the EMR on EKS virtual cluster the Spark step runs on',
    );
  });

  test('may start EMR on EKS job runs only with a virtual cluster, and then only there with its job role', () => {
    expect(JSON.stringify(pipeline().toJSON())).not.toMatch(/emr-containers|emrcontainers|PassTheSparkJobRole/);
    const app = testApp();
    const jobs = new Stack(app, 'Jobs', { env: { account: '111111111111', region: 'eu-west-1' } });
    const jobRole = new Role(jobs, 'JobRole', { roleName: 'acme-dev-spark-on-eks-job', assumedBy: new ServicePrincipal('pods.eks.amazonaws.com') });
    const template = pipeline({ sparkOnKubernetes: { virtualClusterId: 'vc123', jobRole, logUri: 's3://a/logs/emr-on-eks/' } }, 'eu-west-1', app);
    const statements = Object.values<any>(template.findResources('AWS::IAM::Role'))
      .flatMap((role) => role.Properties.Policies ?? [])
      .flatMap((policy) => policy.PolicyDocument.Statement);
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    const roleArn = expect.objectContaining({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Jobs' }) });
    expect(bySid.RunSparkJobOnTheVirtualCluster).toEqual({
      Sid: 'RunSparkJobOnTheVirtualCluster',
      Effect: 'Allow',
      Action: 'emr-containers:StartJobRun',
      Resource: 'arn:aws:emr-containers:eu-west-1:111111111111:/virtualclusters/vc123',
      Condition: { StringEquals: { 'emr-containers:ExecutionRoleArn': roleArn } },
    });
    expect(bySid.FollowSparkJobRuns).toMatchObject({
      Action: ['emr-containers:CancelJobRun', 'emr-containers:DescribeJobRun'],
      Resource: 'arn:aws:emr-containers:eu-west-1:111111111111:/virtualclusters/vc123/jobruns/*',
    });
    expect(bySid.FindEarlierSparkJobRuns).toMatchObject({
      Action: 'emr-containers:ListJobRuns',
      Resource: 'arn:aws:emr-containers:eu-west-1:111111111111:/virtualclusters/vc123',
    });
    expect(bySid.PassTheSparkJobRole).toEqual({ Sid: 'PassTheSparkJobRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn });
    expect(statements.filter((s) => [s.Action].flat().some((action: string) => action.startsWith('emr-containers:'))).map((s) => s.Sid)).toEqual([
      'RunSparkJobOnTheVirtualCluster',
      'FollowSparkJobRuns',
      'FindEarlierSparkJobRuns',
    ]);
  });

  test('runs no Glue Data Quality evaluation and may neither start one nor pass a role to Glue (the Spark step applies the rules per load)', () => {
    const template = JSON.stringify(pipeline().toJSON());
    expect(template).not.toMatch(/DataQuality|glue:GetTable/);
    expect(template).not.toContain('glue.amazonaws.com');
  });
});
