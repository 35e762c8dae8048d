/**
 * The warehouse's gold tables, generated from the gold contracts (`gold-contracts.ts`): per model a
 * `CREATE TABLE` in schema `gold`, and the load plan the warehouse load job reads (columns, key, DDL and
 * the statements that replace a table's rows from its staging table in one transaction).
 *
 * Two dialects: `tsql` (Azure SQL Database, what the platform deploys) and `postgres` (the local
 * PostgreSQL the load is tested against). Both render the same contract; only the type names, quoting
 * and the names `information_schema` reports differ.
 *
 * Contract type -> T-SQL / PostgreSQL (`information_schema.columns.data_type` in brackets):
 *
 * | contract (Spark)            | T-SQL                               | PostgreSQL                            |
 * |-----------------------------|-------------------------------------|---------------------------------------|
 * | `bigint`, `long`            | BIGINT [bigint]                     | bigint [bigint]                       |
 * | `int`, `integer`            | INT [int]                           | integer [integer]                     |
 * | `smallint`, `short`         | SMALLINT [smallint]                 | smallint [smallint]                   |
 * | `tinyint`, `byte`           | SMALLINT [smallint] (T-SQL's TINYINT is unsigned; Spark's is -128..127) | smallint  |
 * | `boolean`                   | BIT [bit]                           | boolean [boolean]                     |
 * | `string`                    | NVARCHAR(MAX) [nvarchar]; NVARCHAR(450) in a primary key (900 bytes, the index key limit) | text [text] |
 * | `date`                      | DATE [date]                         | date [date]                           |
 * | `timestamp`, `timestamp_ntz`| DATETIME2(6) [datetime2] (UTC; Spark keeps microseconds) | timestamp(6) [timestamp without time zone] |
 * | `decimal(p,s)`, `numeric`   | DECIMAL(p,s) [decimal], p 1-38      | numeric(p,s) [numeric]                |
 * | `double`                    | FLOAT [float]                       | double precision [double precision]   |
 * | `float`, `real`             | REAL [real]                         | real [real]                           |
 *
 * Any other type (arrays, maps, structs, binary, intervals...) is refused with the model, column and
 * type named: a BI table in Azure SQL has scalar columns.
 */
import type { ContractColumn, GoldContract } from './gold-contracts';

/** The SQL dialects the tables are rendered in. */
export const WAREHOUSE_DIALECTS = ['tsql', 'postgres'] as const;
export type WarehouseDialect = (typeof WAREHOUSE_DIALECTS)[number];

/** The schema of the gold tables in the warehouse database. */
export const WAREHOUSE_GOLD_SCHEMA = 'gold';

/** Suffix of the table a load writes before it replaces the target's rows. */
export const STAGING_SUFFIX = '__load';

/** Version of the load plan; warehouse_load.py refuses others. */
export const WAREHOUSE_LOAD_PLAN_VERSION = 1;

/** A column as the warehouse has it. */
export interface WarehouseColumn {
  readonly name: string;
  /** The contract's type (what the gold table in the lake has). */
  readonly contractType: string;
  /** The column type in the dialect's DDL. */
  readonly sqlType: string;
  /** What `information_schema.columns.data_type` reports for it (lower case), to detect drift. */
  readonly catalogType: string;
  /** Precision and scale of a decimal column (`information_schema.columns.numeric_precision/_scale`). */
  readonly precision?: number;
  readonly scale?: number;
  readonly nullable: boolean;
}

/** One gold table in the load plan. */
export interface WarehouseTablePlan {
  /** The gold model, which is also the table name in the lake (`<catalog>.gold.<name>`) and in the warehouse. */
  readonly name: string;
  /** `gold.<name>`, quoted for the dialect. */
  readonly target: string;
  /** `gold.<name>__load`, quoted for the dialect. */
  readonly staging: string;
  readonly columns: readonly WarehouseColumn[];
  readonly primaryKey: readonly string[];
  /** `CREATE TABLE` of the target, from the contract. */
  readonly createTable: string;
  /** The same definition for the staging table. */
  readonly createStaging: string;
  readonly dropStaging: string;
  /** Run in one transaction: the target's rows become the staging table's, and the staging table goes. */
  readonly replaceFromStaging: readonly string[];
}

/** The plan file the warehouse load job reads. */
export interface WarehouseLoadPlan {
  readonly version: typeof WAREHOUSE_LOAD_PLAN_VERSION;
  readonly dialect: WarehouseDialect;
  readonly schema: string;
  readonly tables: readonly WarehouseTablePlan[];
}

interface TypeMapping {
  readonly sqlType: string;
  readonly catalogType: string;
  readonly precision?: number;
  readonly scale?: number;
}

