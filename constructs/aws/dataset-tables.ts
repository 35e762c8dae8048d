import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnTable } from 'aws-cdk-lib/aws-glue';
import { CfnTagAssociation } from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { type Classification, type Format, LAYERS, type Layer, type TableAccess } from '../../lib/definition';
import { BRONZE_PARTITION_COLUMN, datasetLocation, storageFormat, type TableColumn, tableStorageFormat } from '../../lib/lake';
import { layerConstructId } from './layer-construct-id';

export interface DatasetTablesProps {
  /** Table name in every layer (the dataset's name). */
  readonly name: string;
  /** Business domain: the folder under each layer's bucket and the value of the domain tag. */
  readonly domain: string;
  /**
   * Description of the tables.
   * @default - no description
   */
  readonly description?: string;
  /** Sensitivity of the data, written as the `data_classification` table parameter. */
  readonly classification: Classification;
  /** The dataset's own typed columns, first in every layer. */
  readonly columns: readonly TableColumn[];
  /**
   * Bookkeeping columns each layer's writer adds after the dataset's own (see `layerMetadataColumns`).
   * @default - no columns beyond the dataset's own
   */
  readonly metadataColumns?: Readonly<Partial<Record<Layer, readonly TableColumn[]>>>;
  /** Format of the data as it lands in bronze; silver and gold are Parquet. */
  readonly bronzeFormat: Format;
  /**
   * Field delimiter of a CSV bronze table.
   * @default ','
   */
  readonly csvDelimiter?: string;
  /** Per layer, the groups with access and what they may do (`own` or `read`); each becomes an `access_<group>` tag. */
  readonly access: Readonly<Record<Layer, ReadonlyMap<string, TableAccess>>>;
  /** Glue database per layer (see `glueDatabaseName`). */
  readonly databaseNames: Readonly<Record<Layer, string>>;
  /** Bucket name per layer; a table lives at `s3://<bucket>/<domain>/<name>/`. */
  readonly bucketNames: Readonly<Record<Layer, string>>;
  /** Key of the domain tag (see `domainTagKey`). */
  readonly domainTagKey: string;
  /** The access tag key of a group (see `accessTagKey`). */
  readonly accessTagKeyOf: (group: string) => string;
  /**
   * The layers whose tables this construct declares. Leave out the layers whose tables another writer
   * creates and evolves itself (the platform's Spark application owns silver and gold as Iceberg tables:
   * CloudFormation would strip their Iceberg properties on every update).
   * @default LAYERS (bronze, silver and gold)
   */
  readonly layers?: readonly Layer[];
  /**
   * What happens to the table definitions when they leave the stack (the data stays in S3 either way).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A dataset's table in each layer, tagged for Lake Formation. Bronze keeps the source format and is
 * partitioned by ingestion date; silver and gold are Parquet. Each layer has the dataset's columns and
 * that layer's bookkeeping columns. The tags (domain, and `access_<group>` = `own`/`read` per group
 * with access) are what the Lake Formation grants match.
 */
export class DatasetTables extends Construct {
  private readonly tables: Partial<Record<Layer, CfnTable>>;

  constructor(scope: Construct, id: string, props: DatasetTablesProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const tables: Partial<Record<Layer, CfnTable>> = {};
    const layers = props.layers ?? LAYERS;
    for (const layer of layers) {
      if (!LAYERS.includes(layer)) throw new Error(`layers contains "${String(layer)}"; layers are: ${LAYERS.join(', ')}`);
      const bronze = layer === 'bronze';
      const columns = [...props.columns, ...(props.metadataColumns?.[layer] ?? [])];
      const format = tableStorageFormat(storageFormat({ format: props.bronzeFormat }, layer), columns, {
        delimiter: props.csvDelimiter,
        recordName: props.name,
      });
      const table = new CfnTable(this, layerConstructId(layer), {
        catalogId,
        databaseName: props.databaseNames[layer],
        tableInput: {
          name: props.name,
          description: props.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: { ...format.tableParameters, EXTERNAL: 'TRUE', data_classification: props.classification, domain: props.domain },
          partitionKeys: bronze ? [{ name: BRONZE_PARTITION_COLUMN, type: 'string', comment: 'UTC date of the ingestion run (YYYY-MM-DD)' }] : [],
          storageDescriptor: {
            columns: columns.map((column) => ({ name: column.name, type: column.type, comment: column.comment })),
            location: datasetLocation(props.bucketNames[layer], props),
            inputFormat: format.inputFormat,
            outputFormat: format.outputFormat,
            compressed: false,
            storedAsSubDirectories: false,
            serdeInfo: { serializationLibrary: format.serializationLibrary, parameters: { ...format.serdeParameters } },
          },
        },
      });
      table.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
      const tags = new CfnTagAssociation(this, `${layerConstructId(layer)}Tags`, {
        resource: { table: { catalogId, databaseName: props.databaseNames[layer], name: props.name } },
        lfTags: [
          { catalogId, tagKey: props.domainTagKey, tagValues: [props.domain] },
          ...[...props.access[layer]].map(([group, value]) => ({ catalogId, tagKey: props.accessTagKeyOf(group), tagValues: [value] })),
        ],
      });
      tags.addResourceDependency(table);
      tables[layer] = table;
    }
    this.tables = tables;
  }

  /** The table of a layer; fails for a layer this construct does not declare (see `layers`). */
  tableFor(layer: Layer): CfnTable {
    const table = this.tables[layer];
    if (!table) throw new Error(`${this.node.path} declares no ${layer} table; it declares: ${Object.keys(this.tables).join(', ')}`);
    return table;
  }
}
