import type { StackProps } from 'aws-cdk-lib';
import type { EnvironmentScope } from '../../lib/definition';

/** What every per-environment AWS stack receives: the whole definition and its own environment. */
export interface EnvironmentStackProps extends EnvironmentScope, Omit<StackProps, 'env' | 'stackName'> {}

/** What a per-domain stack (catalog, ingestion, streaming) holds: one shard of one domain. */
export interface DomainShardProps {
  /** The business domain whose datasets the stack holds. */
  readonly domain: string;
  /**
   * Which of the domain's shards (lib/limits/domain-shards.ts): 0 keeps the names of a one-shard domain,
   * shard n adds `-<n>` to the stack's and its named resources' names.
   * @default 0
   */
  readonly shard?: number;
  /**
   * The names of the datasets of the shard, as the plan assigns them.
   * @default - every dataset of the domain (a domain of one shard)
   */
  readonly datasets?: readonly string[];
}