const SIMPLE_TYPES: Readonly<Record<string, Readonly<Record<WarehouseDialect, readonly [string, string]>>>> = {
  bigint: { tsql: ['BIGINT', 'bigint'], postgres: ['bigint', 'bigint'] },
  int: { tsql: ['INT', 'int'], postgres: ['integer', 'integer'] },
  smallint: { tsql: ['SMALLINT', 'smallint'], postgres: ['smallint', 'smallint'] },
  boolean: { tsql: ['BIT', 'bit'], postgres: ['boolean', 'boolean'] },
  string: { tsql: ['NVARCHAR(MAX)', 'nvarchar'], postgres: ['text', 'text'] },
  date: { tsql: ['DATE', 'date'], postgres: ['date', 'date'] },
  timestamp: { tsql: ['DATETIME2(6)', 'datetime2'], postgres: ['timestamp(6)', 'timestamp without time zone'] },
  double: { tsql: ['FLOAT', 'float'], postgres: ['double precision', 'double precision'] },
  real: { tsql: ['REAL', 'real'], postgres: ['real', 'real'] },
};
const ALIASES: Readonly<Record<string, string>> = {
  long: 'bigint',
  integer: 'int',
  short: 'smallint',
  tinyint: 'smallint',
  byte: 'smallint',
  timestamp_ntz: 'timestamp',
  float: 'real',
};
const DECIMAL = /^(?:decimal|numeric|dec)(?:\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/;
/** The contract types the warehouse maps, for error messages. */
export const SUPPORTED_CONTRACT_TYPES = [...Object.keys(SIMPLE_TYPES), ...Object.keys(ALIASES), 'decimal(p,s)'].sort();

/** T-SQL's index key limit is 900 bytes for a clustered key: 450 UTF-16 characters. */
const TSQL_KEY_STRING = 'NVARCHAR(450)';

/** The type of one contract column in a dialect; fails, naming model, column and type, on a type the warehouse has no column for. */
export function warehouseColumnType(model: string, column: ContractColumn, dialect: WarehouseDialect, inPrimaryKey = false): TypeMapping {
  const type = column.dataType.trim().toLowerCase();
  const decimal = DECIMAL.exec(type);
  if (decimal) {
    // Spark's default decimal is decimal(10,0).
    const precision = decimal[1] === undefined ? 10 : Number(decimal[1]);
    const scale = decimal[2] === undefined ? 0 : Number(decimal[2]);
    if (precision < 1 || precision > 38 || scale > precision)
      throw new Error(
        `gold model ${model}, column ${column.name}: type "${column.dataType}" needs a precision of 1 to 38 and a scale of at most the precision`,
      );
    return dialect === 'tsql'
      ? { sqlType: `DECIMAL(${precision},${scale})`, catalogType: 'decimal', precision, scale }
      : { sqlType: `numeric(${precision},${scale})`, catalogType: 'numeric', precision, scale };
  }
  const simple = SIMPLE_TYPES[ALIASES[type] ?? type];
  if (!simple)
    throw new Error(
      `gold model ${model}, column ${column.name}: contract type "${column.dataType}" has no warehouse column type; ` +
        `supported: ${SUPPORTED_CONTRACT_TYPES.join(', ')}`,
    );
  const [sqlType, catalogType] = simple[dialect];
  return { sqlType: dialect === 'tsql' && inPrimaryKey && sqlType === 'NVARCHAR(MAX)' ? TSQL_KEY_STRING : sqlType, catalogType };
}

/** An identifier quoted for the dialect; fails on a name either dialect would need to escape (contract names are plain). */
export function quoteIdentifier(name: string, dialect: WarehouseDialect): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain SQL identifier (letters, digits, underscores)`);
  return dialect === 'tsql' ? `[${name}]` : `"${name}"`;
}

function createTable(table: string, columns: readonly WarehouseColumn[], primaryKey: readonly string[], dialect: WarehouseDialect): string {
  const q = (name: string) => quoteIdentifier(name, dialect);
  const lines = columns.map((column) => `  ${q(column.name)} ${column.sqlType}${column.nullable ? ' NULL' : ' NOT NULL'}`);
  if (primaryKey.length > 0) lines.push(`  PRIMARY KEY (${primaryKey.map(q).join(', ')})`);
  return `CREATE TABLE ${table} (\n${lines.join(',\n')}\n)`;
}

/** The plan of one gold table in a dialect. */
export function warehouseTablePlan(contract: GoldContract, dialect: WarehouseDialect): WarehouseTablePlan {
  const q = (name: string) => quoteIdentifier(name, dialect);
  const columns: WarehouseColumn[] = contract.columns.map((column) => ({
    name: column.name,
    contractType: column.dataType,
    ...warehouseColumnType(contract.model, column, dialect, contract.primaryKey.includes(column.name)),
    nullable: !column.notNull,
  }));
  const target = `${q(WAREHOUSE_GOLD_SCHEMA)}.${q(contract.model)}`;
  const staging = `${q(WAREHOUSE_GOLD_SCHEMA)}.${q(contract.model + STAGING_SUFFIX)}`;
  const list = columns.map((column) => q(column.name)).join(', ');
  return {
    name: contract.model,
    target,
    staging,
    columns,
    primaryKey: [...contract.primaryKey],
    createTable: createTable(target, columns, contract.primaryKey, dialect),
    createStaging: createTable(staging, columns, contract.primaryKey, dialect),
    dropStaging: `DROP TABLE IF EXISTS ${staging}`,
    // DELETE rather than TRUNCATE: readers under snapshot isolation (Azure SQL's default
    // READ_COMMITTED_SNAPSHOT) keep reading the previous rows until the commit instead of waiting on a schema lock.
    replaceFromStaging: [`DELETE FROM ${target}`, `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staging}`, `DROP TABLE ${staging}`],
  };
}

/** The load plan of every gold contract in a dialect. */
export function warehouseLoadPlan(contracts: readonly GoldContract[], dialect: WarehouseDialect): WarehouseLoadPlan {
  if (contracts.length === 0) throw new Error('warehouseLoadPlan: no gold contracts; the warehouse load needs at least one gold model');
  return {
    version: WAREHOUSE_LOAD_PLAN_VERSION,
    dialect,
    schema: WAREHOUSE_GOLD_SCHEMA,
    tables: contracts.map((contract) => warehouseTablePlan(contract, dialect)),
  };
}
