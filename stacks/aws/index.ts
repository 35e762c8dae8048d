/**
 * The per-environment CloudFormation stacks, one per concern (and per domain or shard where the plan
 * splits one); each composes constructs from `constructs/aws` and configures no resource itself.
 *
 * May import: lib/definition, lib/policy, lib/lake, lib/tagging, lib/naming, lib/access, lib/pipelines, constructs/aws.
 */
export * from './environment-stack';
export * from './environment-stack-props';
export * from './storage-stack';
export * from './network-stack';
export * from './analytics-stack';
export * from './audit-stack';
export * from './cicd-stack';
export * from './cost-stack';
export * from './processing-stack';
export * from './catalog-stack';
export * from './domain-catalog-stack';
export * from './ingestion-stack';
export * from './kubernetes-stack';
export * from './orchestration-stack';
export * from './pipeline-stack';
export * from './schedule-stack';
export * from './streaming-stack';
export * from './streaming-domain-stack';
export * from './replication-stack';
export * from './api-stack';
