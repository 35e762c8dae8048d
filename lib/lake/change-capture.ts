import { type CapturedDataset, type DatabaseEngine, type DatasetConfig, isCaptured } from '../definition';
import { LANDING_PREFIX } from './layout';

/**
 * CDC capture of `cdc: true` database datasets: the one description of the change files a capture
 * service lands and of how they become the bronze CDC layout, shared by both clouds.
 *
 * The bronze CDC layout (lib/lake/layout.ts, `bronzeMetadataColumns`) is the same for every source and
 * cloud: the dataset's columns, `_op` (`insert`, `update` or `delete`, lower case) and `_change_seq` (a
 * bigint in commit order; the highest wins in silver), then `_source`, `_batch_id`, `_ingested_at`, under
 * `<bronze>/<domain>/<dataset>/ingestion_date=<YYYY-MM-DD>/`. Only the dataset's ingestion job writes
 * there (one writer per table, one `_batch_id` per run, which the silver batch log relies on).
 *
 * A capture service therefore lands raw change files in the bronze bucket's landing area,
 * `_landing/cdc/<source>/<schema>/<table>/`, and the dataset's ingestion job reads the files no run has
 * read (job bookmarks), maps them to the layout and appends them to bronze:
 *
 * - AWS DMS (S3 target, Parquet): `Op` (`I`, `U`, `D`; full-load files too, with IncludeOpForFullLoad)
 *   becomes `_op`; the column `_dms_change_seq`, which a table-mapping rule adds from the DMS header
 *   `$AR_H_CHANGE_SEQ` (35 digits: `YYYYMMDDHHmmSShh` in UTC, then a 19-digit change number, monotonic
 *   per task), becomes `_change_seq` = centiseconds since 1970-01-01 × 2^24 + (change number mod 2^24):
 *   ordered by commit time first, then by change number within a hundredth of a second, and a bigint
 *   until the year 2144. Full-load rows have no header value and get `_change_seq` 0, so every change
 *   captured after (or during) the full load wins over them. The mapping is implemented once, in
 *   `dms_change_events` (constructs/aws/jobs/glue_ingest.py), and proven on files shaped as DMS writes
 *   them (test/spark/test_dms_contract.py).
 * - Azure Data Factory (constructs/azure/change-capture-copy.ts) reads the database's own change feed
 *   (PostgreSQL logical decoding, SQL Server CDC) and writes the bronze CDC layout directly, into the same
 *   `<domain>/<dataset>/ingestion_date=<YYYY-MM-DD>/` folders with the same columns (Azure has no
 *   ingestion job between landing and bronze).
 */

/** The `_op` values of the bronze CDC layout, per operation; every capture path writes exactly these. */
export const CDC_OPERATIONS = { insert: 'insert', update: 'update', delete: 'delete' } as const;

/** Where capture services land raw change files in the bronze bucket: `_landing/cdc/`. */
export const CHANGE_CAPTURE_LANDING_PREFIX = `${LANDING_PREFIX}cdc/`;

/** The operation column DMS writes to S3 (`I`, `U`, `D`); the ingestion job maps it to `_op`. */
export const DMS_OPERATION_COLUMN = 'Op';

/** The column a table-mapping rule adds with the DMS header `$AR_H_CHANGE_SEQ`; the ingestion job maps it to `_change_seq`. */
export const CHANGE_SEQUENCE_HEADER_COLUMN = '_dms_change_seq';

/** How the ingestion job reads a captured dataset's change files (job argument `--change_capture`). */
export const CHANGE_CAPTURE_FORMAT = 'dms' as const;

/** The schema and table a capture service addresses: `schema.table`, or the last two parts of `database.schema.table`. */
export interface SourceObject {
  readonly schema: string;
  readonly table: string;
}

/**
 * The schema and table of a source table name; undefined when the name has no schema (validation refuses
 * that for captured datasets: DMS selects tables by schema and table, and each engine's default differs).
 */
export function sourceObject(table: string): SourceObject | undefined {
  const parts = table.split('.');
  if (parts.length < 2) return undefined;
  return { schema: parts[parts.length - 2], table: parts[parts.length - 1] };
}

/** `sales/crm-replica` -> `sales-crm-replica`: a source's folder under `_landing/cdc/`, from its secret name. */
export function changeCaptureSourceFolder(connectionSecret: string): string {
  return connectionSecret
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `_landing/cdc/<source>/`: the folder a source's replication writes to (the S3 target's bucket folder). */
export function changeCaptureSourcePrefix(connectionSecret: string): string {
  return `${CHANGE_CAPTURE_LANDING_PREFIX}${changeCaptureSourceFolder(connectionSecret)}/`;
}

/** `_landing/cdc/<source>/<schema>/<table>/`: where the change files of one captured dataset arrive. */
export function changeCapturePrefix(dataset: CapturedDataset): string {
  const object = requireSourceObject(dataset);
  return `${changeCaptureSourcePrefix(dataset.source.connectionSecret)}${object.schema}/${object.table}/`;
}

