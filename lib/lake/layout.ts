import { type DatasetConfig, LAYERS, type Layer } from '../definition';
import { BINARY_MANIFEST_FORMAT } from './binary-manifest';

/**
 * The storage layout of the lake (a bucket per layer on S3, a filesystem per area on ADLS, see `LAKE_AREAS`):
 * where each dataset lives in each layer, where files arrive, where the services that fill bronze keep
 * their state, which columns ingestion adds and how bronze is partitioned. The Glue tables (catalog stacks), the
 * ingestion script (job arguments), the Spark step that builds silver and gold, and the data-quality
 * results all read it from here, so writers and readers cannot drift apart.
 */

/** Prefix of the bronze bucket where files of `files` datasets arrive; `pathPattern` is relative to it. */
export const LANDING_PREFIX = '_landing/';

/** Prefix of the bronze bucket where Glue Data Quality writes its evaluation results. */
export const DATA_QUALITY_RESULTS_PREFIX = '_data_quality/results/';

/** `_data_quality/results/<domain>/`: where the evaluation runs of a domain's rulesets write their results (below `<table>/`). */
export function dataQualityResultsPrefix(domain: string): string {
  return `${DATA_QUALITY_RESULTS_PREFIX}${domainPrefix(domain)}`;
}

/** Prefix of the bronze bucket where ingestion sets aside records that do not match the declared schema. */
export const QUARANTINE_PREFIX = '_quarantine/';

/** `_quarantine/<domain>/`: where the rejected records of a domain's datasets go (each dataset's `quarantinePrefix` lies below it). */
export function domainQuarantinePrefix(domain: string): string {
  return `${QUARANTINE_PREFIX}${domainPrefix(domain)}`;
}

/** `_quarantine/<domain>/<dataset>/`: where a dataset's rejected records go, with the reason per record. */
export function quarantinePrefix(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `${QUARANTINE_PREFIX}${datasetPrefix(dataset)}`;
}

/**
 * Bronze's working data: the lake's storage area, beside the layers, for what the platform rewrites while
 * it brings data into bronze, so that bronze itself holds only files written once (files landed by
 * ingestion, under `_landing/` and `<domain>/<dataset>/`, and the records quarantine sets aside) and can be
 * immutable (write once, read many) for `lifecycle.bronze.retainDays`. On Azure it is a filesystem of the
 * lake next to the layers' (`bronze-work`), and holds:
 * - `tables/`: the Delta tables of the Unity Catalog `bronze` schema (its storage root: the batch bronze
 *   tables and the stream pipelines' raw and bronze tables), which commit by rename and vacuum old files;
 * - `_state/<domain>/<dataset>/`: the bookkeeping of the services that fill bronze, rewritten every run
 *   (`watermarkStatePath`, `bronzeTableCheckpointPrefix`).
 * Its data is bronze's: whoever may use the bronze layer's data directly may use it, nobody else; it is
 * never immutable, and its lifecycle never archives or expires what a table or a checkpoint still refers to.
 */
export const BRONZE_WORK_AREA = 'bronze-work';

/** A storage area of the lake: a layer's, or bronze's working data (`BRONZE_WORK_AREA`). */
export type LakeArea = Layer | typeof BRONZE_WORK_AREA;

/** Every storage area of the lake: the layers, then bronze's working data. */
export const LAKE_AREAS: readonly LakeArea[] = [...LAYERS, BRONZE_WORK_AREA];

/** The layer whose data an area holds (bronze's working data holds bronze's), for who may use it. */
export function lakeAreaLayer(area: LakeArea): Layer {
  if (area === BRONZE_WORK_AREA) return 'bronze';
  if ((LAYERS as readonly string[]).includes(area)) return area;
  throw new Error(`lakeAreaLayer: "${String(area)}" is not an area of the lake; areas: ${LAKE_AREAS.join(', ')}`);
}

/** Whether a name is an area of the lake (a layer or `BRONZE_WORK_AREA`). */
export function isLakeArea(name: string): name is LakeArea {
  return (LAKE_AREAS as readonly string[]).includes(name);
}

/**
 * Prefix of bronze's working data (`BRONZE_WORK_AREA`) where the services that fill bronze keep their state
 * between runs: Data Factory's watermarks (it has no bookmarks of its own; Glue keeps job bookmarks on AWS)
 * and the bronze tables step's checkpoints. Rewritten every run, so never in the immutable bronze layer.
 */
