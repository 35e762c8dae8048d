import type { DatasetConfig, EnvironmentConfig, PlatformConfig, QualityRule } from '../definition';
import { LAYERS, layerAccess, type Layer } from '../definition';
import { accessTagKey, domainTagKey, glueDatabaseName, type NamingScope } from '../naming';
import { apiExposedDatasets } from '../access/api-access';
import { type CatalogTag, catalogTags } from '../access/lake-formation-tags';
import { isBinary } from '../lake';

/**
 * The dataset manifest the Spark application (`constructs/aws/jobs/spark/silver_gold.py`) reads: for each
 * domain, every dataset's columns, keys, CDC flag, bronze format and quality rules, plus the Glue
 * databases of the environment. It is generated from the definition and deployed next to the
 * application, so that adding a dataset to platform.yaml changes what Spark builds without a code change.
 */
export interface SparkManifest {
  /** Bumped when the shape changes; the application refuses versions it does not know. */
  readonly version: typeof SPARK_MANIFEST_VERSION;
  readonly platform: string;
  readonly environment: string;
  /** Glue Data Catalog database of each layer (`glueDatabaseName`). */
  readonly databases: Readonly<Record<Layer, string>>;
  /** Names of the columns the ingestion jobs add to every bronze row. */
  readonly metadataColumns: SparkMetadataColumns;
  /** Where the catalog's Lake Formation tags are, for tagging the gold tables the application adds itself. */
  readonly lakeFormation: SparkLakeFormation;
  /** Datasets by domain, in definition order. Stream datasets are included: their bronze data is read like any other. */
  readonly domains: Readonly<Record<string, readonly SparkDataset[]>>;
}

export interface SparkMetadataColumns {
  /** When the row landed in bronze (timestamp). */
  readonly ingestedAt: string;
  /** CDC operation of a change event: insert, update or delete. */
  readonly operation: string;
  /** CDC sequence in commit order; the highest wins. */
  readonly sequence: string;
  /** Id of the ingestion run that landed the row: the unit the application processes once and audits. */
  readonly batchId: string;
  /** Path of the file a row was read from (files sources; absent otherwise). */
  readonly sourceFile: string;
}

export interface SparkLakeFormation {
  /** The Data Catalog (the environment's account). */
  readonly catalogId: string;
  /** Region of the catalog, for the Lake Formation client. */
  readonly region: string;
  /** Key of the domain tag (`domainTagKey`). */
  readonly domainTagKey: string;
  /** Keys of the access tags (`accessTagKey`), one per group with access to a table. */
  readonly accessTagKeys: readonly string[];
  /**
   * Key of the gold API's tag (`apiAccessTagKey`, value `read`), which only the gold tables the API exposes
   * carry (in `tags.gold` of their datasets; never the tables derived from them); null where the environment
   * deploys no API.
   */
  readonly apiTagKey: string | null;
}

export interface SparkDataset {
  readonly name: string;
  readonly domain: string;
  /** Format of the bronze data (what `spark.read.format` takes). */
  readonly format: DatasetConfig['format'];
  /** Reader options for the bronze format (CSV: ingestion writes a header row and keeps the source's delimiter). */
  readonly readOptions: Readonly<Record<string, string>>;
  /** `<domain>/<dataset>/`: where the dataset lives inside each layer's bucket. */
  readonly path: string;
  readonly cdc: boolean;
  readonly keys: readonly string[];
  readonly columns: readonly SparkColumn[];
  /**
   * Columns that order the copies of one key, newest first (see `newestFirst`): the change sequence of a
   * CDC dataset, else the dataset's declared `source.changeTrackingColumn`, else an `updated_at`
   * timestamp column when it has one; then the ingestion time.
   */
  readonly orderBy: readonly string[];
  readonly quality: readonly QualityRule[];
  readonly classification: DatasetConfig['classification'];
  /**
   * Lake Formation tags of the dataset's silver and gold tables, which the application creates and tags:
   * the domain tag and one access tag per group with access to the layer (`own` or `read`), by tag key;
   * in gold also the API's tag when the gold API exposes the dataset.
   */
  readonly tags: Readonly<Record<'silver' | 'gold', Readonly<Record<string, readonly string[]>>>>;
}

export interface SparkColumn {
  readonly name: string;
  /** A Spark SQL type: string, int, bigint, double, boolean, date, timestamp, decimal(p,s). */
  readonly type: string;
  readonly nullable: boolean;
  readonly pii: boolean;
}

export const SPARK_MANIFEST_VERSION = 4;

