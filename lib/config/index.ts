/**
 * Reading the definition: the zod schema (`schema.ts`), validation that names every problem at once
 * (`load.ts` → `validateDefinition`, combining the checks of `rules.ts`, `lake-rules.ts`, `audit-rules.ts`,
 * `databricks-rules.ts`, `consumer-rules.ts`, which map definition paths to the limits the owning modules export), defaults
 * (`defaults.ts`), stage policy (`stage-policy.ts`: one table per stage) and resolution into the frozen
 * `PlatformConfig` (`resolve.ts`), then the service limits of lib/limits held against it; `shard-lock.ts` reads
 * and writes `platform.shards.yaml` (the recorded shards of large domains), which `loadPlatformConfig`
 * refuses when out of date; `run-app.ts` reports a user's mistake without a stack trace.
 *
 * May import: lib/definition, lib/schedules, lib/lake, lib/naming, lib/schema-registry, lib/dbt, lib/limits.
 */
export * from './schema';
export * from './errors';
export * from './load';
export { describeViolation, lifecycleOrderViolations } from './lifecycle';
export { DEFAULT_LIFECYCLE, DEFAULT_SIZING } from './defaults';
export type { ConfigIssue, ConfigPath } from './issue';
export * from './run-app';
export { AZURE_BUDGET_MAX_NOTIFICATIONS } from './budget-rules';
export * from './shard-lock';
