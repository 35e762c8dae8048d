import { createHash } from 'node:crypto';
import { checkedAgainst, type NameRule } from './name-rules';

/**
 * The one set of functions that names resources. Stacks, constructs, the dbt source generator and the
 * CLI all call these, so a name is composed in exactly one place and always fits its cloud's limits.
 */
export interface NamingScope {
  /** Platform prefix from the definition, e.g. "acme". */
  readonly prefix: string;
  /** Environment name, e.g. "prod". */
  readonly environment: string;
}

/** Limits of stack names, from the CloudFormation and Terraform references. */
export const STACK_NAME_RULES = {
  cloudFormationStack: {
    kind: 'CloudFormation stack',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter',
  },
  terraformStack: {
    kind: 'Terraform stack',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter (it names the cdktf.out folder and the state key)',
  },
} satisfies Record<string, NameRule>;

/** Concerns that get a stack of their own per environment. */
export const STACK_CONCERNS = [
  'storage',
  'network',
  'catalog',
  'ingestion',
  'processing',
  'orchestration',
  'streaming',
  'analytics',
  'lakehouse',
  'security',
  'monitoring',
  'warehouse',
  'kubernetes',
  'schedules',
  'workspace',
  'audit',
  'cicd',
  'cost',
  'replication',
  'api',
] as const;

export type StackConcern = (typeof STACK_CONCERNS)[number];

/** `<prefix>-<env>-<concern>`: a CloudFormation stack (the AWS CDK app). */
export function stackName(scope: NamingScope, concern: StackConcern): string {
  return checkedAgainst(STACK_NAME_RULES.cloudFormationStack, `${scope.prefix}-${scope.environment}-${concern}`);
}

/**
 * The part of a per-domain name that says which of a domain's shards it belongs to: the domain for
 * shard 0 (so a domain that fits one stack keeps the names it always had), `<domain>-<shard>` after it
 * (lib/limits/domain-shards.ts decides the shards).
 */
export function domainShardPart(domain: string, shard = 0): string {
  if (!Number.isInteger(shard) || shard < 0) throw new Error(`shard (${shard}) of domain "${domain}" must be a whole number from 0`);
  return shard === 0 ? domain : `${domain}-${shard}`;
}

/**
 * `<prefix>-<env>-<concern>-<part>`: one of several CloudFormation stacks of a concern, split so that
 * no template outgrows CloudFormation's limits (e.g. a domain's pipeline, a shard of schedules). The
 * part's underscores become hyphens (domains are snake_case, stack names allow no underscore).
 */
export function stackPartName(scope: NamingScope, concern: StackConcern, part: string): string {
  return checkedAgainst(STACK_NAME_RULES.cloudFormationStack, `${scope.prefix}-${scope.environment}-${concern}-${part.replace(/_/g, '-')}`);
}

/**
 * `<prefix>-<env>-<cloud>-<concern>`: a Terraform stack (the CDKTF app). The cloud is part of the name
 * so that `cdktf deploy` and `cdk deploy` targets can never be confused.
 */
export function terraformStackName(scope: NamingScope, cloud: 'azure' | 'databricks', concern: StackConcern): string {
  return checkedAgainst(STACK_NAME_RULES.terraformStack, `${scope.prefix}-${scope.environment}-${cloud}-${concern}`);
}

/** Four hex characters derived from `seed`: short, stable, and enough to avoid global-name clashes. */
export function shortHash(seed: string, length = 4): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}
