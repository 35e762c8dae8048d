import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnTable } from 'aws-cdk-lib/aws-glue';
import { CfnTagAssociation } from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { type DatasetConfig, LAYERS, type Layer } from '../../lib/definition';
import { BRONZE_PARTITION_COLUMN, datasetLocation, layerMetadataColumns, storageFormat, type TableColumn, tableStorageFormat } from '../../lib/lake';
import { layerAccess } from '../../lib/definition';
import { layerConstructId } from './layer-construct-id';

export interface DatasetTablesProps {
  /** The dataset the tables describe. */
  readonly dataset: DatasetConfig;
  /** Glue database per layer (see `glueDatabaseName`). */
  readonly databaseNames: Readonly<Record<Layer, string>>;
  /** Bucket name per layer; a table lives at `s3://<bucket>/<domain>/<dataset>/`. */
  readonly bucketNames: Readonly<Record<Layer, string>>;
  /** Key of the domain tag (see `domainTagKey`). */
  readonly domainTagKey: string;
  /** The access tag key of a group (see `accessTagKey`). */
  readonly accessTagKeyOf: (group: string) => string;
  /**
   * What happens to the table definitions when they leave the stack (the data stays in S3 either way).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A dataset's table in each layer, tagged for Lake Formation. Bronze keeps the source format,
 * carries the ingestion metadata columns and is partitioned by ingestion date; silver and gold are
 * Parquet with the dataset's typed columns and the bookkeeping columns the Spark step writes
 * (`layerMetadataColumns`). The tags (domain, and `access_<group>` = `own`/`read`
 * per group with access) are what the Lake Formation grants match.
 */
export class DatasetTables extends Construct {
  private readonly tables: Record<Layer, CfnTable>;

  constructor(scope: Construct, id: string, props: DatasetTablesProps) {
    super(scope, id);
    const { dataset } = props;
    const catalogId = Stack.of(this).account;
    const ownColumns: TableColumn[] = dataset.columns.map((column) => ({ name: column.name, type: column.type, comment: column.description }));
    const tables = {} as Record<Layer, CfnTable>;
    for (const layer of LAYERS) {
      const bronze = layer === 'bronze';
      const columns = [...ownColumns, ...layerMetadataColumns(dataset, layer).map((c) => ({ name: c.name, type: c.type, comment: c.description }))];
      const format = tableStorageFormat(storageFormat(dataset, layer), columns, {
        delimiter: dataset.source.kind === 'files' ? dataset.source.delimiter : undefined,
        recordName: dataset.name,
      });
      const table = new CfnTable(this, layerConstructId(layer), {
        catalogId,
        databaseName: props.databaseNames[layer],
        tableInput: {
          name: dataset.name,
          description: dataset.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: { ...format.tableParameters, EXTERNAL: 'TRUE', data_classification: dataset.classification, domain: dataset.domain },
          partitionKeys: bronze ? [{ name: BRONZE_PARTITION_COLUMN, type: 'string', comment: 'UTC date of the ingestion run (YYYY-MM-DD)' }] : [],
          storageDescriptor: {
            columns: columns.map((column) => ({ name: column.name, type: column.type, comment: column.comment })),
            location: datasetLocation(props.bucketNames[layer], dataset),
            inputFormat: format.inputFormat,
            outputFormat: format.outputFormat,
            compressed: false,
            storedAsSubDirectories: false,
            serdeInfo: { serializationLibrary: format.serializationLibrary, parameters: { ...format.serdeParameters } },
          },
        },
      });
      table.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
      const access = [...layerAccess(dataset, layer).entries()];
      const tags = new CfnTagAssociation(this, `${layerConstructId(layer)}Tags`, {
        resource: { table: { catalogId, databaseName: props.databaseNames[layer], name: dataset.name } },
        lfTags: [
          { catalogId, tagKey: props.domainTagKey, tagValues: [dataset.domain] },
          ...access.map(([group, value]) => ({ catalogId, tagKey: props.accessTagKeyOf(group), tagValues: [value] })),
        ],
      });
      tags.addResourceDependency(table);
      tables[layer] = table;
    }
    this.tables = tables;
  }

  /** The table of a layer. */
  tableFor(layer: Layer): CfnTable {
    return this.tables[layer];
  }
}
