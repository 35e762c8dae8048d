import type { DatasetConfig, PlatformConfig } from '../definition';
import { domainShardPart, type NamingScope, shortHash, stackPartName } from '../naming';
import { Catalogue } from '../definition';

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
 * - `<prefix>-<env>-streaming-<domain>[-<shard>]`: one per domain (shard, lib/limits/domain-shards.ts)
 *   with stream datasets, its streaming role and a Glue streaming job per stream dataset.
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

/** `<prefix>-<env>-orchestration-<domain>`: the stack of one pipeline. */
export function pipelineStackName(scope: NamingScope, pipeline: string): string {
  return stackPartName(scope, 'orchestration', pipeline);
}

/** `<prefix>-<env>-schedules-<n>`: the stack of one schedule shard. */
export function scheduleShardStackName(scope: NamingScope, shard: number): string {
  return stackPartName(scope, 'schedules', String(shard));
}

/** `<prefix>-<env>-streaming-<domain>[-<shard>]`: the streaming jobs of one domain (shard). */
export function streamingDomainStackName(scope: NamingScope, domain: string, shard = 0): string {
  return stackPartName(scope, 'streaming', domainShardPart(domain, shard));
}
