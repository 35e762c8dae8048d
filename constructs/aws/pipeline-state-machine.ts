import { ArnFormat, type CfnResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SparkRuntime } from '../../lib/definition';
import { sparkJobRunFor } from '../../lib/pipelines/spark-job-run';
import { emrSparkStep, type SparkApplicationRun } from '../../lib/pipelines/spark-step';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';
import { acknowledgeIamWildcardsAtSynth } from './iam-wildcard-findings';
import { PackedManagedPolicies } from './packed-managed-policies';
import { requireWholeNumber } from './whole-number';
import { type PipelineDataset, pipelineDefinition } from './pipeline-definition';

export interface PipelineStateMachineProps {
  /** Name of the state machine (see `pipelineName`). */
  readonly stateMachineName: string;
  /** The pipeline (domain) it runs, for messages and descriptions. */
  readonly pipeline: string;
  /** The pipeline's batch datasets with their job names. */
  readonly datasets: readonly PipelineDataset[];
  /** Name of the EMR cluster that runs the Spark step. */
  readonly clusterName: string;
  /**
   * Tags the EMR cluster carries: the state machine may add and follow steps only on clusters with
   * all of them (IAM cannot scope EMR step actions by cluster name, the id changes on every cluster).
   */
  readonly clusterTags: Readonly<Record<string, string>>;
  /** SSM parameter holding the cluster's RunJobFlow request (see `sparkClusterSpecParameterName`). */
  readonly clusterSpecParameterName: string;
  /**
   * Prefix of the names of the roles a re-created cluster passes to EMR and EC2 (its service role and
   * instance role), e.g. the processing stack's name: CloudFormation names them `<stack>-<id>-<suffix>`.
   */
  readonly clusterRoleNamePrefix: string;
  /**
   * The Spark step (`sparkApplicationFor`): run as an EMR step on the cluster, or as an EMR on EKS job
   * run on `sparkOnKubernetes`, with the same script and arguments.
   */
  readonly sparkApplication: SparkApplicationRun;
  /**
   * The EMR on EKS virtual cluster an execution may run the Spark step on instead (input `sparkRuntime`
   * "kubernetes"), e.g. `EmrOnEksVirtualCluster`.
   * @default - the Spark step runs on the EMR cluster only
   */
  readonly sparkOnKubernetes?: SparkOnKubernetes;
  /**
   * Where the Spark step runs when the execution input names no `sparkRuntime`.
   * @default 'emr'
   */
  readonly defaultSparkRuntime?: SparkRuntime;
  /** Topic that receives failure notifications and alarms. */
  readonly alertTopic: ITopic;
  /** Key of the alert topic (publishing needs it) and of the execution log group. */
  readonly encryptionKey: IKey;
  /**
   * How long an execution may run before it times out.
   * @default Duration.hours(12)
   */
  readonly timeout?: Duration;
  /**
   * How many datasets are ingested at the same time.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * How long the execution log group keeps logs.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the execution log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** An EMR on EKS virtual cluster that runs Spark job runs (`EmrOnEksVirtualCluster` is one). */
export interface SparkOnKubernetes {
  /** The virtual cluster id. */
  readonly virtualClusterId: string;
  /** The job execution role the job runs get. */
  readonly jobRole: IRole;
  /** `s3://.../` where job runs write their logs (the job role must be able to write there). */
  readonly logUri: string;
}

/**
 * A pipeline as a Step Functions state machine: Glue ingestion of the requested batch datasets, then
 * the Spark step (which evaluates the quality rules per load) on the EMR cluster or, when the execution
 * chooses it, as a job run on the EMR on EKS virtual cluster; retries with backoff on transient errors,
 * failures published to the alert topic, every event logged (KMS-encrypted) and traced with X-Ray, and
 * alarms on failed and timed-out executions. Its role may start only the pipeline's own jobs, add steps
 * only to the environment's tagged cluster, and start job runs only on the virtual cluster with its job role.
 */
export class PipelineStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly role: Role;
  /** The managed policies that let the role run the pipeline's ingestion jobs. */
  readonly jobPolicies: PackedManagedPolicies;
  readonly logGroup: LogGroup;
  readonly failedAlarm: Alarm;
  readonly timedOutAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    const maxConcurrency = props.maxConcurrency ?? 10;
    const timeout = props.timeout ?? Duration.hours(12);
    if (!Token.isUnresolved(maxConcurrency)) requireWholeNumber('maxConcurrency', maxConcurrency, 1, 1000);
    if (Object.keys(props.clusterTags).length === 0)
      throw new Error('clusterTags must name at least one tag: without one, the state machine could add steps to any EMR cluster of the account');
    const defaultSparkRuntime = props.defaultSparkRuntime ?? 'emr';
    if (defaultSparkRuntime === 'kubernetes' && !props.sparkOnKubernetes)
      throw new Error('defaultSparkRuntime ("kubernetes") needs sparkOnKubernetes, the EMR on EKS virtual cluster the Spark step runs on');
    const stack = Stack.of(this);
    const onEks = props.sparkOnKubernetes ? ' (EMR or EMR on EKS)' : '';
    const arn = (service: string, resource: string, resourceName: string, sep = ArnFormat.SLASH_RESOURCE_NAME) =>
      stack.formatArn({ service, resource, resourceName, arnFormat: sep });

