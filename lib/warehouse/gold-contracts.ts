/**
 * The contracts of the dbt project's gold models, read from their YAML (`models/gold/**\/_*__models.yml`):
 * the columns with their `data_type`, which are NOT NULL, and the primary key where one is declared.
 * These are the table definitions of the warehouse (`warehouse-tables.ts`), so a gold table is defined once,
 * in dbt, and Azure SQL follows it. Reads the committed project; offline.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { DBT_PROJECT_DIRECTORY, dbtModelNames } from '../config/dbt-models';

/** One column of a gold contract. */
export interface ContractColumn {
  readonly name: string;
  /** The contract's `data_type`, as dbt gives it to Spark (`bigint`, `decimal(18,2)`, `string`...). */
  readonly dataType: string;
  /** Whether the contract declares `not_null` (or the column is part of the primary key). */
  readonly notNull: boolean;
}

/** The enforced contract of one gold model. */
export interface GoldContract {
  readonly model: string;
  /** The YAML file that declares it, relative to the dbt project (`models/gold/sales/_sales__models.yml`). */
  readonly file: string;
  readonly columns: readonly ContractColumn[];
  /** Columns of the declared primary key, in order; empty when none is declared. */
  readonly primaryKey: readonly string[];
}

interface YamlConstraint {
  readonly type?: string;
  readonly columns?: readonly string[];
}
interface YamlColumn {
  readonly name?: string;
  readonly data_type?: string;
  readonly constraints?: readonly YamlConstraint[];
}
interface YamlModel {
  readonly name?: string;
  readonly config?: { readonly contract?: { readonly enforced?: boolean } };
  readonly constraints?: readonly YamlConstraint[];
  readonly columns?: readonly YamlColumn[];
}

function modelFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? modelFiles(join(directory, entry.name)) : /^_.*\.ya?ml$/.test(entry.name) ? [join(directory, entry.name)] : []))
    .sort();
}

/** The contract of one model entry of a YAML file; fails, naming the model and file, on a contract the warehouse cannot follow. */
export function contractOf(model: YamlModel, file: string): GoldContract {
  const name = String(model.name);
  if (model.config?.contract?.enforced !== true)
    throw new Error(`gold model ${name} (${file}) has no enforced contract (config: {contract: {enforced: true}}); the warehouse tables are its contract`);
  const columns = model.columns ?? [];
  if (columns.length === 0) throw new Error(`gold model ${name} (${file}) declares no columns; its contract must list every column with a data_type`);
  const declaredKeys = [
    ...columns.filter((column) => column.constraints?.some((c) => c.type === 'primary_key')).map((column) => [String(column.name)]),
    ...(model.constraints ?? []).filter((c) => c.type === 'primary_key').map((c) => [...(c.columns ?? [])]),
  ];
  if (declaredKeys.length > 1) throw new Error(`gold model ${name} (${file}) declares ${declaredKeys.length} primary keys; a table has at most one`);
  const primaryKey = declaredKeys[0] ?? [];
  const names = columns.map((column) => String(column.name));
  const unknownKey = primaryKey.find((key) => !names.includes(key));
  if (unknownKey !== undefined || (declaredKeys.length === 1 && primaryKey.length === 0))
    throw new Error(`gold model ${name} (${file}): primary key column "${unknownKey ?? ''}" is not a column of the contract; columns: ${names.join(', ')}`);
  return {
    model: name,
    file,
    primaryKey,
    columns: columns.map((column) => {
      if (typeof column.data_type !== 'string' || column.data_type.trim() === '')
        throw new Error(`gold model ${name} (${file}): column "${column.name}" has no data_type; an enforced contract types every column`);
      return {
        name: String(column.name),
        dataType: column.data_type.trim().toLowerCase(),
        notNull: primaryKey.includes(String(column.name)) || (column.constraints ?? []).some((c) => c.type === 'not_null' || c.type === 'primary_key'),
      };
    }),
  };
}

/**
 * The contract of every gold model of the project, sorted by model name. Fails when a gold model (a
 * `.sql` file under `models/gold/`) has no enforced contract, or a contract names no such model.
 */
export function readGoldContracts(projectDirectory: string = DBT_PROJECT_DIRECTORY): GoldContract[] {
  const contracts = new Map<string, GoldContract>();
  for (const path of modelFiles(join(projectDirectory, 'models', 'gold'))) {
    const file = relative(projectDirectory, path).split(sep).join('/');
    const document = (parse(readFileSync(path, 'utf8')) ?? {}) as { models?: readonly YamlModel[] };
    for (const model of document.models ?? []) {
      if (contracts.has(String(model.name)))
        throw new Error(`gold model ${model.name} is declared twice (${contracts.get(String(model.name))!.file}, ${file})`);
      contracts.set(String(model.name), contractOf(model, file));
    }
  }
  const models = dbtModelNames('gold', projectDirectory);
  const uncontracted = models.filter((model) => !contracts.has(model));
  if (uncontracted.length > 0)
    throw new Error(`gold models without a contract in a models/gold/**/_*__models.yml file: ${uncontracted.join(', ')}; the warehouse loads every gold model`);
  const orphans = [...contracts.keys()].filter((model) => !models.includes(model));
  if (orphans.length > 0) throw new Error(`gold contracts of models that do not exist (no .sql file): ${orphans.join(', ')}`);
  return [...contracts.values()].sort((a, b) => a.model.localeCompare(b.model));
}
