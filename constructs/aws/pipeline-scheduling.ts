import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface PipelineSchedulingProps {
  /** Name of the schedule group (see `scheduleGroupName`). */
  readonly groupName: string;
  /** Names of the state machines that schedules may start (see `pipelineName`). */
  readonly stateMachineNames: readonly string[];
  /** Customer-managed key of the schedules and of the dead-letter queue. */
  readonly encryptionKey: IKey;
  /** Topic that the dead-letter alarm notifies. */
  readonly alertTopic: ITopic;
  /**
   * What happens to the dead-letter queue when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What the environment's ingestion schedules share: their schedule group, the role they start
 * pipelines with (only the named state machines), and the KMS-encrypted dead-letter queue that keeps
 * a start Scheduler could not make after its retries, with an alarm as soon as one lands there.
 */
export class PipelineScheduling extends Construct {
  readonly group: CfnScheduleGroup;
  readonly role: Role;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly groupName: string;

  constructor(scope: Construct, id: string, props: PipelineSchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = props.groupName;
    this.group = new CfnScheduleGroup(this, 'Resource', { name: props.groupName });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const deadLetterReason =
      'This queue is itself the dead-letter queue of the ingestion schedules; a dead-letter queue of a dead-letter queue would only move the same messages.';
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason: deadLetterReason });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'cdk-validator-cfnguard::sqs_dlq_check', reason: deadLetterReason });
    if (props.stateMachineNames.length === 0) throw new Error('stateMachineNames must name at least one state machine for the schedules to start');
    const stateMachines = props.stateMachineNames.map((name) =>
      stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'Starts the pipelines on their ingestion schedules',
      inlinePolicies: {
        StartPipelines: new PolicyDocument({
          statements: [
            new PolicyStatement({ sid: 'StartPipelines', actions: ['states:StartExecution'], resources: stateMachines }),
            new PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
            new PolicyStatement({
              sid: 'EncryptedSchedulesAndDeadLetters',
              actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
              resources: [props.encryptionKey.keyArn],
            }),
          ],
        }),
      },
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `A scheduled pipeline start of schedule group ${props.groupName} failed after its retries and is in the dead-letter queue`,
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(props.alertTopic));
  }
}
