import type { ColumnConfig, DatasetConfig, Format } from '../../lib/definition';
import { BRONZE_PARTITION_COLUMN, BRONZE_WORK_AREA, bronzeMetadataColumns, type MetadataColumn, quarantinePrefix, storageFormat } from '../../lib/lake';
import { adlsFilesystemName } from '../../lib/naming';

/**
 * How Data Factory writes the bronze layout of lib/lake (layout.ts) on Azure, for every copy into bronze
 * (batch datasets and captured changes alike): the folder `<domain>/<dataset>/ingestion_date=<run date>/`,
 * the ingestion metadata columns of `bronzeMetadataColumns` as the copy activity's `additionalColumns`,
 * the declared columns as a typed mapping, and the quarantine of records that break it. Pure functions,
 * so that the pipeline JSON can be asserted without synthesizing.
 */

type Json = Record<string, unknown>;

/** The filesystem (container) of the bronze layer in the lake: only files written once (landed, quarantined). */
export const BRONZE_FILESYSTEM = adlsFilesystemName('bronze');

/** The filesystem of bronze's working data (lib/lake `BRONZE_WORK_AREA`): where Data Factory keeps its watermarks. */
export const BRONZE_WORK_FILESYSTEM = adlsFilesystemName(BRONZE_WORK_AREA);

/** Data Factory's file formats, by the definition's format. */
export const FILE_FORMATS: Record<Format, string> = { json: 'Json', csv: 'DelimitedText', avro: 'Avro', parquet: 'Parquet', orc: 'Orc', binary: 'Binary' };

/** The run date as the partition value: `yyyy-MM-dd` of the pipeline run (UTC). */
export const RUN_DATE_EXPRESSION = "@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-dd')";

/**
 * What Data Factory writes into each metadata column it adds (columns the source query writes itself,
 * `_op` and `_change_seq` of captured changes, are not here). `$$FILEPATH` is Data Factory's reserved
 * value for the path of the file a record was read from.
 */
function metadataValue(column: MetadataColumn, sourceDescription: string): unknown {
  switch (column.name) {
    case '_source':
      return sourceDescription;
    case '_batch_id':
      return { value: '@pipeline().RunId', type: 'Expression' };
    case '_ingested_at':
      return { value: "@formatDateTime(utcnow(), 'yyyy-MM-dd HH:mm:ss.ffffff')", type: 'Expression' };
    case '_source_file':
      return '$$FILEPATH';
    default:
      return undefined;
  }
}

/**
 * The copy activity's `additionalColumns` of a dataset: the columns of `bronzeMetadataColumns` that Data
 * Factory fills, in their order (`_source_file`, `_source`, `_batch_id`, `_ingested_at`).
 */
export function bronzeAdditionalColumns(dataset: Pick<DatasetConfig, 'cdc' | 'source'>, sourceDescription: string): Json[] {
  return bronzeMetadataColumns(dataset).flatMap((column) => {
    const value = metadataValue(column, sourceDescription);
    return value === undefined ? [] : [{ name: column.name, value }];
  });
}

/**
 * The type a metadata column has in the files Data Factory lands: the columns it adds
 * (`bronzeAdditionalColumns`) are text, whatever their layout type (`_ingested_at` is
 * `yyyy-MM-dd HH:mm:ss.ffffff`); the others (`_op`, `_change_seq`, from the source query) keep their type.
 * What reads the landed files casts the text ones (the Databricks bronze tables step).
 */
export function landedMetadataType(column: MetadataColumn): string {
  return metadataValue(column, '') === undefined ? column.type : 'string';
}

/** The partition folder of a run: `<domain>/<dataset>/ingestion_date=<run date>` (a parameter of the sink dataset). */
export function bronzeSinkFolder(domain: string, name: string): Json {
  return { value: `@concat('${domain}/${name}/${BRONZE_PARTITION_COLUMN}=', dataset().ingestionDate)`, type: 'Expression' };
}

/** The sink dataset parameter that carries the run date into the folder. */
export const BRONZE_SINK_PARAMETERS = { ingestionDate: '' };

/** The output reference of a copy into bronze: the sink dataset with the run date. */
export function bronzeOutput(sinkDatasetName: string): Json {
  return { referenceName: sinkDatasetName, type: 'DatasetReference', parameters: { ingestionDate: RUN_DATE_EXPRESSION } };
}

/** Data Factory's interim types of the definition's column types (the typed mapping converts to these). */
const INTERIM_TYPES: Record<string, string> = {
  string: 'String',
  int: 'Int32',
  bigint: 'Int64',
  double: 'Double',
  boolean: 'Boolean',
  date: 'Date',
  timestamp: 'DateTime',
};

