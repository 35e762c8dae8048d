import {
  type ApiSource,
  BATCH_SOURCE_KINDS,
  type ColumnConfig,
  type DatabaseEngine,
  type DatabaseSource,
  type DatasetConfig,
  type FilesSource,
  type Format,
} from '../../lib/definition';
import { bronzeCsvDialect, databaseLoad, landingPattern } from '../../lib/lake';
import { dataFactoryCopyActivityName, keyVaultSecretName } from '../../lib/naming';
import {
  BRONZE_FILESYSTEM,
  bronzeAdditionalColumns,
  bronzeOutput,
  bronzeSinkDataset,
  bronzeTranslator,
  COPY_ACTIVITY_POLICY,
  FILE_FORMATS,
  quarantineSettings,
} from './bronze-landing';
import type { CapturedCopy } from './change-capture-copy';
import { incrementalQuery, NEW_WATERMARK, STORED_WATERMARK } from './incremental-copy';

/**
 * What Data Factory needs to copy one dataset into bronze: the linked service of the source (when the
 * source has its own), the source and sink datasets and the copy activity. Pure functions of a
 * `DatasetCopy`, so that the constructs only create resources.
 */

type Json = Record<string, unknown>;

/** Where Data Factory copies a dataset from: a database table, an https resource, or files landed under `bronze/_landing/` (lib/lake `LANDING_PREFIX`). */
export type CopySource = DatabaseSource | ApiSource | FilesSource;

/**
 * One dataset as Data Factory copies it: from its source into
 * `bronze/<domain>/<name>/ingestion_date=<run date>/`, in its format, with the ingestion metadata columns.
 */
export interface DatasetCopy {
  /** The dataset's name: the folder in bronze and the suffix of every Data Factory name (`ingest_<name>`, ...). */
  readonly name: string;
  /** Business domain: the folder in bronze and the Data Factory folder of the pipeline and its datasets. */
  readonly domain: string;
  /** Format the data lands in (API responses are JSON). */
  readonly format: Format;
  /** What the copy reads. */
  readonly source: CopySource;
  /** The declared columns, in order: the copy converts each to its type and quarantines rows that do not convert. */
  readonly columns: readonly Pick<ColumnConfig, 'name' | 'type'>[];
  /** What `_source` records (lib/lake/layout.ts, `sourceDescription`). */
  readonly sourceDescription: string;
  /**
   * For a `cdc: true` database dataset: copy the database's change feed into the bronze CDC layout
   * (constructs/azure/change-capture-copy.ts) instead of the whole table.
   * @default - the table (or resource, or files) as it is
   */
  readonly capture?: CapturedCopy;
}

/** Refuses a source kind Data Factory does not copy in batches (a stream, or an untyped caller's mistake). */
export function requireCopySource(owner: string, dataset: { readonly name: string; readonly source: { readonly kind: string } }): void {
  if (!(BATCH_SOURCE_KINDS as readonly string[]).includes(dataset.source.kind)) {
    throw new Error(
      `${owner}: dataset "${dataset.name}" has a ${dataset.source.kind} source, which Data Factory ` +
        `does not copy in batches; sources: ${BATCH_SOURCE_KINDS.join(', ')}`,
    );
  }
}

/** Data Factory's names for each database engine: linked service, dataset and copy-source types. */
const DATABASE_TYPES: Record<DatabaseEngine, { linkedService: string; dataset: string; source: string }> = {
  postgres: { linkedService: 'PostgreSqlV2', dataset: 'PostgreSqlV2Table', source: 'PostgreSqlV2Source' },
  mysql: { linkedService: 'MySql', dataset: 'MySqlTable', source: 'MySqlSource' },
  sqlserver: { linkedService: 'SqlServer', dataset: 'SqlServerTable', source: 'SqlServerSource' },
  oracle: { linkedService: 'Oracle', dataset: 'OracleTable', source: 'OracleSource' },
};

/** The copy (and Lookup) source type of a database engine. */
export function databaseSourceType(engine: DatabaseEngine): string {
  return DATABASE_TYPES[engine].source;
}

/** A reference to a secret in the environment's Key Vault, through the Key Vault linked service. */
export function keyVaultSecret(keyVaultLinkedService: string, secret: string): Json {
  return {
    type: 'AzureKeyVaultSecret',
    store: { referenceName: keyVaultLinkedService, type: 'LinkedServiceReference' },
    secretName: keyVaultSecretName(secret),
  };
}

