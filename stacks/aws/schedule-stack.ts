import { ArnFormat } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DatasetSchedule } from '../../constructs/aws/dataset-schedule';
import type { DatasetConfig } from '../../lib/definition';
import { datasetScheduleName, pipelineName } from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface ScheduleStackProps extends EnvironmentStackProps {
  /** The shard number (see `scheduleShardOf`): the stack is `<prefix>-<env>-schedules-<shard>`. */
  readonly shard: number;
  /** The batch datasets of the shard. */
  readonly datasets: readonly DatasetConfig[];
  /** Schedule group, role, dead-letter queue and key the schedules share (from the orchestration stack). */
  readonly scheduling: {
    readonly groupName: string;
    readonly role: IRole;
    readonly deadLetterQueue: IQueue;
    readonly encryptionKey: IKey;
  };
}

/**
 * `<prefix>-<env>-schedules-<n>`: the EventBridge Scheduler schedules of one shard of the batch
 * datasets, each starting its domain's pipeline (by name) for that dataset at the dataset's cron time.
 */
export class ScheduleStack extends EnvironmentStack {
  readonly schedules: readonly DatasetSchedule[];

  constructor(scope: Construct, props: ScheduleStackProps) {
    super(
      scope,
      'schedules',
      { description: `Ingestion schedules (EventBridge Scheduler), shard ${props.shard}, of ${props.config.prefix} ${props.environment.name}`, ...props },
      String(props.shard),
    );
    if (props.datasets.length === 0)
      throw new Error(`schedule shard ${props.shard} has no dataset; create schedule stacks only for the shards scheduleShards() returns`);
    this.schedules = props.datasets.map(
      (dataset) =>
        // The construct id is the dataset name: adding or removing another dataset never renames it.
        new DatasetSchedule(this, dataset.name, {
          dataset: dataset.name,
          cron: dataset.schedule,
          scheduleName: datasetScheduleName(dataset.name),
          groupName: props.scheduling.groupName,
          stateMachineArn: this.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: pipelineName(this.naming, dataset.domain),
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
          role: props.scheduling.role,
          deadLetterQueue: props.scheduling.deadLetterQueue,
          encryptionKey: props.scheduling.encryptionKey,
          enabled: this.aws.schedulesEnabled,
        }),
    );
  }
}
