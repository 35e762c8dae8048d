/**
 * What a caller of the gold API may ask, checked before anything reaches Athena: the table must be one
 * the definition exposes, filters only its allow-listed columns, each value well-formed for the column's
 * type, the page size within the limit, the query id a UUID. The SQL is built from the allow-list alone
 * (identifiers from the definition, quoted); every caller value travels as an Athena execution parameter,
 * never as SQL text. Pure: no AWS SDK here, so the rules are tested on their own.
 */

/** One exposed table as the function receives it (from the definition, through its environment). */
export interface ExposedTable {
  /** Glue database of the gold layer. */
  readonly database: string;
  /** Table name in it (the dataset name). */
  readonly table: string;
  /** Filterable columns with their types, e.g. `{ customer_id: 'bigint', ordered_at: 'timestamp' }`. */
  readonly filters: Readonly<Record<string, string>>;
}

/** The function's configuration (environment variable `GOLD_API_CONFIG`, JSON). */
export interface GoldApiConfig {
  /** The environment's enforced Athena workgroup. */
  readonly workgroup: string;
  /** Most rows a page may hold. */
  readonly maxPageSize: number;
  /** Rows a page holds when the caller does not say. */
  readonly defaultPageSize: number;
  /** Exposed tables by their API name (the dataset name). */
  readonly tables: Readonly<Record<string, ExposedTable>>;
}

/** A request the caller got wrong: answered with 400 (or 404) and the message, never retried. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 404 = 400,
  ) {
    super(message);
  }
}

/** A filter on one column: equal to a value, or within a range (either end optional, both inclusive). */
export type FilterValue = string | number | boolean | { readonly from?: string | number; readonly to?: string | number };

/** A query ready for Athena: SQL with `?` placeholders and the values for them, in order. */
export interface PlannedQuery {
  readonly sql: string;
  readonly parameters: readonly string[];
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,127}$/;
const QUERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Longest value a filter accepts: no key of a gold table is longer, and a long value is an attack, not a question. */
export const MAX_VALUE_LENGTH = 256;
/** Most filters one request may carry (each becomes one or two parameters). */
export const MAX_FILTERS = 16;

/** Rules per column type: what a value must look like, in words for the error. */
const VALUE_RULES: ReadonlyArray<{ readonly type: RegExp; readonly value: RegExp; readonly mustBe: string }> = [
  { type: /^(int|bigint)$/, value: /^-?[0-9]{1,19}$/, mustBe: 'a whole number' },
  { type: /^(double|decimal\(\d+,\d+\))$/, value: /^-?[0-9]{1,38}(\.[0-9]{1,38})?$/, mustBe: 'a decimal number such as 12.50' },
  { type: /^boolean$/, value: /^(true|false)$/, mustBe: 'true or false' },
  { type: /^date$/, value: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, mustBe: 'a date YYYY-MM-DD' },
  {
    type: /^timestamp$/,
    value: /^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?$/,
    mustBe: 'a timestamp YYYY-MM-DD[THH:MM[:SS[.ffffff]]] (UTC)',
  },
  // A string may hold anything printable; it is quoted as a literal below, and never leaves the parameter.
  { type: /^string$/, value: /^[^\p{Cc}]*$/u, mustBe: 'text without control characters' },
];

/** The exposed table a request names; unknown names are a 404 listing what exists. */
export function exposedTable(config: GoldApiConfig, name: unknown): ExposedTable {
  if (typeof name === 'string' && Object.hasOwn(config.tables, name)) return config.tables[name];
  throw new RequestError(`table ${JSON.stringify(name)} is not exposed by this API; tables: ${Object.keys(config.tables).sort().join(', ')}`, 404);
}

/** The page size a request asks for (query string or body), within 1..maxPageSize; the default when absent. */
export function pageSize(config: GoldApiConfig, value: unknown): number {
  if (value === undefined || value === null || value === '') return config.defaultPageSize;
  const text = String(value);
  if (!/^[0-9]{1,7}$/.test(text) || Number(text) < 1 || Number(text) > config.maxPageSize)
    throw new RequestError(`pageSize ${JSON.stringify(value)} must be a whole number from 1 to ${config.maxPageSize}`);
  return Number(text);
}

/** A query id from the path: Athena's query execution ids are UUIDs. */
export function queryId(value: unknown): string {
  if (typeof value === 'string' && QUERY_ID.test(value)) return value;
  throw new RequestError(`query id ${JSON.stringify(value)} must be the queryId a POST returned (a lowercase UUID)`);
}