/** The landing glob the ingestion job reads a captured dataset from: full-load and change files alike. */
export function changeCaptureLandingPattern(dataset: CapturedDataset): string {
  return `${changeCapturePrefix(dataset)}*.parquet`;
}

function requireSourceObject(dataset: CapturedDataset): SourceObject {
  const object = sourceObject(dataset.source.table);
  if (!object) throw new Error(`dataset "${dataset.name}": source.table "${dataset.source.table}" needs its schema (schema.table) to be captured`);
  return object;
}

/** One source database whose captured datasets one replication serves, known by its connection secret. */
export interface CaptureSource {
  /** Name of the Secrets Manager secret with the connection (`username`, `password`, `host`, `port`, `dbname`). */
  readonly secretName: string;
  readonly engine: DatabaseEngine;
  /** Its folder under `_landing/cdc/` and the stem of its resource names. */
  readonly folder: string;
  readonly datasets: readonly CapturedDataset[];
}

/** The captured datasets grouped by source database (connection secret), in definition order. */
export function captureSources(datasets: readonly DatasetConfig[]): CaptureSource[] {
  const sources = new Map<string, { engine: DatabaseEngine; datasets: CapturedDataset[] }>();
  for (const dataset of datasets.filter(isCaptured)) {
    const secret = dataset.source.connectionSecret;
    const entry = sources.get(secret) ?? { engine: dataset.source.engine, datasets: [] };
    entry.datasets.push(dataset);
    sources.set(secret, entry);
  }
  return [...sources].map(([secretName, entry]) => ({
    secretName,
    engine: entry.engine,
    folder: changeCaptureSourceFolder(secretName),
    datasets: entry.datasets,
  }));
}

/** A DMS table-mapping rule (selection or transformation), as the replication's TableMappings document holds it. */
export type DmsTableMappingRule = Record<string, unknown>;

/**
 * The DMS table mappings of one source: each captured table selected once, and each given the
 * `_dms_change_seq` column from the `$AR_H_CHANGE_SEQ` header. Rule ids are positional and stable for a
 * given definition order.
 */
export function dmsTableMappings(source: CaptureSource): { rules: DmsTableMappingRule[] } {
  const rules: DmsTableMappingRule[] = [];
  // Two datasets may read one table (its files land once, each ingestion job keeps its own bookmark).
  const tables = new Map(source.datasets.map((dataset) => [changeCapturePrefix(dataset), dataset]));
  [...tables.values()].forEach((dataset, index) => {
    const object = requireSourceObject(dataset);
    const locator = { 'schema-name': object.schema, 'table-name': object.table };
    rules.push({
      'rule-type': 'selection',
      'rule-id': String(2 * index + 1),
      'rule-name': `select-${dataset.name}`,
      'object-locator': locator,
      'rule-action': 'include',
    });
    rules.push({
      'rule-type': 'transformation',
      'rule-id': String(2 * index + 2),
      'rule-name': `change-seq-${dataset.name}`,
      'rule-target': 'column',
      'object-locator': locator,
      'rule-action': 'add-column',
      value: CHANGE_SEQUENCE_HEADER_COLUMN,
      expression: '$AR_H_CHANGE_SEQ',
      'data-type': { type: 'string', length: 35 },
    });
  });
  return { rules };
}

/**
 * The S3 target settings every replication uses (besides bucket, folder, role and key), named as
 * CloudFormation's `S3Settings` (camel case, as the CDK writes them): Parquet files, the
 * operation column in full-load files too, no date folders (the ingestion job partitions bronze by its
 * own run date), and a file at least every minute so changes reach bronze by the next ingestion run.
 */
export const DMS_S3_TARGET_SETTINGS = {
  dataFormat: 'parquet',
  parquetVersion: 'parquet-2-0',
  includeOpForFullLoad: true,
  cdcInsertsOnly: false,
  cdcInsertsAndUpdates: false,
  datePartitionEnabled: false,
  cdcMaxBatchInterval: 60,
  cdcMinFileSize: 32000,
  enableStatistics: true,
  encryptionMode: 'SSE_KMS',
} as const;

/**
 * The engines whose changes each cloud captures: DMS over TLS without a CA certificate to manage (so not
 * Oracle); Data Factory from a change feed it can query (PostgreSQL logical decoding, SQL Server CDC).
 */
export const CAPTURED_ENGINES: Record<'aws' | 'azure', readonly DatabaseEngine[]> = {
  aws: ['postgres', 'mysql', 'sqlserver'],
  azure: ['postgres', 'sqlserver'],
};

/** DMS engine names of the definition's database engines. */
export const DMS_ENGINE_NAMES: Record<DatabaseEngine, string> = {
  postgres: 'postgres',
  mysql: 'mysql',
  sqlserver: 'sqlserver',
  oracle: 'oracle',
};
