import { Catalogue, type DatasetConfig, type Format, type PlatformConfig } from '../definition';
import {
  type BinaryManifestSettings,
  binaryManifestSettings,
  BRONZE_PARTITION_COLUMN,
  bronzeCsvDialect,
  bronzeMetadataColumns,
  bronzeTableCheckpointPrefix,
  type CsvDialect,
  datasetPrefix,
  type MetadataColumn,
  isBinary,
  sourceDescription,
  storageFormat,
} from '../lake';
import { qualifiedTableName, unityCatalogBronzeTable } from '../naming';

/**
 * The plan of the step that turns the files landed in the bronze filesystem into one bronze table per
 * batch dataset (constructs/databricks/pipelines/bronze_tables.py, the first task of the Databricks
 * processing job): for each dataset, where its files are, how to read them, the table's columns (the
 * dataset's declared columns, then the bronze metadata columns of lib/lake, then the partition column,
 * exactly the AWS bronze table's) and where the step keeps its checkpoint: in bronze's working data (lib/lake
 * `BRONZE_WORK_AREA`), never in the bronze filesystem, which the step only reads (it is immutable). Pure: the lakehouse stack
 * writes it as a workspace file; the local tests run the step with it.
 */

/** Version of the plan; bronze_tables.py refuses others. */
export const BRONZE_TABLES_PLAN_VERSION = 1;

/** A column of a bronze table: its type in the table, and the type it has in the landed files when that differs. */
export interface BronzeTableColumn {
  readonly name: string;
  /** Spark SQL type in the table. */
  readonly type: string;
  /** Spark SQL type the landing service writes it as, when not `type` (the step casts it). */
  readonly landedType?: string;
}

/** One dataset's bronze table in the plan. */
export interface BronzeTablePlan {
  readonly dataset: string;
  readonly domain: string;
  /** `<catalog>.bronze.<dataset>`. */
  readonly table: string;
  /** `<bronze url><domain>/<dataset>/`: the landed files, partitioned by `partitionColumn` folders. */
  readonly source: string;
  /** Format of the landed files (`binary`: any file, listed in the table as a manifest, lib/lake/binary-manifest.ts). */
  readonly format: Format;
  /** How CSV files are written; only for `csv`. */
  readonly csv?: CsvDialect;
  /** How the manifest of a `binary` dataset is built, and what its `_source` says; only for `binary`. */
  readonly binary?: BinaryManifestSettings & { readonly sourceDescription: string };
  /** The dataset's declared columns, then the metadata columns, in the table's order (the partition column after them). */
  readonly columns: readonly BronzeTableColumn[];
  /** The partition column (a string `YYYY-MM-DD`, from the folder names). */
  readonly partitionColumn: string;
  /** `<bronze work url>_state/<domain>/<dataset>/bronze_table/`: where the step keeps the set of files it has loaded. */
  readonly checkpoint: string;
}

export interface BronzeTablesPlan {
  readonly version: typeof BRONZE_TABLES_PLAN_VERSION;
  readonly tables: readonly BronzeTablePlan[];
}

export interface BronzeTablesPlanOptions {
  /** The environment's Unity Catalog catalog (`spark_catalog` locally). */
  readonly catalog: string;
  /** URL of the bronze filesystem, ending in `/` (`abfss://bronze@<account>.dfs.core.windows.net/`, `file:/...` locally). */
  readonly bronzeUrl: string;
  /**
   * URL of bronze's working data, ending in `/` (`abfss://bronze-work@<account>.dfs.core.windows.net/`, `file:/...`
   * locally): where the checkpoints go. Not the bronze URL nor inside it: bronze is immutable.
   */
  readonly bronzeWorkUrl: string;
  /**
   * The type the landing service writes a metadata column as, when not its layout type (Data Factory
   * writes the columns it adds as text).
   * @default - every column lands with its layout type
   */
  readonly landedType?: (dataset: DatasetConfig, column: MetadataColumn) => string | undefined;
}

/** The plan of every batch dataset of the definition, in definition order; no batch dataset, no tables. */
export function bronzeTablesPlan(config: Pick<PlatformConfig, 'datasets'>, options: BronzeTablesPlanOptions): BronzeTablesPlan {
  if (!options.bronzeUrl.endsWith('/')) throw new Error(`bronzeTablesPlan: bronzeUrl "${options.bronzeUrl}" must end with "/"`);
  if (!options.bronzeWorkUrl.endsWith('/')) throw new Error(`bronzeTablesPlan: bronzeWorkUrl "${options.bronzeWorkUrl}" must end with "/"`);
  if (options.bronzeWorkUrl.startsWith(options.bronzeUrl) || options.bronzeUrl.startsWith(options.bronzeWorkUrl)) {
    throw new Error(
      `bronzeTablesPlan: bronzeWorkUrl "${options.bronzeWorkUrl}" and bronzeUrl "${options.bronzeUrl}" must not contain one another: ` +
        'the checkpoints are rewritten every run, and bronze only takes files written once',
    );
  }
  const tables = Catalogue.of(config)
    .batch()
    .map((dataset): BronzeTablePlan => {
      // Captured changes land as Parquet: validation holds every `cdc: true` database dataset to that format.
      // Binary files land as they are; the step lists them and writes the metadata itself (nothing is landed as text).
      const binary = isBinary(dataset);
      const format = binary ? 'binary' : storageFormat(dataset, 'bronze');
      const metadata = bronzeMetadataColumns(dataset).map((column): BronzeTableColumn => {
        const landed = binary ? undefined : options.landedType?.(dataset, column);
        return landed !== undefined && landed !== column.type
          ? { name: column.name, type: column.type, landedType: landed }
          : { name: column.name, type: column.type };
      });
      return {
        dataset: dataset.name,
        domain: dataset.domain,
        table: qualifiedTableName(options.catalog, unityCatalogBronzeTable(dataset)),
        source: `${options.bronzeUrl}${datasetPrefix(dataset)}`,
        format,
        ...(format === 'csv' ? { csv: bronzeCsvDialect(dataset) } : {}),
        ...(binary ? { binary: { ...binaryManifestSettings(dataset), sourceDescription: sourceDescription(dataset) } } : {}),
        columns: [...dataset.columns.map((column) => ({ name: column.name, type: column.type })), ...metadata],
        partitionColumn: BRONZE_PARTITION_COLUMN,
        checkpoint: `${options.bronzeWorkUrl}${bronzeTableCheckpointPrefix(dataset)}`,
      };
    });
  return { version: BRONZE_TABLES_PLAN_VERSION, tables };
}