/** The interim type of a declared column; throws naming the dataset, column and type otherwise. */
export function interimType(dataset: string, column: Pick<ColumnConfig, 'name' | 'type'>): string {
  if (/^decimal\(\d+,\d+\)$/.test(column.type)) return 'Decimal';
  const type = INTERIM_TYPES[column.type];
  if (!type)
    throw new Error(
      `dataset "${dataset}": column ${column.name} has type ${column.type}, which Data Factory cannot ` +
        `map; types: ${Object.keys(INTERIM_TYPES).join(', ')}, decimal(p,s)`,
    );
  return type;
}

/** What the typed mapping of a dataset needs: its declared columns and, for API responses, where the records are. */
export interface BronzeMapping {
  readonly name: string;
  readonly columns: readonly Pick<ColumnConfig, 'name' | 'type'>[];
  /** The metadata columns (from `bronzeAdditionalColumns`), mapped through unchanged. */
  readonly metadataColumns: readonly string[];
  /** JSON path of the record array in a hierarchical source (API responses). */
  readonly collectionReference?: string;
}

/**
 * The copy's translator: each declared column converted to its declared type (no truncation, booleans
 * not numbers), then the metadata columns. A value that does not convert makes its row incompatible,
 * which the fault tolerance of `quarantineSettings` logs instead of failing the copy or dropping it.
 */
export function bronzeTranslator(mapping: BronzeMapping): Json {
  const hierarchical = mapping.collectionReference !== undefined;
  const source = (name: string) => (hierarchical ? { path: `['${name}']` } : { name });
  return {
    type: 'TabularTranslator',
    mappings: [
      ...mapping.columns.map((column) => ({ source: source(column.name), sink: { name: column.name, type: interimType(mapping.name, column) } })),
      ...mapping.metadataColumns.map((name) => ({ source: { name }, sink: { name } })),
    ],
    ...(hierarchical ? { collectionReference: mapping.collectionReference } : {}),
    typeConversion: true,
    typeConversionSettings: { allowDataTruncation: false, treatBooleanAsNumber: false },
  };
}

/** `bronze/_quarantine/<domain>/<dataset>`: where the copy logs the rows it set aside (the lib/lake quarantine prefix). */
export function quarantineLogPath(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `${BRONZE_FILESYSTEM}/${quarantinePrefix(dataset).replace(/\/$/, '')}`;
}

/**
 * The retry policy of the activities that copy into bronze. The input stays secure (it holds the source
 * query and its watermarks); the output does not: it holds counts (`rowsRead`, `rowsCopied`,
 * `rowsSkipped`), durations, throughput and the quarantine log path, no credential and no row, and
 * Data Factory keeps it in monitoring only when it is not secure, which is where `platform status`
 * reads each run's reconciliation (bronze read = copied + quarantined).
 */
export const COPY_ACTIVITY_POLICY = { timeout: '0.02:00:00', retry: 2, retryIntervalInSeconds: 60, secureInput: true, secureOutput: false } as const;

/**
 * The copy activity's fault tolerance: rows that break the declared schema (a value that does not
 * convert, a wrong number of columns) are skipped from bronze and written, with the row and the reason,
 * to the dataset's quarantine (`<path>/copyactivity-logs/<activity>/<run id>/*.txt`, one line per row:
 * timestamp, level, operation, the row, the message). Reliable logging flushes each row before the copy
 * goes on, so a failed run leaves no row unaccounted for; the copy's output counts `rowsSkipped`.
 */
export function quarantineSettings(dataset: Pick<DatasetConfig, 'domain' | 'name'>, lakeLinkedService: string): Json {
  return {
    enableSkipIncompatibleRow: true,
    logSettings: {
      enableCopyActivityLog: true,
      copyActivityLogSettings: { logLevel: 'Warning', enableReliableLogging: true },
      logLocationSettings: { linkedServiceName: { referenceName: lakeLinkedService, type: 'LinkedServiceReference' }, path: quarantineLogPath(dataset) },
    },
  };
}

/** The bronze sink dataset: `bronze/<domain>/<dataset>/ingestion_date=<run date>/` in the dataset's bronze format (binary files as they are). */
export function bronzeSinkDataset(
  dataset: { readonly domain: string; readonly name: string; readonly format: Format },
  formatSettings: Json = {},
): { type: string; typeProperties: Json } {
  // Binary files land as they are (the Databricks bronze tables step lists them in the manifest table).
  const format = dataset.format === 'binary' ? 'binary' : storageFormat(dataset, 'bronze');
  return {
    type: FILE_FORMATS[format],
    typeProperties: {
      location: { type: 'AzureBlobFSLocation', fileSystem: BRONZE_FILESYSTEM, folderPath: bronzeSinkFolder(dataset.domain, dataset.name) },
      ...(format === 'parquet' ? { compressionCodec: 'snappy' } : {}),
      ...formatSettings,
    },
  };
}
