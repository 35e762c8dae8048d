import type { Construct } from 'constructs';
import { orchestratedPipelines, scheduleShards } from '../../lib/orchestration/stack-layout';
import type { EnvironmentStackProps } from './environment-stack-props';
import { OrchestrationStack } from './orchestration-stack';
import { PipelineStack } from './pipeline-stack';
import { ScheduleStack } from './schedule-stack';

/** The orchestration stacks of one environment (see lib/orchestration/stack-layout). */
export interface PipelineStacks {
  readonly orchestration: OrchestrationStack;
  readonly pipelines: readonly PipelineStack[];
  readonly schedules: readonly ScheduleStack[];
}

/**
 * Adds the environment's orchestration stacks: the shared one, one per pipeline and one per non-empty
 * schedule shard. Undefined when the definition has no dataset.
 */
export function addPipelineStacks(scope: Construct, props: EnvironmentStackProps): PipelineStacks | undefined {
  if (props.config.datasets.length === 0) return undefined;
  const orchestration = new OrchestrationStack(scope, props);
  const shared = { alertTopic: orchestration.alerts.topic, operationsKey: orchestration.operationsKey.key };
  const pipelines = orchestratedPipelines(props.config).map((pipeline) => new PipelineStack(scope, { ...props, ...shared, pipeline }));
  const scheduling = orchestration.scheduling;
  const schedules = scheduling
    ? [...scheduleShards(props.config)].map(
        ([shard, datasets]) =>
          new ScheduleStack(scope, {
            ...props,
            shard,
            datasets,
            scheduling: { groupName: scheduling.groupName, role: scheduling.role, deadLetterQueue: scheduling.deadLetterQueue, encryptionKey: orchestration.operationsKey.key },
          }),
      )
    : [];
  return { orchestration, pipelines, schedules };
}
