/**
 * The dbt project's generated files: the sources and landing-table seeds from the catalogue, with the
 * bronze metadata columns of the lake layout (`sources.ts`), and the grants of every model from the
 * access plan and the models' lineage (`lineage.ts`, `grants.ts`). All pure but `readDbtProjectFiles`;
 * written or checked by `scripts/generate-dbt-sources.ts`.
 *
 * May import: lib/definition, lib/lake, lib/schedules, lib/naming, lib/access.
 */
export * from './sources';
export * from './lineage';
export * from './grants';
