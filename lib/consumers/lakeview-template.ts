/**
 * A Databricks AI/BI (Lakeview) dashboard kept in the repository as its `.lvdash.json` export, and bound to
 * one environment at synth. The committed template names each table by its layer schema and table only
 * (`gold.agg_daily_revenue`), never by a catalog, so the same file is the dashboard of every environment:
 * binding puts the environment's catalog in front of each table (`acme_dev.gold.agg_daily_revenue`) and
 * refuses, naming the file, the dataset and the table, any reference that is not a gold table of the dbt
 * contracts. What a dataset's query may read is thus the gold contracts; the columns it names are checked
 * against them by `test/spark/test_dashboard_queries.py` (sqlglot, Databricks dialect).
 */
import { qualifiedTableName, unityCatalogLayerSchema } from '../naming';

/** A dataset of a Lakeview dashboard: a named SQL query the widgets read. */
export interface LakeviewDataset {
  readonly name: string;
  readonly displayName?: string;
  /** The query as the export writes it: lines, each with its own line break. */
  readonly queryLines?: readonly string[];
  /** The query as one string (older exports). */
  readonly query?: string;
}

/** The parts of a `.lvdash.json` the platform reads; everything else is kept as it is. */
export interface LakeviewTemplate {
  /** Where the template came from, for error messages. */
  readonly file: string;
  readonly datasets: readonly LakeviewDataset[];
  /** The whole document, as parsed. */
  readonly document: Readonly<Record<string, unknown>>;
}

/** A table a dataset's query reads, as written in the template. */
export interface TemplateTableReference {
  readonly dataset: string;
  readonly schema: string;
  readonly table: string;
}

/** The layer whose tables a dashboard may read. */
export const DASHBOARD_LAYER = 'gold';

// A table after FROM or JOIN: up to three dot-separated identifiers, each bare or in backquotes.
const IDENTIFIER = '(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)';
const TABLE_REFERENCE = new RegExp(`\\b(FROM|JOIN)\\s+(${IDENTIFIER}(?:\\s*\\.\\s*${IDENTIFIER}){0,2})`, 'gi');

const unquote = (identifier: string) => identifier.trim().replace(/^`|`$/g, '');

/** The SQL of a dataset, whichever form the export used. */
export function datasetQuery(dataset: LakeviewDataset): string {
  return dataset.queryLines ? dataset.queryLines.join('') : (dataset.query ?? '');
}

/** Parses a `.lvdash.json` document; fails, naming the file and what is wrong, on anything that is not a dashboard with named queries. */
export function parseLakeviewTemplate(text: string, file: string): LakeviewTemplate {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`dashboard template ${file}: not JSON (${(error as Error).message})`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error(`dashboard template ${file}: must be a JSON object`);
  const { datasets, pages } = document as { datasets?: unknown; pages?: unknown };
  if (!Array.isArray(pages) || pages.length === 0) throw new Error(`dashboard template ${file}: "pages" must list at least one page`);
  if (!Array.isArray(datasets) || datasets.length === 0) throw new Error(`dashboard template ${file}: "datasets" must list at least one dataset`);
  const names = new Set<string>();
  for (const [index, dataset] of (datasets as LakeviewDataset[]).entries()) {
    const where = `dashboard template ${file}: datasets[${index}]`;
    if (typeof dataset?.name !== 'string' || dataset.name === '') throw new Error(`${where} has no "name"`);
    if (names.has(dataset.name)) throw new Error(`${where}: name "${dataset.name}" is used twice`);
    names.add(dataset.name);
    const lines = dataset.queryLines;
    if (lines !== undefined && (!Array.isArray(lines) || lines.some((line) => typeof line !== 'string')))
      throw new Error(`${where} ("${dataset.name}"): "queryLines" must be a list of strings`);
    if (datasetQuery(dataset).trim() === '') throw new Error(`${where} ("${dataset.name}") has no query ("queryLines" or "query")`);
  }
  return { file, datasets: datasets as LakeviewDataset[], document: document as Record<string, unknown> };
}

/**
 * The tables each dataset of the template reads, in order. A single name after FROM is not a table of
 * the catalog (a common table expression, `EXTRACT(YEAR FROM order_date)`); an unqualified table would
 * not resolve on the warehouse, and the query test refuses it.
 */
export function templateTableReferences(template: LakeviewTemplate): TemplateTableReference[] {
  return template.datasets.flatMap((dataset) => {
    const sql = datasetQuery(dataset);
    return [...sql.matchAll(TABLE_REFERENCE)].flatMap((match) => {
      const parts = match[2].split('.').map(unquote);
      if (parts.length === 1) return [];
      if (parts.length !== 2)
        throw new Error(
          `dashboard template ${template.file}: dataset "${dataset.name}" reads "${match[2].trim()}"; name tables as <schema>.<table> ` +
            `(e.g. ${DASHBOARD_LAYER}.agg_daily_revenue), without a catalog: each environment binds its own`,
        );
      return [{ dataset: dataset.name, schema: parts[0], table: parts[1] }];
    });
  });
}

/** The dashboard of one environment: the template's serialized JSON with its catalog, and the gold tables it reads. */
export interface BoundLakeviewDashboard {
  /** `serialized_dashboard` of `databricks_dashboard`. */
  readonly serialized: string;
  /** Fully qualified names of the tables its queries read, sorted. */
  readonly tables: readonly string[];
  /** The gold models (table names) its queries read, sorted. */
  readonly models: readonly string[];
}

/**
 * Binds a template to an environment's catalog. `goldTables` are the tables the gold layer has (the dbt
 * gold contracts); a query reading anything else (another layer, a table that is not a gold model) is refused.
 */
export function bindLakeviewTemplate(template: LakeviewTemplate, catalog: string, goldTables: readonly string[]): BoundLakeviewDashboard {
  const schema = unityCatalogLayerSchema(DASHBOARD_LAYER);
  const references = templateTableReferences(template);
  for (const reference of references) {
    if (reference.schema !== schema || !goldTables.includes(reference.table))
      throw new Error(
        `dashboard template ${template.file}: dataset "${reference.dataset}" reads ${reference.schema}.${reference.table}, which is not a ` +
          `${DASHBOARD_LAYER} table; dashboards read ${schema}.<model> of the dbt gold contracts: ${[...goldTables].sort().join(', ')}`,
      );
  }
  const qualify = (sql: string) =>
    sql.replace(TABLE_REFERENCE, (whole, keyword: string, name: string) => {
      const parts = name.split('.').map(unquote);
      if (parts.length !== 2) return whole;
      return `${keyword} ${qualifiedTableName(catalog, { schema: parts[0], table: parts[1] })}`;
    });
  const datasets = template.datasets.map((dataset) => {
    const bound: Record<string, unknown> = { ...dataset };
    if (dataset.queryLines) bound.queryLines = qualify(dataset.queryLines.join('')).split(/(?<=\n)/);
    else bound.query = qualify(dataset.query ?? '');
    return bound;
  });
  const models = [...new Set(references.map((reference) => reference.table))].sort();
  return {
    serialized: JSON.stringify({ ...template.document, datasets }),
    tables: models.map((table) => qualifiedTableName(catalog, { schema, table })),
    models,
  };
}