export const INGESTION_STATE_PREFIX = '_state/';

/**
 * `_state/<domain>/<dataset>/watermark.json`, in bronze's working data: the high watermark of a dataset's
 * last successful ingestion run, replaced after each run.
 */
export function watermarkStatePath(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `${INGESTION_STATE_PREFIX}${datasetPrefix(dataset)}watermark.json`;
}

/**
 * `_state/<domain>/<dataset>/bronze_table/`, in bronze's working data: the streaming checkpoint of the step
 * that loads a dataset's landed files into its bronze table (the Databricks bronze tables task): which files
 * it has loaded, so that each file is loaded exactly once whatever the number of runs.
 */
export function bronzeTableCheckpointPrefix(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `${INGESTION_STATE_PREFIX}${datasetPrefix(dataset)}bronze_table/`;
}

/** How bronze CSV files are written and read: the source's delimiter and header, double quotes, backslash escapes. */
export interface CsvDialect {
  readonly delimiter: string;
  readonly header: boolean;
  readonly quote: string;
  readonly escape: string;
}

/** The CSV dialect of a dataset's bronze files: its landing files' (delimiter and header, `,` and a header row by default). */
export function bronzeCsvDialect(dataset: Pick<DatasetConfig, 'source'>): CsvDialect {
  const files = dataset.source.kind === 'files' ? dataset.source : undefined;
  return { delimiter: files?.delimiter ?? ',', header: files?.header ?? true, quote: '"', escape: '\\' };
}

/** Partition column of every bronze table: the UTC date (YYYY-MM-DD) of the ingestion run. */
export const BRONZE_PARTITION_COLUMN = 'ingestion_date';

/**
 * The layers whose tables the Spark application (constructs/aws/jobs/spark/silver_gold.py) creates,
 * evolves and tags itself, as Apache Iceberg tables: the catalog stacks declare only the other layers'
 * tables (CloudFormation strips Iceberg properties on update), and keep the databases and tags.
 */
export const SPARK_OWNED_LAYERS: readonly Layer[] = ['silver', 'gold'];

/** Storage format of silver and gold: Parquet (Snappy), whatever the source format. */
export const CURATED_FORMAT = 'parquet' as const;

/**
 * `<domain>/`: the key prefix of every dataset of a domain inside a layer's bucket. A domain's roles are
 * granted below it, so their policies do not grow with the domain's datasets; a domain name starts with a
 * letter, so it never reaches the platform's own `_`-prefixed areas.
 */
export function domainPrefix(domain: string): string {
  return `${domain}/`;
}

/** `<domain>/<dataset>/`: the key prefix of a dataset inside its layer's bucket. */
export function datasetPrefix(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `${domainPrefix(dataset.domain)}${dataset.name}/`;
}

/** `s3://<layer bucket>/<domain>/<dataset>/`: where a dataset's data lives in a layer. */
export function datasetLocation(bucketName: string, dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `s3://${bucketName}/${datasetPrefix(dataset)}`;
}

/**
 * The format a dataset's table is stored in, per layer: bronze keeps the source format (a binary
 * dataset's bronze table is its manifest, in Parquet; the objects stay as they are), silver and gold are Parquet.
 */
export function storageFormat(dataset: Pick<DatasetConfig, 'format'>, layer: Layer): DatasetConfig['format'] {
  if (layer !== 'bronze') return CURATED_FORMAT;
  return dataset.format === 'binary' ? BINARY_MANIFEST_FORMAT : dataset.format;
}

/** `_landing/<pathPattern>`: the key pattern of a files dataset's incoming files in the bronze bucket. */
export function landingPattern(pathPattern: string): string {
  return `${LANDING_PREFIX}${pathPattern.replace(/^\/+/, '')}`;
}

/**
 * The fixed part of a landing pattern, up to its first wildcard and cut back to a `/`:
 * `_landing/incoming/products/*.csv` -> `_landing/incoming/products/`. Jobs list and read below it.
 */
