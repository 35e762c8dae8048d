import { Duration, Token } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pipelineExecutionInputJson } from '../../lib/pipelines/execution-input';
import { schedulerCronExpression } from '../../lib/schedules/scheduler-cron';
import { requireWholeNumber } from './whole-number';

export interface DatasetScheduleProps {
  /** The batch dataset the schedule ingests; the execution input is `{"datasets": ["<dataset>"]}`. */
  readonly dataset: string;
  /** The dataset's five-field cron expression (UTC), as the definition gives it. */
  readonly cron: string;
  /** Name of the schedule inside its group (see `datasetScheduleName`). */
  readonly scheduleName: string;
  /** Name of the schedule group (see `scheduleGroupName`). */
  readonly groupName: string;
  /** ARN of the pipeline state machine the schedule starts. */
  readonly stateMachineArn: string;
  /** Role the schedule starts the state machine with (it must allow states:StartExecution on it). */
  readonly role: IRole;
  /** Where a start that failed after every retry goes. */
  readonly deadLetterQueue: IQueue;
  /** Customer-managed key that encrypts the schedule's target input. */
  readonly encryptionKey: IKey;
  /**
   * Whether the schedule runs; a paused schedule keeps its definition and can be resumed.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How often Scheduler retries a start that failed (0-185).
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * How long after its time a start may still be made.
   * @default Duration.hours(1)
   */
  readonly maximumEventAge?: Duration;
}

/**
 * The EventBridge Scheduler schedule of one batch dataset: at the dataset's cron time (UTC) it starts
 * the dataset's pipeline for that dataset only, retrying a failed start before it parks it in the
 * dead-letter queue. The target input is encrypted with the given key.
 */
export class DatasetSchedule extends Construct {
  readonly schedule: CfnSchedule;

  constructor(scope: Construct, id: string, props: DatasetScheduleProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 3;
    const maximumEventAge = (props.maximumEventAge ?? Duration.hours(1)).toSeconds();
    if (!Token.isUnresolved(retryAttempts)) requireWholeNumber('retryAttempts', retryAttempts, 0, 185);
    if (!Token.isUnresolved(maximumEventAge)) requireWholeNumber('maximumEventAge', maximumEventAge, 60, 86400, 'seconds');
    this.schedule = new CfnSchedule(this, 'Resource', {
      name: props.scheduleName,
      groupName: props.groupName,
      description: `Ingests dataset ${props.dataset} on its schedule "${props.cron}" (UTC)`,
      scheduleExpression: schedulerCronExpression(props.cron, props.dataset),
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: (props.enabled ?? true) ? 'ENABLED' : 'DISABLED',
      kmsKeyArn: props.encryptionKey.keyArn,
      target: {
        arn: props.stateMachineArn,
        roleArn: props.role.roleArn,
        // The same input `platform run <dataset>` sends (lib/pipelines/execution-input.ts).
        input: pipelineExecutionInputJson([props.dataset]),
        retryPolicy: { maximumRetryAttempts: retryAttempts, maximumEventAgeInSeconds: maximumEventAge },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
  }
}
