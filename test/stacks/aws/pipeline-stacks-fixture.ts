import type { App } from 'aws-cdk-lib';
import { addAwsEnvironment } from '../../../bin/aws-app';
import type { PlatformConfig } from '../../../lib/definition';
import { OrchestrationStack, PipelineStack, ScheduleStack, StreamingDomainStack, StreamingStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { environmentOf } from '../../fixtures/platform';

/** The orchestration and streaming stacks of one environment (built from its plan with the stacks they use). */
export interface PipelineStacks {
  readonly orchestration: OrchestrationStack;
  readonly pipelines: readonly PipelineStack[];
  readonly schedules: readonly ScheduleStack[];
  /** Absent when the definition has no stream dataset. */
  readonly streaming?: StreamingStack;
  readonly streamingDomains: readonly StreamingDomainStack[];
}

export function pipelineStacksOf(config: PlatformConfig, environmentName: string, app: App = testApp()): PipelineStacks {
  const built = addAwsEnvironment(app, config, environmentOf(config, environmentName), {
    only: (stack) => ['orchestration', 'schedules', 'streaming'].includes(stack.concern),
  }).all();
  const orchestration = built.find((stack): stack is OrchestrationStack => stack instanceof OrchestrationStack);
  if (!orchestration) throw new Error('test fixture: the definition has no dataset');
  return {
    orchestration,
    pipelines: built.filter((stack): stack is PipelineStack => stack instanceof PipelineStack),
    schedules: built.filter((stack): stack is ScheduleStack => stack instanceof ScheduleStack),
    streaming: built.find((stack): stack is StreamingStack => stack instanceof StreamingStack),
    streamingDomains: built.filter((stack): stack is StreamingDomainStack => stack instanceof StreamingDomainStack),
  };
}
