import type { ColumnConfig, DatabaseEngine, DatabaseSource } from '../../lib/definition';
import { CAPTURED_ENGINES, CDC_OPERATIONS, sourceObject } from '../../lib/lake';
import { dataFactoryChangeCopyActivityName } from '../../lib/naming';
import { bronzeAdditionalColumns, bronzeOutput, bronzeSinkDataset, COPY_ACTIVITY_POLICY } from './bronze-landing';

/**
 * CDC capture on Azure: Data Factory copies a `cdc: true` database dataset from the database's own change
 * feed straight into the bronze CDC layout (lib/lake/change-capture.ts): the declared columns, `_op`
 * (`insert`, `update`, `delete`) and `_change_seq` (a bigint in commit order), then `_source`,
 * `_batch_id` (the pipeline run) and `_ingested_at`, as Parquet under
 * `bronze/<domain>/<dataset>/ingestion_date=<YYYY-MM-DD>/`, the same columns and folders as on AWS.
 *
 * Why Data Factory and these feeds: it is the service the Azure side already copies every batch dataset
 * with (managed identity, Key Vault secrets, the managed virtual network, failure alerts), and it reads
 * both engines' native change feeds with a plain query, so no connector cluster (Debezium on Kafka
 * Connect into Event Hubs) has to be run and patched beside it. Per engine:
 *
 * - PostgreSQL: logical decoding through a replication slot with the `wal2json` plugin (Azure Database
 *   for PostgreSQL ships it). The slot is the consumer's position: a run reads the changes up to the
 *   current WAL position without consuming them (`pg_logical_slot_peek_changes`), lands them, and only
 *   then advances the slot to that position, so a failed run reads the same changes again (a re-landed
 *   change keeps its `_change_seq`, and silver's MERGE takes a copy once). `_change_seq` is the change's
 *   LSN, exact within and across transactions. The slot is created once by the database owner:
 *   `SELECT pg_create_logical_replication_slot('<slot>', 'wal2json')` (name from `captureSlotName`).
 * - SQL Server: change data capture (`sys.sp_cdc_enable_table`, capture instance `<schema>_<table>`),
 *   read per tumbling window of the trigger: the changes whose transaction ended in the window
 *   (`cdc.lsn_time_mapping`), so consecutive windows neither overlap nor leave gaps, and Data Factory
 *   reruns a failed window. The trigger waits `SQL_SERVER_CAPTURE_DELAY` after each window for the capture
 *   job to harvest the log. `_change_seq` is centiseconds of the commit time × 2^24 + `__$seqval` mod 2^24,
 *   the same construction as the DMS header on AWS.
 *
 * MySQL (its binary log has no SQL interface) and Oracle are not captured on Azure; validation says so.
 */

/** How long a SQL Server window's trigger waits after the window ends, for the CDC capture job to harvest the log. */
export const SQL_SERVER_CAPTURE_DELAY = '00:15:00';

type Json = Record<string, unknown>;

/** What Data Factory needs of a captured dataset besides its copy (name, domain, source). */
export interface CapturedCopy {
  /** The declared columns, in order: the query casts each to its declared type. */
  readonly columns: readonly Pick<ColumnConfig, 'name' | 'type'>[];
  /** What `_source` records (lib/lake/layout.ts, `sourceDescription`). */
  readonly sourceDescription: string;
  /** The PostgreSQL replication slot (see `captureSlotName`); PostgreSQL sources only. */
  readonly slotName?: string;
}

/** `<prefix>_<env>_<dataset>` in lower case: the PostgreSQL replication slot of one captured dataset (at most 63 characters). */
export function captureSlotName(prefix: string, environment: string, dataset: string): string {
  const name = `${prefix}_${environment}_${dataset}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (name.length > 63) throw new Error(`replication slot ${name} is longer than PostgreSQL's 63 characters; shorten the dataset name`);
  return name;
}

const POSTGRES_TYPES: Record<string, string> = {
  string: 'text',
  int: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};
