/**
 * The dbt sources and landing-table seeds generated from the catalogue (pure; written or checked by
 * `scripts/generate-dbt-sources.ts`), with the bronze metadata columns of the lake layout.
 *
 * May import: lib/definition, lib/lake, lib/schedules.
 */
export * from './sources';
