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

/** A domain too large for its per-domain stacks, at the dataset where it passes the limit. */
export interface DomainCapacityProblem {
  /** Index in the catalogue of the dataset the problem is reported at. */
  readonly dataset: number;
  readonly message: string;
}

/** Every domain of the catalogue that its catalog and ingestion stacks cannot hold, and why. */
export function domainCapacityProblems(datasets: readonly { readonly domain: string; readonly columns: readonly unknown[] }[]): DomainCapacityProblem[] {
  const byDomain = new Map<string, number[]>();
  datasets.forEach((dataset, index) => byDomain.set(dataset.domain, [...(byDomain.get(dataset.domain) ?? []), index]));
  const problems: DomainCapacityProblem[] = [];
  for (const [domain, indexes] of byDomain) {
    if (indexes.length > MAX_DATASETS_PER_DOMAIN) {
      problems.push({
        dataset: indexes[MAX_DATASETS_PER_DOMAIN],
        message:
          `domain "${domain}" has ${indexes.length} datasets; one domain's catalog and ingestion stacks ` +
          `hold at most ${MAX_DATASETS_PER_DOMAIN}, so split it into smaller domains`,
      });
      continue;
    }
    const bytes = indexes.reduce((sum, index) => sum + catalogTemplateBytes(datasets[index]), 0);
    if (bytes > MAX_CATALOG_TEMPLATE_BYTES) {
      const columns = indexes.reduce((sum, index) => sum + datasets[index].columns.length, 0);
      problems.push({
        dataset: indexes[0],
        message:
          `domain "${domain}" has ${indexes.length} datasets with ${columns} columns in all, about ${Math.round(bytes / 1000)} ` +
          `KB of catalog template; one stack holds at most ${MAX_CATALOG_TEMPLATE_BYTES / 1000} KB (CloudFormation ` +
          `allows 1 MB), so split it into smaller domains`,
      });
    }
  }
  return problems;
}
