import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { Catalogue } from '../../lib/definition';
import { orchestratedPipelines, scheduleShards, streamingDomains } from '../../lib/plan/pipeline-stacks';
import type { EnvironmentStackProps } from './environment-stack-props';
import { OrchestrationStack } from './orchestration-stack';
import { PipelineStack } from './pipeline-stack';
import { ScheduleStack } from './schedule-stack';
import { StreamingDomainStack } from './streaming-domain-stack';
import { StreamingStack } from './streaming-stack';

export interface PipelineStacksProps extends EnvironmentStackProps {
  /** The environment's VPC (from the network stack), for the streaming cluster and jobs. */
  readonly vpc: IVpc;
  /** The environment's data key (from the storage stack), for the streaming jobs. */
  readonly encryptionKey: IKey;
}

/** The orchestration stacks of one environment (see lib/orchestration/stack-layout). */
export interface PipelineStacks {
  readonly orchestration: OrchestrationStack;
  readonly pipelines: readonly PipelineStack[];
  readonly schedules: readonly ScheduleStack[];
  /** Absent when the definition has no stream dataset. */
  readonly streaming?: StreamingStack;
  /** One per domain with stream datasets (its role and jobs), each after `streaming`. */
  readonly streamingDomains: readonly StreamingDomainStack[];
}

/**
 * Adds the environment's orchestration stacks: the shared one, one per pipeline, one per non-empty
 * schedule shard, and with stream datasets the streaming stack and one streaming stack per domain
 * that has them. Undefined when the definition has no dataset.
 */
export function addPipelineStacks(scope: Construct, props: PipelineStacksProps): PipelineStacks | undefined {
  if (props.config.datasets.length === 0) return undefined;
  const { vpc, encryptionKey, ...environmentProps } = props;
  const orchestration = new OrchestrationStack(scope, environmentProps);
  const shared = { alertTopic: orchestration.alerts.topic, operationsKey: orchestration.operationsKey.key };
  const pipelines = orchestratedPipelines(props.config).map((pipeline) => new PipelineStack(scope, { ...environmentProps, ...shared, pipeline }));
  const scheduling = orchestration.scheduling;
  const schedules = scheduling
    ? [...scheduleShards(props.config)].map(
        ([shard, datasets]) =>
          new ScheduleStack(scope, {
            ...environmentProps,
            shard,
            datasets,
            scheduling: { groupName: scheduling.groupName, role: scheduling.role, deadLetterQueue: scheduling.deadLetterQueue, encryptionKey: orchestration.operationsKey.key },
          }),
      )
    : [];
  const streaming = Catalogue.of(props.config).streams().length > 0 ? new StreamingStack(scope, { ...environmentProps, vpc, encryptionKey }) : undefined;
  const domainStreams = streaming
    ? streamingDomains(props.config).map((domain) => {
        const stack = new StreamingDomainStack(scope, { ...environmentProps, domain, streaming, encryptionKey });
        stack.addStackDependency(streaming, 'jobs run in the NETWORK connection, log to the log group and read from the cluster of the streaming stack');
        return stack;
      })
    : [];
  return { orchestration, pipelines, schedules, streaming, streamingDomains: domainStreams };
}