const SQL_SERVER_TYPES: Record<string, string> = {
  string: 'nvarchar(max)',
  int: 'int',
  bigint: 'bigint',
  double: 'float',
  boolean: 'bit',
  date: 'date',
  timestamp: 'datetime2',
};

function columnType(types: Record<string, string>, type: string, engine: DatabaseEngine): string {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal) return `${engine === 'postgres' ? 'numeric' : 'decimal'}(${decimal[1]},${decimal[2]})`;
  const mapped = types[type];
  if (!mapped) throw new Error(`column type ${type} has no ${engine} equivalent; types: ${Object.keys(types).join(', ')}, decimal(p,s)`);
  return mapped;
}

function quoted(identifier: string, engine: DatabaseEngine): string {
  return engine === 'postgres' ? `"${identifier}"` : `[${identifier}]`;
}

/** The `_op` of each engine's operation code, as a SQL CASE over `code`. */
function operationCase(code: string, codes: Record<keyof typeof CDC_OPERATIONS, string>): string {
  const branches = (Object.keys(CDC_OPERATIONS) as Array<keyof typeof CDC_OPERATIONS>).map((op) => `WHEN ${codes[op]} THEN '${CDC_OPERATIONS[op]}'`);
  return `CASE ${code} ${branches.join(' ')} END`;
}

/**
 * The PostgreSQL query of one run: the slot's changes of the dataset's table up to `@{upto}` (the WAL
 * position a Lookup read just before), one row per change with the declared columns typed, `_op` and
 * `_change_seq` (the LSN). Deletes carry the replica identity (the key) only.
 */
export function postgresChangeQuery(source: DatabaseSource, capture: CapturedCopy, upto: string): string {
  const object = requireObject(source);
  if (!capture.slotName) throw new Error(`source ${source.table}: a PostgreSQL capture needs its replication slot name`);
  const columns = capture.columns.map(
    (column) =>
      `(SELECT c->>'value' FROM json_array_elements(COALESCE(d->'columns', d->'identity')) c WHERE c->>'name' = '${column.name}')` +
      `::${columnType(POSTGRES_TYPES, column.type, 'postgres')} AS ${quoted(column.name, 'postgres')}`,
  );
  return (
    `SELECT ${columns.join(', ')}, ${operationCase("d->>'action'", { insert: "'I'", update: "'U'", delete: "'D'" })} AS "_op", ` +
    `(lsn - '0/0'::pg_lsn)::bigint AS "_change_seq" ` +
    `FROM (SELECT lsn, data::json AS d FROM pg_logical_slot_peek_changes('${capture.slotName}', '${upto}'::pg_lsn, NULL, ` +
    `'format-version', '2', 'include-transaction', 'false', 'add-tables', '${object.schema}.${object.table}')) changes ` +
    `WHERE d->>'action' IN ('I', 'U', 'D') ORDER BY lsn`
  );
}

/**
 * The SQL Server query of one window `[@{start}, @{end})`: the CDC changes of the dataset's capture
 * instance whose transaction ended in the window (update before-images left out), with `_op` and
 * `_change_seq`.
 */
export function sqlServerChangeQuery(source: DatabaseSource, capture: CapturedCopy, start: string, end: string): string {
  const object = requireObject(source);
  const columns = capture.columns.map(
    (column) =>
      `CAST(ct.${quoted(column.name, 'sqlserver')} AS ${columnType(SQL_SERVER_TYPES, column.type, 'sqlserver')}) AS ${quoted(column.name, 'sqlserver')}`,
  );
  const sequence = "(DATEDIFF_BIG(millisecond, '1970-01-01', m.tran_end_time) / 10) * 16777216 + CAST(SUBSTRING(ct.[__$seqval], 8, 3) AS int)";
  return (
    `SELECT ${columns.join(', ')}, ${operationCase('ct.[__$operation]', { insert: '2', update: '4', delete: '1' })} AS [_op], ${sequence} AS [_change_seq] ` +
    `FROM cdc.[${object.schema}_${object.table}_CT] ct JOIN cdc.lsn_time_mapping m ON m.start_lsn = ct.[__$start_lsn] ` +
    `WHERE ct.[__$operation] <> 3 AND m.tran_end_time >= '${start}' AND m.tran_end_time < '${end}'`
  );
}