/** The bronze metadata columns, as the ingestion jobs and the dbt project name them. */
export const BRONZE_METADATA_COLUMNS: SparkMetadataColumns = {
  ingestedAt: '_ingested_at',
  operation: '_op',
  sequence: '_change_seq',
  batchId: '_batch_id',
  sourceFile: '_source_file',
};

/** The manifest of one environment (the Glue database names differ per environment). */
export function sparkManifest(config: PlatformConfig, environment: EnvironmentConfig): SparkManifest {
  const scope: NamingScope = { prefix: config.prefix, environment: environment.name };
  if (environment.aws === undefined) throw new Error(`environments.${environment.name}.aws is not set: the Spark manifest is for AWS environments only`);
  const tags = catalogTags(config, environment);
  const exposed = apiExposedDatasets(config, environment);
  const domains: Record<string, SparkDataset[]> = {};
  // Binary datasets stay in bronze (objects and their manifest): silver and gold are built from records.
  for (const dataset of config.datasets.filter((candidate) => !isBinary(candidate))) {
    (domains[dataset.domain] ??= []).push(sparkDataset(dataset, scope, exposed.has(dataset.name) ? tags.api : undefined));
  }
  return {
    version: SPARK_MANIFEST_VERSION,
    platform: config.prefix,
    environment: environment.name,
    databases: Object.fromEntries(LAYERS.map((layer) => [layer, glueDatabaseName(scope, layer)])) as Record<Layer, string>,
    metadataColumns: BRONZE_METADATA_COLUMNS,
    lakeFormation: {
      catalogId: environment.aws.account,
      region: environment.aws.region,
      domainTagKey: tags.domain.tagKey,
      accessTagKeys: tags.access.map((tag) => tag.tagKey),
      apiTagKey: tags.api?.tagKey ?? null,
    },
    domains,
  };
}

/**
 * The columns that rank the copies of one key, newest first. CDC: the change sequence. Without CDC, the
 * column the definition declares as increasing on every insert and update (`source.changeTrackingColumn`,
 * validated as a not-nullable int, bigint, timestamp or decimal(p,0) column: the ingestion bookmark);
 * for sources that declare none (files, APIs, database snapshots), the documented fallback is a
 * timestamp column named `updated_at`. The ingestion time comes last, so a later load wins a tie.
 */
function newestFirst(dataset: Pick<DatasetConfig, 'cdc' | 'source' | 'columns'>): string[] {
  if (dataset.cdc) return [BRONZE_METADATA_COLUMNS.sequence, BRONZE_METADATA_COLUMNS.ingestedAt];
  const declared = dataset.source.kind === 'database' ? dataset.source.changeTrackingColumn : undefined;
  const updatedAt = dataset.columns.some((column) => column.name === 'updated_at' && column.type === 'timestamp') ? 'updated_at' : undefined;
  const tracking = declared ?? updatedAt;
  return [...(tracking ? [tracking] : []), BRONZE_METADATA_COLUMNS.ingestedAt];
}

function sparkDataset(dataset: DatasetConfig, scope: NamingScope, apiTag: CatalogTag | undefined): SparkDataset {
  return {
    name: dataset.name,
    domain: dataset.domain,
    format: dataset.format,
    readOptions: readOptions(dataset),
    path: `${dataset.domain}/${dataset.name}/`,
    cdc: dataset.cdc,
    keys: dataset.keys,
    columns: dataset.columns.map((column) => ({ name: column.name, type: column.type, nullable: column.nullable, pii: column.pii })),
    orderBy: newestFirst(dataset),
    quality: dataset.quality,
    classification: dataset.classification,
    tags: {
      silver: tableTags(dataset, 'silver', scope),
      gold: { ...tableTags(dataset, 'gold', scope), ...(apiTag && { [apiTag.tagKey]: [...apiTag.tagValues] }) },
    },
  };
}

/** The LF-tags of a dataset's table in a layer: what the catalog stack gave the tables it declared before the application owned them. */
function tableTags(dataset: DatasetConfig, layer: Layer, scope: NamingScope): Record<string, string[]> {
  const tags: Record<string, string[]> = { [domainTagKey(scope)]: [dataset.domain] };
  for (const [group, access] of layerAccess(dataset, layer)) tags[accessTagKey(scope, group)] = [access];
  return tags;
}

/** Ingestion always writes bronze CSV with a header row, in the source's delimiter. */
function readOptions(dataset: DatasetConfig): Record<string, string> {
  if (dataset.format !== 'csv') return {};
  const source = dataset.source.kind === 'files' ? dataset.source : undefined;
  return { header: 'true', sep: source?.delimiter ?? ',' };
}
