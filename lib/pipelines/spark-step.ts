import { s3BucketName, sparkScriptLocation, sparkStepName } from '../naming';
import type { NamingScope } from '../naming';
import type { Pipeline } from './pipelines';

/** Name of the Spark catalog that holds the Iceberg silver and gold tables (`spark.sql.catalog.<name>`). */
export const SPARK_CATALOG = 'lake';

/**
 * The Spark defaults that make `SPARK_CATALOG` the Glue Data Catalog through Iceberg's GlueCatalog, with
 * S3FileIO and the given warehouse (the silver bucket; each table the application creates names its own
 * location in its layer's bucket). EMR ships the Iceberg runtime when the `iceberg-defaults`
 * classification enables it (`SparkCluster` does).
 */
export function icebergCatalogDefaults(warehouse: string, catalog: string = SPARK_CATALOG): Record<string, string> {
  const prefix = `spark.sql.catalog.${catalog}`;
  return {
    'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    [prefix]: 'org.apache.iceberg.spark.SparkCatalog',
    [`${prefix}.catalog-impl`]: 'org.apache.iceberg.aws.glue.GlueCatalog',
    [`${prefix}.io-impl`]: 'org.apache.iceberg.aws.s3.S3FileIO',
    [`${prefix}.warehouse`]: warehouse,
  };
}

/** An EMR step that runs `spark-submit`. */
export interface SparkStep {
  readonly name: string;
  /** Arguments after `spark-submit`, e.g. the options, the application and its arguments. */
  readonly sparkSubmitArgs: readonly string[];
}

/** Where a pipeline runs: its environment's naming scope, AWS account and region. */
export interface SparkStepTarget {
  readonly scope: NamingScope;
  readonly account: string;
  readonly region: string;
}

/**
 * The EMR step that applies a pipeline's new bronze batches to its silver and gold Iceberg tables:
 * `spark-submit` of the Spark application in the artifacts bucket, told which environment and domain
 * to build, which catalog holds the tables and where each layer lives. Cluster deploy mode keeps the driver off the primary node, so concurrent steps of
 * several pipelines do not compete for its memory.
 */
export function sparkStepFor(target: SparkStepTarget, pipeline: Pipeline): SparkStep {
  const { scope, account, region } = target;
  const layer = (name: string) => `s3://${s3BucketName(scope, name, account, region)}/`;
  return {
    name: sparkStepName(scope, pipeline.name),
    sparkSubmitArgs: [
      '--deploy-mode',
      'cluster',
      sparkScriptLocation(scope, account, region),
      '--environment',
      scope.environment,
      '--domain',
      pipeline.name,
      '--catalog',
      SPARK_CATALOG,
      '--bronze',
      layer('bronze'),
      '--silver',
      layer('silver'),
      '--gold',
      layer('gold'),
    ],
  };
}
