import type { DatasetConfig, PlatformConfig } from '../definition';
import { type NamingScope, shortHash, stackName, stackPartName } from '../naming';
import { Catalogue } from '../definition';
import { type Pipeline, pipelinesOf } from '../pipelines/pipelines';

/**
 * How the AWS pipelines of an environment are split into CloudFormation stacks, so that every
 * template stays far below 500 resources at thousands of datasets and a dataset's resources never
 * move to another stack when others are added:
 * - `<prefix>-<env>-orchestration`: what the environment's pipelines share (operations key, alert
 *   topic, schedule group, scheduler role and dead-letter queue, Glue failure alerts);
 * - `<prefix>-<env>-orchestration-<domain>`: one per pipeline, its state machine and alarms;
 * - `<prefix>-<env>-schedules-<n>`: the batch datasets' schedules, in SCHEDULE_SHARDS stacks chosen
 *   by a hash of the dataset's name (only the shards that hold a dataset exist);
 * - `<prefix>-<env>-streaming`: what the stream datasets share (MSK Serverless, the jobs' security
 *   group and Glue NETWORK connection, the MSK API endpoint, the log group), when there are any;
 * - `<prefix>-<env>-streaming-<domain>`: one per domain with stream datasets, the domain's streaming
 *   role and a Glue streaming job per stream dataset.
 */

/**
 * Shards of schedules per environment. Four hold about 1,900 batch datasets at under 500 resources
 * each; changing the number moves schedules between stacks, so it is fixed.
 */
export const SCHEDULE_SHARDS = 4;

/** The schedule shard (0 to SCHEDULE_SHARDS - 1) of a dataset: a function of its name alone. */
export function scheduleShardOf(dataset: Pick<DatasetConfig, 'name'>): number {
  return Number.parseInt(shortHash(dataset.name, 8), 16) % SCHEDULE_SHARDS;
}

/** The batch datasets of each non-empty schedule shard, by shard number, ascending. */
export function scheduleShards(config: Pick<PlatformConfig, 'datasets'>): Map<number, DatasetConfig[]> {
  const shards = new Map<number, DatasetConfig[]>();
  for (const dataset of Catalogue.of(config).batch()) {
    const shard = scheduleShardOf(dataset);
    shards.set(shard, [...(shards.get(shard) ?? []), dataset]);
  }
  return new Map([...shards.entries()].sort(([a], [b]) => a - b));
}

/** The pipelines that get a state machine: every domain (a stream-only domain still runs its Spark step). */
export function orchestratedPipelines(config: PlatformConfig): Pipeline[] {
  return pipelinesOf(config);
}

/** `<prefix>-<env>-orchestration-<domain>`: the stack of one pipeline. */
export function pipelineStackName(scope: NamingScope, pipeline: string): string {
  return stackPartName(scope, 'orchestration', pipeline);
}

/** `<prefix>-<env>-schedules-<n>`: the stack of one schedule shard. */
export function scheduleShardStackName(scope: NamingScope, shard: number): string {
  return stackPartName(scope, 'schedules', String(shard));
}

/** The domains with stream datasets, in the definition's order: each gets a `<prefix>-<env>-streaming-<domain>` stack. */
export function streamingDomains(config: Pick<PlatformConfig, 'datasets'>): string[] {
  return Catalogue.of(config).streamDomains();
}

/** `<prefix>-<env>-streaming-<domain>`: the streaming jobs of one domain. */
export function streamingDomainStackName(scope: NamingScope, domain: string): string {
  return stackPartName(scope, 'streaming', domain);
}

export interface PlannedPipelineStack {
  readonly name: string;
  readonly concern: 'orchestration' | 'schedules' | 'streaming';
  /** The domain of a per-domain stack (a pipeline's, or a domain's streaming jobs). */
  readonly domain?: string;
}

/** Every orchestration and streaming stack of an environment, in deploy order. */
export function pipelineStacks(config: PlatformConfig, scope: NamingScope): PlannedPipelineStack[] {
  if (config.datasets.length === 0) return [];
  const stacks: PlannedPipelineStack[] = [{ name: stackName(scope, 'orchestration'), concern: 'orchestration' }];
  for (const pipeline of orchestratedPipelines(config)) stacks.push({ name: pipelineStackName(scope, pipeline.name), concern: 'orchestration', domain: pipeline.name });
  for (const shard of scheduleShards(config).keys()) stacks.push({ name: scheduleShardStackName(scope, shard), concern: 'schedules' });
  if (Catalogue.of(config).streams().length > 0) stacks.push({ name: stackName(scope, 'streaming'), concern: 'streaming' });
  for (const domain of streamingDomains(config)) stacks.push({ name: streamingDomainStackName(scope, domain), concern: 'streaming', domain });
  return stacks;
}
