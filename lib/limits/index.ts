/**
 * The service limits the platform can reach, as one table (`service-limits.ts`: value, documented
 * source, whether and how it is raised, and the definition's use of it), the check that holds a
 * definition to it (`check.ts`, run by lib/config at validation), the size model of the per-domain AWS
 * stacks (`stack-footprint.ts`) and the stable assignment of a domain's datasets to shards of those
 * stacks (`domain-shards.ts`, recorded in `platform.shards.yaml`).
 *
 * May import: lib/definition, lib/lake, lib/naming.
 */
export * from './service-limits';
export * from './stack-footprint';
export * from './domain-shards';
export * from './check';