/** The linked service a dataset's source needs of its own (databases and APIs), or undefined for files in the lake. */
export function sourceLinkedService(dataset: DatasetCopy, keyVaultLinkedService: string): { type: string; typeProperties: Json } | undefined {
  const source = dataset.source;
  switch (source.kind) {
    case 'database':
      return {
        type: DATABASE_TYPES[source.engine].linkedService,
        typeProperties: { connectionString: keyVaultSecret(keyVaultLinkedService, source.connectionSecret) },
      };
    case 'api':
      return {
        type: 'RestService',
        typeProperties: {
          url: source.baseUrl,
          enableServerCertificateValidation: true,
          authenticationType: 'Anonymous',
          ...(source.authSecret ? { authHeaders: { Authorization: keyVaultSecret(keyVaultLinkedService, source.authSecret) } } : {}),
        },
      };
    default:
      return undefined;
  }
}

/** The source dataset: a table, a REST resource or files under `bronze/_landing/` (lib/lake `landingPattern`). */
export function sourceDataset(dataset: DatasetCopy): { type: string; typeProperties: Json } {
  const source = dataset.source;
  switch (source.kind) {
    case 'database': {
      const [table, schema] = source.table.split('.').reverse();
      return { type: DATABASE_TYPES[source.engine].dataset, typeProperties: { table, ...(schema ? { schema } : {}) } };
    }
    case 'api':
      // Page pagination asks for pages of API_PAGE_SIZE records, as the AWS ingestion does.
      return {
        type: 'RestResource',
        typeProperties: { relativeUrl: source.pagination === 'page' ? `${source.path}?page_size=${API_PAGE_SIZE}` : source.path },
      };
    case 'files':
      return {
        type: FILE_FORMATS[dataset.format],
        typeProperties: { location: { type: 'AzureBlobFSLocation', fileSystem: BRONZE_FILESYSTEM }, ...formatSettings(dataset) },
      };
    default:
      throw new Error(
        `dataset "${dataset.name}": source kind "${(source as { kind: string }).kind}" is not copied by Data Factory; kinds: ${BATCH_SOURCE_KINDS.join(', ')}`,
      );
  }
}

/** The sink dataset: `bronze/<domain>/<dataset>/ingestion_date=<run date>/` in the dataset's format (API responses stay JSON). */
export function sinkDataset(dataset: DatasetCopy): { type: string; typeProperties: Json } {
  return bronzeSinkDataset(dataset, formatSettings(dataset));
}

/** Whether a copy is bounded by a watermark (lib/lake `databaseLoad` for databases; always for files). */
export function isIncremental(dataset: DatasetCopy): boolean {
  return keepsWatermark({ name: dataset.name, cdc: dataset.capture !== undefined, source: dataset.source });
}

/**
 * Whether Data Factory keeps a watermark file for a batch dataset (`bronze-work/_state/…`, rewritten after each
 * run): files, and databases loaded incrementally without CDC (captured ones keep their position in the
 * source: a replication slot or the trigger's windows).
 */
export function keepsWatermark(dataset: Pick<DatasetConfig, 'name' | 'cdc' | 'source'>): boolean {
  const source = dataset.source;
  if (source.kind === 'files') return true;
  return source.kind === 'database' && !dataset.cdc && databaseLoad(dataset, source) === 'incremental';
}

function formatSettings(dataset: Pick<DatasetCopy, 'format' | 'source'>): Json {
  if (dataset.format !== 'csv') return {};
  const dialect = bronzeCsvDialect(dataset);
  return { columnDelimiter: dialect.delimiter, firstRowAsHeader: dialect.header, quoteChar: dialect.quote, escapeChar: dialect.escape };
}