    this.logGroup = new LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledgeCrossStackSetting(this.logGroup, props.encryptionKey, 'cloudwatch_log_group_encrypted_check', 'KmsKeyId (the environment operations key)');

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Runs pipeline ${props.pipeline}: its Glue jobs, the Spark step${onEks}, failure notifications`,
      inlinePolicies: { Pipeline: this.pipelinePolicy(props, arn) },
    });

    // The ingestion jobs, one per batch dataset: in managed policies, so the inline policy keeps its size as the domain grows.
    this.jobPolicies = new PackedManagedPolicies(this, 'JobPolicies', {
      role: this.role,
      grants: [
        {
          items: props.datasets.map((dataset) => dataset.jobName),
          statement: (jobNames: readonly string[]) =>
            new PolicyStatement({
              sid: 'RunIngestionJobs',
              actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
              resources: jobNames.map((jobName) => arn('glue', 'job', jobName)),
            }),
        },
      ],
    });

    this.stateMachine = new StateMachine(this, 'Resource', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: `Pipeline ${props.pipeline}: Glue ingestion, Spark step${onEks || ' on EMR'} (quality rules per load)`,
      definitionBody: DefinitionBody.fromString(
        JSON.stringify(
          pipelineDefinition({
            partition: stack.partition,
            pipeline: props.pipeline,
            datasets: props.datasets,
            pollSeconds: 30,
            maxConcurrency,
            clusterName: props.clusterName,
            clusterSpecParameterName: props.clusterSpecParameterName,
            sparkStep: emrSparkStep(props.sparkApplication),
            sparkJobRun:
              props.sparkOnKubernetes &&
              sparkJobRunFor(props.sparkApplication, {
                virtualClusterId: props.sparkOnKubernetes.virtualClusterId,
                executionRoleArn: props.sparkOnKubernetes.jobRole.roleArn,
                logUri: props.sparkOnKubernetes.logUri,
              }),
            defaultSparkRuntime,
            alertTopicArn: props.alertTopic.topicArn,
            timeoutSeconds: timeout.toSeconds(),
          }),
        ),
      ),
      role: this.role,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // No execution starts before the role may run the jobs.
    this.stateMachine.node.addDependency(this.jobPolicies.dependable);
    // cfn-lint W3005: the L2 adds an explicit DependsOn on the role that the RoleArn GetAtt already implies.
    (this.stateMachine.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    // Resource "*" only where IAM offers no resource; the EMR step actions on cluster/* are limited by the cluster tags.
    const wildcards: Record<string, string> = {
      '*':
        'Step Functions log delivery and X-Ray tracing (logs:*LogDelivery*, xray:Put*) and elasticmapreduce:ListClusters ' +
        'support no resource-level permissions; elasticmapreduce:RunJobFlow creates a cluster whose ARN does not exist yet and ' +
        'is limited by aws:RequestTag to clusters tagged for this platform environment; every action ' +
        'is named.',
      [clusterRolesArn(stack, props.clusterRoleNamePrefix)]:
        'The service and instance roles of the environment cluster have names CloudFormation generates ' +
        'under the processing stack name; iam:PassedToService limits the pass to EMR and EC2.',
      [arn('elasticmapreduce', 'cluster', '*')]:
        'The Spark step goes to whichever cluster is active (its id changes with every cluster); the ' +
        'statement is limited by the aws:ResourceTag conditions to the clusters of this platform environment.',
    };
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    for (const scopeToAcknowledge of [this.role, ...(defaultPolicy ? [defaultPolicy] : [])]) {
      for (const [resource, reason] of Object.entries(wildcards))
        Validations.of(scopeToAcknowledge).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }

    if (props.sparkOnKubernetes) {
      // The job runs of the virtual cluster: their ids are made when they start.
      const jobRuns = new PolicyDocument({ statements: [followJobRunsStatement(stack, props.sparkOnKubernetes)] });
      acknowledgeIamWildcardsAtSynth(this.role, [jobRuns], (finding) =>
        finding.endsWith('/jobruns/*')
          ? 'Step Functions follows and, on cancel, stops the Spark job runs it starts on the EMR on EKS virtual cluster; ' +
            'a job run id exists only once the run starts, so the statement names the virtual cluster and any of its job runs.'
          : undefined,
      );
    }

    const alarm = (alarmId: string, metric: ReturnType<StateMachine['metricFailed']>, what: string) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `Pipeline ${props.pipeline} (${props.stateMachineName}): ${what}`,
      });
      created.addAlarmAction(new SnsAction(props.alertTopic));
      return created;
    };
    this.failedAlarm = alarm('FailedAlarm', this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }), 'an execution failed');
    this.timedOutAlarm = alarm('TimedOutAlarm', this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }), 'an execution timed out');
  }

  private pipelinePolicy(props: PipelineStateMachineProps, arn: (service: string, resource: string, name: string, sep?: ArnFormat) => string): PolicyDocument {
    const stack = Stack.of(this);
    const tagConditions = Object.fromEntries(Object.entries(props.clusterTags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
    const statements = [
      new PolicyStatement({
        sid: 'ReadClusters',
        actions: ['elasticmapreduce:ListClusters'],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'RunSparkStepOnTheEnvironmentCluster',
        actions: ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps', 'elasticmapreduce:ListSteps'],
        resources: [arn('elasticmapreduce', 'cluster', '*')],
        conditions: { StringEquals: tagConditions },
      }),
      new PolicyStatement({
        sid: 'FollowSparkStepAndClusterCreation',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          arn('events', 'rule', 'StepFunctionsGetEventForEMRAddJobFlowStepsRule'),
          arn('events', 'rule', 'StepFunctionsGetEventForEMRRunJobFlowRule'),
        ],
      }),
      new PolicyStatement({
        sid: 'ReadClusterRequest',
        actions: ['ssm:GetParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: props.clusterSpecParameterName.replace(/^\//, '') })],
      }),
      new PolicyStatement({
        sid: 'RecreateTheEnvironmentCluster',
        actions: ['elasticmapreduce:RunJobFlow', 'elasticmapreduce:AddTags'],
        resources: ['*'],
        conditions: { StringEquals: Object.fromEntries(Object.entries(props.clusterTags).map(([key, value]) => [`aws:RequestTag/${key}`, value])) },
      }),
      new PolicyStatement({
        sid: 'FollowClusterCreation',
        actions: ['elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows'],
        resources: [arn('elasticmapreduce', 'cluster', '*')],
        conditions: { StringEquals: tagConditions },
      }),
      new PolicyStatement({
        sid: 'PassClusterRoles',
        actions: ['iam:PassRole'],
        resources: [clusterRolesArn(stack, props.clusterRoleNamePrefix)],
        conditions: { StringEquals: { 'iam:PassedToService': ['elasticmapreduce.amazonaws.com', 'ec2.amazonaws.com'] } },
      }),
      new PolicyStatement({
        sid: 'PublishFailures',
        actions: ['sns:Publish'],
        resources: [props.alertTopic.topicArn],
      }),
      new PolicyStatement({
        sid: 'EncryptFailureNotifications',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.encryptionKey.keyArn],
      }),
    ];
    if (props.sparkOnKubernetes) statements.push(...sparkOnKubernetesStatements(stack, props.sparkOnKubernetes));
    return new PolicyDocument({ statements });
  }
}

/** `arn:<partition>:emr-containers:<region>:<account>:/virtualclusters/<id>[/<rest>]`. */
function virtualClusterArn(stack: Stack, virtualClusterId: string, rest = ''): string {
  return stack.formatArn({
    service: 'emr-containers',
    resource: 'virtualclusters',
    resourceName: `${virtualClusterId}${rest}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME,
  });
}

