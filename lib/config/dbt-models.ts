import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { modelLineage, readDbtProjectFiles } from '../dbt/lineage';
import type { DatasetConfig } from '../definition';

/** The dbt project of this repository (models under `models/<layer>/<domain>/`). */
export const DBT_PROJECT_DIRECTORY = join(__dirname, '..', '..', 'dbt');

/**
 * The models of one layer of the repository's dbt project, by name (file name without `.sql`), so
 * that the definition can refer to gold models (ML feature tables) and have the reference checked at
 * validation rather than when a Databricks job first fails. Reads the committed project; offline.
 */
export function dbtModelNames(layer: string, projectDirectory: string = DBT_PROJECT_DIRECTORY): string[] {
  const root = join(projectDirectory, 'models', layer);
  const names: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(directory, entry.name));
      else if (entry.name.endsWith('.sql')) names.push(entry.name.slice(0, -'.sql'.length));
    }
  };
  try {
    walk(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return names.sort();
}

/**
 * The datasets whose data each gold model of the repository's dbt project holds (its lineage through
 * `source()` and `ref()`), by model name, so that a consumer of a model can be held to the datasets'
 * classification and access. A project the lineage cannot read (a source that is no dataset, a ref
 * cycle) gives the reason instead.
 */
export function goldModelLineage(
  definition: { readonly datasets: readonly Pick<DatasetConfig, 'name' | 'domain'>[] },
  projectDirectory: string = DBT_PROJECT_DIRECTORY,
): ReadonlyMap<string, readonly string[]> | string {
  try {
    const lineage = modelLineage(readDbtProjectFiles(projectDirectory), definition);
    return new Map(lineage.filter((model) => model.layer === 'gold').map((model) => [model.name, model.datasets]));
  } catch (error) {
    return (error as Error).message;
  }
}
