/**
 * The consumers of gold on Databricks, planned from `consumers:` of the definition: the dashboards
 * (`dashboard-plan.ts`: each committed `.lvdash.json` bound to the environment's catalog by
 * `lakeview-template.ts`) and Delta Sharing (`sharing-plan.ts`: shares, recipients and what each
 * recipient reads). Pure but the readers of the committed dbt project and templates.
 *
 * May import: lib/definition, lib/naming, lib/dbt, lib/warehouse, lib/config.
 */
export * from './lakeview-template';
export * from './dashboard-plan';
export * from './sharing-plan';
