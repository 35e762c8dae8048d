/**
 * How many datasets one domain may hold, so that each per-domain stack stays far below
 * CloudFormation's limits (500 resources, 1 MB template). A domain's catalog stack holds three tables
 * and three Lake Formation tag associations per dataset; its ingestion stack a job and a ruleset per
 * dataset. A dataset's stack depends only on its domain, so adding datasets elsewhere never moves it.
 */

/** Resources a dataset adds to its domain's catalog stack (a table and a tag association per layer). */
export const CATALOG_RESOURCES_PER_DATASET = 6;

/**
 * Most datasets one domain may hold: 60 x 6 = 360 catalog resources, which leaves room for the
 * stack's own resources and keeps the template well below 1 MB with wide tables (measured by
 * `npm run bench`). Split a larger domain into sub-domains.
 */
export const MAX_DATASETS_PER_DOMAIN = 60;

/**
 * Upper estimate of a dataset's share of its domain's catalog template, in bytes: three tables and
 * their tags (measured: about 6.8 KB plus 0.5 KB per column for CSV; Avro tables repeat the columns in
 * their schema, hence 0.7 KB per column here).
 */
export function catalogTemplateBytes(dataset: { readonly columns: readonly unknown[] }): number {
  return 7000 + 700 * dataset.columns.length;
}

/** Most bytes one domain's catalog template may take: 1 MB is CloudFormation's limit, the rest is margin. */
export const MAX_CATALOG_TEMPLATE_BYTES = 900_000;
