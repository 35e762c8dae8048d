/**
 * The per-environment Terraform stacks on Azure, one per concern, each with its own state, resource
 * group and standard tags; they refer to each other's resources by ids composed from the naming
 * functions (`environment-references.ts`), never by remote state.
 *
 * May import: lib/definition, lib/lake, lib/tagging, lib/naming, constructs/azure.
 */
export * from './analytics-stack';
export * from './azure-concern-stack';
export * from './azure-environment';
export * from './cicd-stack';
export * from './environment-references';
export * from './ingestion-stack';
export * from './monitoring-stack';
export * from './network-stack';
export * from './security-stack';
export * from './storage-stack';
export * from './streaming-stack';
export * from './warehouse-stack';
