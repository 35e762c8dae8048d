/**
 * Which datasets' data each model of the dbt project holds: its `source()` calls, and through its
 * `ref()` calls the sources of every model it reads, transitively. The grants of a model follow from
 * it (`dbtModelGrants`): a model that joins `customers` and `orders` is readable by those who read both.
 *
 * Read from the SQL text, as dbt's own static parser reads it: `ref('model')`, `ref('package', 'model')`,
 * `source('domain', 'dataset')`, anywhere outside Jinja comments (a call in a SQL comment is still a
 * dependency for dbt). Macros are not traced; the project's macros reference seeds only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { type DatasetConfig, LAYERS, type Layer } from '../definition';

/** A model's SQL file, by its path under `models/` (`gold/sales/fct_orders.sql`). */
export interface DbtModelFile {
  readonly path: string;
  readonly sql: string;
}

/** The dbt project as far as lineage goes: its models, its seeds and each layer's default materialization. */
export interface DbtProjectFiles {
  readonly models: readonly DbtModelFile[];
  /** Seed names (reference data; they hold no dataset's data). */
  readonly seeds: readonly string[];
  /** `+materialized` of each layer folder in dbt_project.yml. */
  readonly materializations: Readonly<Record<Layer, string>>;
}

/** A model with its layer, materialization and the datasets whose data it holds, sorted. */
export interface ModelLineage {
  readonly name: string;
  /** The folder under `models/`: the layer schema the model lands in. */
  readonly layer: Layer;
  /** `view`, `table`, `incremental`, `ephemeral`, ... (the model's `config()`, else its layer's default). */
  readonly materialized: string;
  readonly datasets: readonly string[];
}

const JINJA_COMMENT = /\{#[\s\S]*?#\}/g;
const REF = /\bref\(\s*(['"])([^'"]+)\1(?:\s*,\s*(['"])([^'"]+)\3)?/g;
const SOURCE = /\bsource\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3/g;
const MATERIALIZED = /\bmaterialized\s*=\s*(['"])([a-z_]+)\1/;

/** The project under `projectDirectory`: every model's SQL, the seeds and the layers' materializations (dbt_project.yml). */
export function readDbtProjectFiles(projectDirectory: string): DbtProjectFiles {
  const walk = (directory: string, extension: string): string[] =>
    existsSync(directory)
      ? readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? walk(join(directory, entry.name), extension) : entry.name.endsWith(extension) ? [join(directory, entry.name)] : [],
        )
      : [];
  const modelsDirectory = join(projectDirectory, 'models');
  const models = walk(modelsDirectory, '.sql')
    .sort()
    .map((file) => ({ path: relative(modelsDirectory, file).split(sep).join('/'), sql: readFileSync(file, 'utf8') }));
  const seeds = walk(join(projectDirectory, 'seeds'), '.csv').map((file) => file.slice(file.lastIndexOf(sep) + 1, -'.csv'.length));
  type FolderConfig = { readonly '+materialized'?: string } & Readonly<Record<string, unknown>>;
  const project = parse(readFileSync(join(projectDirectory, 'dbt_project.yml'), 'utf8')) as {
    name: string;
    models?: Record<string, FolderConfig & Partial<Record<Layer, FolderConfig>>>;
  };
  const folders = project.models?.[project.name];
  // dbt's own default is a view.
  const materializations = Object.fromEntries(
    LAYERS.map((layer) => [layer, String(folders?.[layer]?.['+materialized'] ?? folders?.['+materialized'] ?? 'view')]),
  ) as Record<Layer, string>;
  return { models, seeds, materializations };
}

/**
 * The lineage of every model of the project, in the order of its files. Sources are the generated ones:
 * `source('<domain>', '<dataset>')`. Fails, naming the model and the call, on a model outside a layer
 * folder, a source that is not a dataset of the definition, or a ref to something that is neither a
 * model nor a seed.
 */
export function modelLineage(project: DbtProjectFiles, config: { readonly datasets: readonly Pick<DatasetConfig, 'name' | 'domain'>[] }): ModelLineage[] {
  const parsed = new Map<string, { layer: Layer; materialized: string; refs: string[]; datasets: string[] }>();
  for (const file of project.models) {
    const [folder] = file.path.split('/');
    if (!LAYERS.includes(folder as Layer))
      throw new Error(`dbt model ${file.path}: models live under models/<layer>/ with layer one of ${LAYERS.join(', ')}, not "${folder}"`);
    const name = file.path.slice(file.path.lastIndexOf('/') + 1, -'.sql'.length);
    if (parsed.has(name)) throw new Error(`dbt model ${file.path}: another model is also called "${name}"`);
    const sql = file.sql.replace(JINJA_COMMENT, '');
    const datasets = [...sql.matchAll(SOURCE)].map((match) => {
      const [domain, table] = [match[2], match[4]];
      const dataset = config.datasets.find((candidate) => candidate.name === table && candidate.domain === domain);
      if (!dataset)
        throw new Error(
          `dbt model ${file.path}: source('${domain}', '${table}') is not a dataset of the definition; sources are source('<domain>', '<dataset>'): ` +
            config.datasets.map((d) => `source('${d.domain}', '${d.name}')`).join(', '),
        );
      return dataset.name;
    });
    parsed.set(name, {
      layer: folder as Layer,
      materialized: MATERIALIZED.exec(sql)?.[2] ?? project.materializations[folder as Layer],
      refs: [...sql.matchAll(REF)].map((match) => match[4] ?? match[2]),
      datasets,
    });
  }
  const seeds = new Set(project.seeds);
  const resolved = new Map<string, readonly string[]>();
  const datasetsOf = (name: string, path: readonly string[]): readonly string[] => {
    const known = resolved.get(name);
    if (known) return known;
    const model = parsed.get(name)!;
    if (path.includes(name)) throw new Error(`dbt models ref each other in a cycle: ${[...path, name].join(' -> ')}`);
    const datasets = new Set(model.datasets);
    for (const ref of model.refs) {
      if (parsed.has(ref)) datasetsOf(ref, [...path, name]).forEach((dataset) => datasets.add(dataset));
      else if (!seeds.has(ref)) throw new Error(`dbt model ${name}: ref('${ref}') is neither a model nor a seed of the project`);
    }
    const sorted = [...datasets].sort();
    resolved.set(name, sorted);
    return sorted;
  };
  return [...parsed].map(([name, model]) => ({ name, layer: model.layer, materialized: model.materialized, datasets: datasetsOf(name, []) }));
}