/** A query with `@{...}` interpolations (window bounds, the WAL position) as a Data Factory expression. */
function expression(query: string): string | Json {
  return query.includes('@{') ? { value: query, type: 'Expression' } : query;
}

function requireObject(source: DatabaseSource) {
  const object = sourceObject(source.table);
  if (!object) throw new Error(`source table ${source.table} needs its schema (schema.table) to be captured`);
  return object;
}

/** The bookkeeping columns Data Factory adds to each change (`bronzeMetadataColumns` after `_op` and `_change_seq`, which the query writes). */
export function captureAdditionalColumns(source: DatabaseSource, capture: CapturedCopy): Json[] {
  return bronzeAdditionalColumns({ cdc: true, source }, capture.sourceDescription);
}

/** The sink dataset of a captured dataset: Parquet under `bronze/<domain>/<dataset>/ingestion_date=<run date>/`. */
export function captureSinkDataset(dataset: { readonly domain: string; readonly name: string }): { type: string; typeProperties: Json } {
  return bronzeSinkDataset({ ...dataset, format: 'parquet' });
}

/** The activities of a captured dataset's pipeline: read the change feed into bronze (and, on PostgreSQL, advance the slot after). */
export function captureActivities(
  dataset: { readonly name: string; readonly source: DatabaseSource },
  capture: CapturedCopy,
  sourceDatasetName: string,
  sinkDatasetName: string,
): Json[] {
  const engine = dataset.source.engine;
  if (!CAPTURED_ENGINES.azure.includes(engine))
    throw new Error(`dataset "${dataset.name}": Data Factory captures changes from ${CAPTURED_ENGINES.azure.join(', ')}, not ${engine}`);
  const policy = COPY_ACTIVITY_POLICY;
  const copy = (query: string, dependsOn: Json[]): Json => ({
    name: dataFactoryChangeCopyActivityName(dataset.name),
    type: 'Copy',
    dependsOn,
    policy,
    inputs: [{ referenceName: sourceDatasetName, type: 'DatasetReference' }],
    outputs: [bronzeOutput(sinkDatasetName)],
    typeProperties: {
      source: {
        type: engine === 'postgres' ? 'PostgreSqlV2Source' : 'SqlServerSource',
        query: expression(query),
        additionalColumns: captureAdditionalColumns(dataset.source, capture),
      },
      sink: { type: 'ParquetSink', storeSettings: { type: 'AzureBlobFSWriteSettings' } },
      enableStaging: false,
    },
  });
  if (engine === 'sqlserver') {
    return [copy(sqlServerChangeQuery(dataset.source, capture, '@{pipeline().parameters.windowStart}', '@{pipeline().parameters.windowEnd}'), [])];
  }
  const lookup = (name: string, query: string, dependsOn: Json[]): Json => ({
    name,
    type: 'Lookup',
    dependsOn,
    policy,
    typeProperties: {
      source: { type: 'PostgreSqlV2Source', query: expression(query) },
      dataset: { referenceName: sourceDatasetName, type: 'DatasetReference' },
      firstRowOnly: true,
    },
  });
  const upto = "@{activity('read_wal_position').output.firstRow.upto}";
  return [
    lookup('read_wal_position', 'SELECT pg_current_wal_lsn()::text AS upto', []),
    copy(postgresChangeQuery(dataset.source, capture, upto), [{ activity: 'read_wal_position', dependencyConditions: ['Succeeded'] }]),
    lookup('advance_slot', `SELECT pg_replication_slot_advance('${capture.slotName}', '${upto}'::pg_lsn)::text AS advanced`, [
      { activity: `copy_${dataset.name}_changes_to_bronze`, dependencyConditions: ['Succeeded'] },
    ]),
  ];
}