/** DescribeJobRun and CancelJobRun on the job runs of the virtual cluster (what `.sync` needs). */
function followJobRunsStatement(stack: Stack, on: SparkOnKubernetes): PolicyStatement {
  return new PolicyStatement({
    sid: 'FollowSparkJobRuns',
    actions: ['emr-containers:DescribeJobRun', 'emr-containers:CancelJobRun'],
    resources: [virtualClusterArn(stack, on.virtualClusterId, '/jobruns/*')],
  });
}

/**
 * What the EMR on EKS branch needs, and no more: job runs on this virtual cluster only and only with
 * its job role (the ExecutionRoleArn condition, and iam:PassRole on exactly that role), following and
 * cancelling the job runs of that cluster (.sync), and listing them to wait for an earlier run.
 */
function sparkOnKubernetesStatements(stack: Stack, on: SparkOnKubernetes): PolicyStatement[] {
  const cluster = virtualClusterArn(stack, on.virtualClusterId);
  return [
    new PolicyStatement({
      sid: 'RunSparkJobOnTheVirtualCluster',
      actions: ['emr-containers:StartJobRun'],
      resources: [cluster],
      conditions: { StringEquals: { 'emr-containers:ExecutionRoleArn': on.jobRole.roleArn } },
    }),
    followJobRunsStatement(stack, on),
    new PolicyStatement({ sid: 'FindEarlierSparkJobRuns', actions: ['emr-containers:ListJobRuns'], resources: [cluster] }),
    new PolicyStatement({ sid: 'PassTheSparkJobRole', actions: ['iam:PassRole'], resources: [on.jobRole.roleArn] }),
  ];
}

/** `arn:<partition>:iam::<account>:role/<prefix>-*`: the roles a re-created cluster passes to EMR and EC2 (IAM ARNs have no region). */
function clusterRolesArn(stack: Stack, prefix: string): string {
  return stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${prefix}-*` });
}
