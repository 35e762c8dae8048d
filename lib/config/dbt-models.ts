import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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
