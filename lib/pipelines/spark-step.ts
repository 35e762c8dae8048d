import { s3BucketName, sparkJobRunName, sparkManifestLocation, sparkScriptLocation, sparkStepName } from '../naming';
import type { NamingScope } from '../naming';
import type { Pipeline } from './pipelines';

/** Name of the Spark catalog that holds the Iceberg silver and gold tables (`spark.sql.catalog.<name>`). */
export const SPARK_CATALOG = 'lake';

/**
 * The Spark defaults that make `SPARK_CATALOG` the Glue Data Catalog through Iceberg's GlueCatalog, with
 * S3FileIO and the given warehouse (the silver bucket; each table the application creates names its own
 * location in its layer's bucket). EMR ships the Iceberg runtime when the `iceberg-defaults`
 * classification enables it (`SparkCluster` does); EMR on EKS when the job names its jar (`sparkJobRunFor`).
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

/** The Glue Data Catalog as Spark's Hive metastore (`spark-hive-site`), on the EMR cluster and in EMR on EKS job runs alike. */
export const GLUE_HIVE_METASTORE: Readonly<Record<string, string>> = {
  'hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
};

/** Where a pipeline runs: its environment's naming scope, AWS account and region. */
export interface SparkStepTarget {
  readonly scope: NamingScope;
  readonly account: string;
  readonly region: string;
}

/**
 * The Spark defaults the application needs wherever it runs: where it finds its dataset manifest
 * (`spark.platform.manifest`) and the Iceberg catalog of silver and gold (`icebergCatalogDefaults`,
 * warehouse the silver bucket). The EMR cluster carries them as its `spark-defaults`; an EMR on EKS job
 * run carries them in its configuration overrides.
 */
export function sparkApplicationDefaults(target: SparkStepTarget): Record<string, string> {
  const { scope, account, region } = target;
  return {
    'spark.platform.manifest': sparkManifestLocation(scope, account, region),
    ...icebergCatalogDefaults(`s3://${s3BucketName(scope, 'silver', account, region)}/`),
  };
}

/**
 * A pipeline's Spark step, whatever runs it: the Spark application in the artifacts bucket, the
 * arguments that tell it which environment and domain to build, and the Spark defaults it needs.
 * `emrSparkStep` renders it as an EMR step, `sparkJobRunFor` as an EMR on EKS StartJobRun request,
 * so both runtimes run the same application with the same arguments.
 */
export interface SparkApplicationRun {
  /** `sparkStepName`: the name of the EMR step. */
  readonly name: string;
  /** `sparkJobRunName`: the name of the EMR on EKS job run (the same text, under the job run's naming rules). */
  readonly jobRunName: string;
  /** `s3://<artifacts>/spark/silver_gold.py`. */
  readonly entryPoint: string;
  /** The application's own arguments (after the script). */
  readonly arguments: readonly string[];
  /** `sparkApplicationDefaults`. */
  readonly sparkDefaults: Readonly<Record<string, string>>;
}

/**
 * The Spark step that applies a pipeline's new bronze batches to its silver and gold Iceberg tables:
 * the Spark application in the artifacts bucket, told which environment and domain to build, which
 * catalog holds the tables and where each layer lives.
 */
export function sparkApplicationFor(target: SparkStepTarget, pipeline: Pipeline): SparkApplicationRun {
  const { scope, account, region } = target;
  const layer = (name: string) => `s3://${s3BucketName(scope, name, account, region)}/`;
  return {
    name: sparkStepName(scope, pipeline.name),
    jobRunName: sparkJobRunName(scope, pipeline.name),
    entryPoint: sparkScriptLocation(scope, account, region),
    arguments: [
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
    sparkDefaults: sparkApplicationDefaults(target),
  };
}

/** An EMR step that runs `spark-submit`. */
export interface SparkStep {
  readonly name: string;
  /** Arguments after `spark-submit`, e.g. the options, the application and its arguments. */
  readonly sparkSubmitArgs: readonly string[];
}

/**
 * The application as an EMR step: `spark-submit` of the script with its arguments. The Spark defaults
 * are the cluster's (`SparkCluster.sparkDefaults`). Cluster deploy mode keeps the driver off the primary
 * node, so concurrent steps of several pipelines do not compete for its memory.
 */
export function emrSparkStep(application: SparkApplicationRun): SparkStep {
  return { name: application.name, sparkSubmitArgs: ['--deploy-mode', 'cluster', application.entryPoint, ...application.arguments] };
}

/** The EMR step of a pipeline (`emrSparkStep` of `sparkApplicationFor`). */
export function sparkStepFor(target: SparkStepTarget, pipeline: Pipeline): SparkStep {
  return emrSparkStep(sparkApplicationFor(target, pipeline));
}