/** Athena's opaque pagination token, passed back as given; bounded so that it cannot carry a payload. */
export function nextToken(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && value.length <= 2048 && /^[A-Za-z0-9+/=_-]+$/.test(value)) return value;
  throw new RequestError('nextToken must be the nextToken of the previous page, unchanged');
}

/** `'text'` with every quote doubled: Athena reads the parameter as one string literal, whatever it holds. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function checkedValue(column: string, type: string, value: unknown, where: string): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new RequestError(`${where} must be a string, number or boolean, not ${JSON.stringify(value)}`);
  const text = String(value);
  if (text.length > MAX_VALUE_LENGTH) throw new RequestError(`${where} is ${text.length} characters long; at most ${MAX_VALUE_LENGTH}`);
  const rule = VALUE_RULES.find((candidate) => candidate.type.test(type));
  if (!rule) throw new RequestError(`${where}: column ${column} (${type}) cannot be filtered on`);
  if (!rule.value.test(text)) throw new RequestError(`${where} ${JSON.stringify(text)} must be ${rule.mustBe} (column ${column} is ${type})`);
  // Athena's timestamp literal separates date and time with a space.
  return literal(type === 'timestamp' ? text.replace('T', ' ') : text);
}

/**
 * `SELECT * FROM "<database>"."<table>" WHERE "<column>" = CAST(? AS <type>) ...`, with a parameter per `?`.
 * Only allow-listed columns may be filtered; their names and types come from the definition, never from
 * the request. Sorted by column so that the same question is the same SQL.
 */
export function plannedQuery(table: ExposedTable, filters: unknown): PlannedQuery {
  if (filters !== undefined && (typeof filters !== 'object' || filters === null || Array.isArray(filters)))
    throw new RequestError(`filters must be an object of column: value, not ${JSON.stringify(filters)}`);
  const entries = Object.entries((filters ?? {}) as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length > MAX_FILTERS) throw new RequestError(`filters names ${entries.length} columns; at most ${MAX_FILTERS}`);
  const conditions: string[] = [];
  const parameters: string[] = [];
  for (const [column, value] of entries) {
    if (!IDENTIFIER.test(column) || !Object.hasOwn(table.filters, column)) {
      const allowed = Object.keys(table.filters).sort().join(', ') || '(none)';
      throw new RequestError(`filters.${column.slice(0, 64)}: not a column this table may be filtered on; columns: ${allowed}`);
    }
    const type = table.filters[column];
    const cast = `CAST(? AS ${type})`;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const range = value as Record<string, unknown>;
      const extra = Object.keys(range).filter((key) => key !== 'from' && key !== 'to');
      if (extra.length > 0 || (range.from === undefined && range.to === undefined))
        throw new RequestError(`filters.${column} must be a value or a range { "from": ..., "to": ... } (either end may be left out)`);
      if (range.from !== undefined) {
        conditions.push(`"${column}" >= ${cast}`);
        parameters.push(checkedValue(column, type, range.from, `filters.${column}.from`));
      }
      if (range.to !== undefined) {
        conditions.push(`"${column}" <= ${cast}`);
        parameters.push(checkedValue(column, type, range.to, `filters.${column}.to`));
      }
    } else {
      conditions.push(`"${column}" = ${cast}`);
      parameters.push(checkedValue(column, type, value, `filters.${column}`));
    }
  }
  const sql = `${selectFrom(table)}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  return { sql, parameters };
}

/** `SELECT * FROM "<database>"."<table>"`: how every query of a table begins, and how a query id is tied to its table. */
export function selectFrom(table: ExposedTable): string {
  if (!IDENTIFIER.test(table.database) || !IDENTIFIER.test(table.table))
    throw new Error(`configuration: ${table.database}.${table.table} is not a plain identifier`);
  return `SELECT * FROM "${table.database}"."${table.table}"`;
}

/** The function's configuration from its environment; a broken one is a deployment error, said plainly. */
export function parseConfig(text: string | undefined): GoldApiConfig {
  if (!text) throw new Error('GOLD_API_CONFIG is not set');
  const config = JSON.parse(text) as GoldApiConfig;
  if (typeof config.workgroup !== 'string' || !config.tables || typeof config.maxPageSize !== 'number')
    throw new Error('GOLD_API_CONFIG must give workgroup, maxPageSize and tables');
  return config;
}