/** The copy activity's source settings: what one run reads (incremental copies between the run's watermarks). */
function copySource(dataset: DatasetCopy): Json {
  const source = dataset.source;
  switch (source.kind) {
    case 'database': {
      if (!isIncremental(dataset)) return { type: DATABASE_TYPES[source.engine].source };
      const query = incrementalQuery({ name: dataset.name, source, columns: dataset.columns }, STORED_WATERMARK, NEW_WATERMARK);
      return { type: DATABASE_TYPES[source.engine].source, query: { value: query, type: 'Expression' } };
    }
    case 'api':
      return {
        type: 'RestSource',
        httpRequestTimeout: '00:05:00',
        requestInterval: '00.00:00:00.010',
        ...(source.pagination === 'cursor' ? { paginationRules: { 'QueryParameters.cursor': API_CURSOR_PATH } } : {}),
        ...(source.pagination === 'page' ? { paginationRules: { 'QueryParameters.page': 'RANGE:1::1', EndCondition: `${API_RECORDS_PATH}:Empty` } } : {}),
      };
    case 'files': {
      const pattern = landingPattern(source.pathPattern);
      const slash = pattern.lastIndexOf('/');
      return {
        type: `${FILE_FORMATS[dataset.format]}Source`,
        storeSettings: {
          type: 'AzureBlobFSReadSettings',
          recursive: true,
          wildcardFolderPath: pattern.slice(0, slash),
          wildcardFileName: pattern.slice(slash + 1),
          // Only the files landed since the last successful run: immutable landing, each file copied once.
          modifiedDatetimeStart: { value: STORED_WATERMARK, type: 'Expression' },
          modifiedDatetimeEnd: { value: NEW_WATERMARK, type: 'Expression' },
        },
      };
    }
    default:
      throw new Error(
        `dataset "${dataset.name}": source kind "${(source as { kind: string }).kind}" is not copied by Data Factory; kinds: ${BATCH_SOURCE_KINDS.join(', ')}`,
      );
  }
}

/**
 * The API contract of the platform's REST sources, as the AWS ingestion reads them
 * (constructs/aws/jobs/glue_ingest.py `page_url`, `extract_page`): records in `data`, pages of
 * `?page=N&page_size=500` until an empty one, or `?cursor=C` from `next_cursor` until it is null. The AWS
 * reader also accepts other field names; Data Factory needs one path each, so these are its first ones.
 */
export const API_RECORDS_PATH = '$.data';
/** The response field that carries the next cursor. */
export const API_CURSOR_PATH = '$.next_cursor';
/** Records per page of page pagination. */
export const API_PAGE_SIZE = 500;

/** The copy activity's sink settings: JSON as JSON lines (one record per line, as on AWS). */
function copySink(dataset: Pick<DatasetCopy, 'format'>): Json {
  const type = FILE_FORMATS[dataset.format];
  return {
    type: `${type}Sink`,
    storeSettings: { type: 'AzureBlobFSWriteSettings' },
    ...(type === 'Json' ? { formatSettings: { type: 'JsonWriteSettings', filePattern: 'setOfObjects' } } : {}),
  };
}

/**
 * The copy of one run into the dataset's bronze partition, retried twice: the source range of the run,
 * the ingestion metadata columns, the declared columns typed, and the rows that break them quarantined.
 */
export function copyActivity(
  dataset: DatasetCopy,
  sourceDatasetName: string,
  sinkDatasetName: string,
  lakeLinkedService: string,
  dependsOn: Json[] = [],
): Json {
  const envelope = {
    name: dataFactoryCopyActivityName(dataset.name),
    type: 'Copy',
    dependsOn,
    policy: COPY_ACTIVITY_POLICY,
    inputs: [{ referenceName: sourceDatasetName, type: 'DatasetReference' }],
    outputs: [bronzeOutput(sinkDatasetName)],
  };
  if (dataset.format === 'binary') return { ...envelope, typeProperties: binaryCopyProperties(dataset) };
  const additionalColumns = bronzeAdditionalColumns({ cdc: false, source: dataset.source }, dataset.sourceDescription);
  return {
    ...envelope,
    typeProperties: {
      source: { ...copySource(dataset), additionalColumns },
      sink: copySink(dataset),
      translator: bronzeTranslator({
        name: dataset.name,
        columns: dataset.columns,
        metadataColumns: additionalColumns.map((column) => column.name as string),
        ...(dataset.source.kind === 'api' ? { collectionReference: API_RECORDS_PATH } : {}),
      }),
      ...quarantineSettings(dataset, lakeLinkedService),
      enableStaging: false,
    },
  };
}

/**
 * The copy properties of a binary dataset's new files into its bronze partition, byte for byte and keeping their
 * folders below the landing prefix: nothing is parsed, so there are no metadata columns, no mapping and
 * nothing to quarantine; the Databricks bronze tables step lists the objects in the manifest table.
 */
function binaryCopyProperties(dataset: DatasetCopy): Json {
  return {
    source: copySource(dataset),
    sink: { type: 'BinarySink', storeSettings: { type: 'AzureBlobFSWriteSettings', copyBehavior: 'PreserveHierarchy' } },
    enableStaging: false,
  };
}