export function landingPrefix(pathPattern: string): string {
  const pattern = landingPattern(pathPattern);
  const wildcard = pattern.search(/[*?[{]/);
  const fixed = wildcard < 0 ? pattern : pattern.slice(0, wildcard);
  return fixed.slice(0, fixed.lastIndexOf('/') + 1);
}

/** A column the ingestion layer adds to every bronze record (typed by the platform, not the source). */
export interface MetadataColumn {
  readonly name: string;
  readonly type: 'string' | 'bigint' | 'int' | 'timestamp' | 'boolean';
  readonly description: string;
}

/**
 * The columns ingestion adds to a dataset's bronze records, after the dataset's own columns. The same
 * names as the dbt landing tables (scripts/generate-dbt-sources.ts): `_op`/`_change_seq` for CDC,
 * `_source_file` for files, Kafka coordinates for streams, and `_ingested_at`; plus `_source` and
 * `_batch_id`, which let one run's records be traced and replayed. A binary dataset's manifest has no
 * `_source_file`: its `path` column is the file (lib/lake/binary-manifest.ts).
 */
export function bronzeMetadataColumns(dataset: {
  readonly cdc: boolean;
  readonly source: Pick<DatasetConfig['source'], 'kind'>;
  readonly format?: DatasetConfig['format'];
}): MetadataColumn[] {
  const columns: MetadataColumn[] = [];
  if (dataset.cdc) {
    columns.push(
      { name: '_op', type: 'string', description: 'CDC operation: insert, update or delete.' },
      { name: '_change_seq', type: 'bigint', description: 'Commit order of the change in the source database.' },
    );
  }
  if (dataset.source.kind === 'files' && dataset.format !== 'binary')
    columns.push({ name: '_source_file', type: 'string', description: 'Path of the file the record was read from.' });
  if (dataset.source.kind === 'stream') {
    columns.push(
      { name: '_kafka_partition', type: 'int', description: 'Kafka partition the event was read from.' },
      { name: '_kafka_offset', type: 'bigint', description: 'Offset of the event in its partition.' },
    );
  }
  columns.push(
    { name: '_source', type: 'string', description: 'Where the record came from: database table, API URL, landing path or topic.' },
    { name: '_batch_id', type: 'string', description: 'Id of the ingestion run that landed the record (the Glue job run id).' },
    { name: '_ingested_at', type: 'timestamp', description: 'When the ingestion job landed the record (UTC).' },
  );
  return columns;
}

/**
 * The bookkeeping columns the Spark step (constructs/aws/jobs/spark/silver_gold.py) writes after a
 * dataset's own columns in silver: when the record landed, for CDC datasets its change sequence,
 * operation and whether the key is deleted, and the batch it came from. The application creates the
 * silver Iceberg table with exactly these, in this order.
 */
export function silverMetadataColumns(dataset: Pick<DatasetConfig, 'cdc'>): MetadataColumn[] {
  const columns: MetadataColumn[] = [{ name: '_ingested_at', type: 'timestamp', description: 'When the record landed in bronze (UTC).' }];
  if (dataset.cdc) {
    columns.push(
      { name: '_change_seq', type: 'bigint', description: 'Commit order of the latest change of the key.' },
      { name: '_op', type: 'string', description: 'Operation of the latest change of the key: insert, update or delete.' },
      { name: 'is_deleted', type: 'boolean', description: 'Whether the key was deleted at the source.' },
    );
  }
  columns.push({ name: '_batch_id', type: 'string', description: 'Id of the ingestion run (bronze batch) the record came from.' });
  return columns;
}

/** The bookkeeping column the Spark step writes after a dataset's own columns in gold (current records only). */
export function goldMetadataColumns(): MetadataColumn[] {
  return [{ name: 'last_ingested_at', type: 'timestamp', description: 'When the current version of the record landed in bronze (UTC).' }];
}

/** The ingestion or bookkeeping columns of a layer's table, after the dataset's own columns. */
export function layerMetadataColumns(dataset: Pick<DatasetConfig, 'cdc' | 'source' | 'format'>, layer: Layer): MetadataColumn[] {
  if (layer === 'bronze') return bronzeMetadataColumns(dataset);
  return layer === 'silver' ? silverMetadataColumns(dataset) : goldMetadataColumns();
}

/** Where a dataset's records come from, as `_source` records it. */
export function sourceDescription(dataset: Pick<DatasetConfig, 'source'>): string {
  const source = dataset.source;
  switch (source.kind) {
    case 'database':
      return `${source.engine}:${source.table}`;
    case 'api':
      return `${source.baseUrl}${source.path}`;
    case 'files':
      return landingPattern(source.pathPattern);
    case 'stream':
      return streamSourceDescription(source.topic);
  }
}

/** `kafka:<topic>`: what `_source` records for a stream dataset's records. */
export function streamSourceDescription(topic: string): string {
  return `kafka:${topic}`;
}
