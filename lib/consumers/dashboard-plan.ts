/**
 * The dashboards of an environment, from `consumers.dashboards`: each one's committed `.lvdash.json`
 * (`<templates>/<name>.lvdash.json`) bound to the environment's catalog, with its owners and readers as
 * Databricks groups. Validation has held the entry to the definition (its tables are gold models, its
 * owners and readers read every dataset they hold in gold, personal data only when allowed); this holds
 * the template to the entry: it reads exactly the tables the entry names, so what validation checked is
 * what the dashboard shows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../definition';
import { type GoldContract, readGoldContracts } from '../warehouse';
import { bindLakeviewTemplate, parseLakeviewTemplate } from './lakeview-template';

/** One dashboard of one environment, ready for `databricks_dashboard`. */
export interface DashboardPlan {
  /** The definition's name; also the template's file name and the dashboard's name in the workspace. */
  readonly name: string;
  readonly description: string;
  /** The bound `.lvdash.json` (`serialized_dashboard`). */
  readonly serialized: string;
  /** Fully qualified names of the gold tables it reads, sorted. */
  readonly tables: readonly string[];
  /** Databricks groups of its owners (manage it) and readers (view and refresh it). */
  readonly ownerGroups: readonly string[];
  readonly readerGroups: readonly string[];
}

/** `<templates>/<name>.lvdash.json`: where a dashboard's template is kept. */
export function dashboardTemplatePath(templatesDirectory: string, name: string): string {
  return join(templatesDirectory, `${name}.lvdash.json`);
}

/**
 * Every dashboard of the definition, bound to `catalog`. Fails, naming the dashboard and the file, when a
 * template is missing, reads a table the entry does not name (or not a gold table), or leaves one of the
 * entry's tables unread.
 */
export function dashboardPlans(
  config: Pick<PlatformConfig, 'consumers' | 'groups'>,
  catalog: string,
  templatesDirectory: string,
  contracts: readonly GoldContract[] = readGoldContracts(),
): DashboardPlan[] {
  const goldTables = contracts.map((contract) => contract.model);
  const groupsOf = (names: readonly string[]) => [...new Set(names.map((name) => config.groups[name]?.databricksGroup ?? name))].sort();
  return config.consumers.dashboards.map((dashboard) => {
    const file = dashboardTemplatePath(templatesDirectory, dashboard.name);
    if (!existsSync(file))
      throw new Error(
        `consumers.dashboards "${dashboard.name}": no template ${file}; export the dashboard from Databricks as ${dashboard.name}.lvdash.json there`,
      );
    const bound = bindLakeviewTemplate(parseLakeviewTemplate(readFileSync(file, 'utf8'), file), catalog, goldTables);
    const declared = [...new Set(dashboard.tables)].sort();
    const undeclared = bound.models.filter((model) => !declared.includes(model));
    const unread = declared.filter((model) => !bound.models.includes(model));
    if (undeclared.length > 0 || unread.length > 0)
      throw new Error(
        `consumers.dashboards "${dashboard.name}": tables [${declared.join(', ')}] must be the gold tables its template ${file} reads ` +
          `[${bound.models.join(', ')}]` +
          (undeclared.length > 0 ? `; add ${undeclared.join(', ')} (validation then checks who may see them)` : '') +
          (unread.length > 0 ? `; remove ${unread.join(', ')} (the template does not read it)` : ''),
      );
    return {
      name: dashboard.name,
      description: dashboard.description,
      serialized: bound.serialized,
      tables: bound.tables,
      ownerGroups: groupsOf(dashboard.owners),
      readerGroups: groupsOf(dashboard.readers).filter((group) => !groupsOf(dashboard.owners).includes(group)),
    };
  });
}
