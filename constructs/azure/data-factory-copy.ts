import { type ApiSource, BATCH_SOURCE_KINDS, type DatabaseEngine, type DatabaseSource, type FilesSource, type Format } from '../../lib/definition';
import { keyVaultSecretName } from '../../lib/naming';
import type { CapturedCopy } from './change-capture-copy';

/**
 * What Data Factory needs to copy one dataset into bronze: the linked service of the source (when the
 * source has its own), the source and sink datasets and the copy activity. Pure functions of a
 * `DatasetCopy`, so that the constructs only create resources.
 */

type Json = Record<string, unknown>;

/** Where Data Factory copies a dataset from: a database table, an https resource, or files landed under `bronze/landing/`. */
export type CopySource = DatabaseSource | ApiSource | FilesSource;

/** One dataset as Data Factory copies it: from its source into `bronze/<domain>/<name>/`, in its format. */
export interface DatasetCopy {
  /** The dataset's name: the folder in bronze and the suffix of every Data Factory name (`ingest_<name>`, ...). */
  readonly name: string;
  /** Business domain: the folder in bronze and the Data Factory folder of the pipeline and its datasets. */
  readonly domain: string;
  /** Format the data lands in (API responses are JSON). */
  readonly format: Format;
  /** What the copy reads. */
  readonly source: CopySource;
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

/** Data Factory's file formats, by the definition's format. */
const FILE_FORMATS: Record<Format, string> = { json: 'Json', csv: 'DelimitedText', avro: 'Avro', parquet: 'Parquet', orc: 'Orc' };

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

/** The source dataset: a table, a REST resource or files under `bronze/landing/`. */
export function sourceDataset(dataset: DatasetCopy): { type: string; typeProperties: Json } {
  const source = dataset.source;
  switch (source.kind) {
    case 'database': {
      const [table, schema] = source.table.split('.').reverse();
      return { type: DATABASE_TYPES[source.engine].dataset, typeProperties: { table, ...(schema ? { schema } : {}) } };
    }
    case 'api':
      return { type: 'RestResource', typeProperties: { relativeUrl: source.path } };
    case 'files':
      return {
        type: FILE_FORMATS[dataset.format],
        typeProperties: { location: { type: 'AzureBlobFSLocation', fileSystem: 'bronze' }, ...formatSettings(dataset) },
      };
    default:
      throw new Error(
        `dataset "${dataset.name}": source kind "${(source as { kind: string }).kind}" is not copied by Data Factory; kinds: ${BATCH_SOURCE_KINDS.join(', ')}`,
      );
  }
}

/** The sink dataset: `bronze/<domain>/<dataset>/` in the dataset's format (API responses stay JSON). */
export function sinkDataset(dataset: DatasetCopy): { type: string; typeProperties: Json } {
  return {
    type: FILE_FORMATS[dataset.format],
    typeProperties: {
      location: { type: 'AzureBlobFSLocation', fileSystem: 'bronze', folderPath: `${dataset.domain}/${dataset.name}` },
      ...formatSettings(dataset),
    },
  };
}

function formatSettings(dataset: DatasetCopy): Json {
  if (dataset.format !== 'csv') return {};
  const source = dataset.source;
  const files = source.kind === 'files' ? source : undefined;
  return { columnDelimiter: files?.delimiter ?? ',', firstRowAsHeader: files?.header ?? true, quoteChar: '"', escapeChar: '\\' };
}

/** The copy activity's source settings. */
function copySource(dataset: DatasetCopy): Json {
  const source = dataset.source;
  switch (source.kind) {
    case 'database':
      return { type: DATABASE_TYPES[source.engine].source };
    case 'api':
      return {
        type: 'RestSource',
        httpRequestTimeout: '00:05:00',
        requestInterval: '00.00:00:00.010',
        ...(source.pagination === 'cursor' ? { paginationRules: { AbsoluteUrl: '$.next' } } : {}),
        ...(source.pagination === 'page' ? { paginationRules: { 'QueryParameters.page': 'RANGE:1::1', EndCondition: '$.data:Empty' } } : {}),
      };
    case 'files': {
      const slash = source.pathPattern.lastIndexOf('/');
      return {
        type: `${FILE_FORMATS[dataset.format]}Source`,
        storeSettings: {
          type: 'AzureBlobFSReadSettings',
          recursive: true,
          wildcardFolderPath: slash >= 0 ? `landing/${source.pathPattern.slice(0, slash)}` : 'landing',
          wildcardFileName: source.pathPattern.slice(slash + 1),
        },
      };
    }
    default:
      throw new Error(
        `dataset "${dataset.name}": source kind "${(source as { kind: string }).kind}" is not copied by Data Factory; kinds: ${BATCH_SOURCE_KINDS.join(', ')}`,
      );
  }
}

/** The pipeline's one activity: copy the source into the dataset's bronze folder, retried twice. */
export function copyActivity(dataset: DatasetCopy, sourceDatasetName: string, sinkDatasetName: string): Json {
  return {
    name: `copy_${dataset.name}_to_bronze`,
    type: 'Copy',
    policy: { timeout: '0.02:00:00', retry: 2, retryIntervalInSeconds: 60, secureInput: true, secureOutput: true },
    inputs: [{ referenceName: sourceDatasetName, type: 'DatasetReference' }],
    outputs: [{ referenceName: sinkDatasetName, type: 'DatasetReference' }],
    typeProperties: {
      source: copySource(dataset),
      sink: { type: `${FILE_FORMATS[dataset.format]}Sink`, storeSettings: { type: 'AzureBlobFSWriteSettings' } },
      enableStaging: false,
    },
  };
}
