import { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DatasetTables, type DatasetTablesProps } from '../../constructs/aws';
import { LAYERS, layerAccess, type DatasetConfig, type Layer } from '../../lib/definition';
import { layerMetadataColumns, requireAwsIngestionSupport, SPARK_OWNED_LAYERS, type TableColumn } from '../../lib/lake';
import { accessTagKey, domainShardPart, domainTagKey } from '../../lib/naming';
import { anyDataset, EnvironmentStack } from './environment-stack';
import type { DomainShardProps, EnvironmentStackProps } from './environment-stack-props';
import { layerBucketNames, layerDatabaseNames } from './lake-buckets';

export interface DomainCatalogStackProps extends EnvironmentStackProps, DomainShardProps {}

/**
 * `<prefix>-<env>-catalog-<domain>[-<shard>]`: the bronze tables of one domain's (shard's) datasets, tagged for Lake
 * Formation (the Spark application creates and tags the silver and gold Iceberg tables,
 * `SPARK_OWNED_LAYERS`). One stack per domain keeps every template small however large the
 * catalogue grows, and a dataset's tables never move to another stack when datasets are added (a large
 * domain is split into shards that keep each dataset where it was first put, lib/limits/domain-shards.ts).
 * Deploys after `<prefix>-<env>-catalog` (databases, tags, administrators).
 */
export class DomainCatalogStack extends EnvironmentStack {
  readonly domain: string;
  readonly tables: ReadonlyMap<string, DatasetTables>;

  constructor(scope: Construct, props: DomainCatalogStackProps) {
    super(
      scope,
      'catalog',
      { description: `Catalog tables of the ${props.domain} domain of ${props.config.prefix} ${props.environment.name}`, ...props },
      domainShardPart(props.domain, props.shard),
    );
    this.domain = props.domain;
    const datasets = this.shardDatasets(props, anyDataset, 'datasets', 'domains');
    // A table is only as good as the job that fills it: fail here, with the reason, rather than write one.
    datasets.forEach(requireAwsIngestionSupport);
    const databaseNames = layerDatabaseNames(this);
    const bucketNames = layerBucketNames(this);
    const tables = new Map<string, DatasetTables>();
    for (const dataset of datasets) {
      // The dataset name is the construct id: a contract, so the tables keep their logical ids.
      tables.set(
        dataset.name,
        new DatasetTables(this, dataset.name, {
          ...datasetTablesOf(dataset),
          // Silver and gold are Iceberg tables the Spark application creates, evolves and tags itself.
          layers: LAYERS.filter((layer) => !SPARK_OWNED_LAYERS.includes(layer)),
          databaseNames,
          bucketNames,
          domainTagKey: domainTagKey(this.naming),
          accessTagKeyOf: (group) => accessTagKey(this.naming, group),
          removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
      );
    }
    this.tables = tables;
  }
}

/** What the tables of a dataset are, from its definition: columns, bookkeeping columns and access per layer. */
function datasetTablesOf(
  dataset: DatasetConfig,
): Pick<DatasetTablesProps, 'name' | 'domain' | 'description' | 'classification' | 'columns' | 'metadataColumns' | 'bronzeFormat' | 'csvDelimiter' | 'access'> {
  const perLayer = <T>(of: (layer: Layer) => T) => Object.fromEntries(LAYERS.map((layer) => [layer, of(layer)])) as Record<Layer, T>;
  const column = (c: { name: string; type: string; description?: string }): TableColumn => ({ name: c.name, type: c.type, comment: c.description });
  return {
    name: dataset.name,
    domain: dataset.domain,
    description: dataset.description,
    classification: dataset.classification,
    columns: dataset.columns.map(column),
    metadataColumns: perLayer((layer) => layerMetadataColumns(dataset, layer).map(column)),
    bronzeFormat: dataset.format,
    csvDelimiter: dataset.source.kind === 'files' ? dataset.source.delimiter : undefined,
    access: perLayer((layer) => layerAccess(dataset, layer)),
  };
}
