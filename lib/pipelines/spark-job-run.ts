import { GLUE_HIVE_METASTORE, type SparkApplicationRun } from './spark-step';

/**
 * The EMR on EKS release of the Spark job runs: 7.13.0, the newest EMR 7 release the EMR on EKS release
 * guide lists (Spark 3.5, Iceberg 1.10), and past 7.3, from which EMR on EKS binds the job role to the
 * pods through EKS Pod Identity (`EmrOnEksVirtualCluster`). `-latest` follows the release's security
 * patches, never another release; raising the release is a change of this constant.
 */
export const EMR_ON_EKS_RELEASE_LABEL = 'emr-7.13.0-latest';

/** The Iceberg Spark runtime inside the EMR on EKS image: a job run adds it to the class path itself (`--jars`). */
export const EMR_ON_EKS_ICEBERG_JAR = 'local:///usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar';

/** Where an EMR on EKS job run goes: the virtual cluster, the job execution role and the logs. */
export interface SparkJobRunTarget {
  readonly virtualClusterId: string;
  /** The job execution role (`EmrOnEksVirtualCluster.jobRole`). */
  readonly executionRoleArn: string;
  /** `s3://<artifacts>/logs/emr-on-eks/` (`emrOnEksLogUri`), which the job role may write. */
  readonly logUri: string;
}

/** One application configuration of a job run: a classification (`spark-defaults`) and its properties. */
export interface SparkJobRunConfiguration {
  readonly Classification: string;
  readonly Properties: Readonly<Record<string, string>>;
}

/**
 * The EMR on EKS StartJobRun request, in the API's field names: the input of the SDK's StartJobRun and
 * of Step Functions' `emr-containers:startJobRun.sync`.
 */
export interface SparkJobRunRequest {
  readonly Name: string;
  readonly VirtualClusterId: string;
  readonly ExecutionRoleArn: string;
  readonly ReleaseLabel: string;
  readonly JobDriver: {
    readonly SparkSubmitJobDriver: {
      readonly EntryPoint: string;
      readonly EntryPointArguments: readonly string[];
      readonly SparkSubmitParameters: string;
    };
  };
  readonly ConfigurationOverrides: {
    readonly ApplicationConfiguration: readonly SparkJobRunConfiguration[];
    readonly MonitoringConfiguration: {
      readonly PersistentAppUI: 'ENABLED' | 'DISABLED';
      readonly S3MonitoringConfiguration: { readonly LogUri: string };
    };
  };
}

/**
 * The application as an EMR on EKS job run: the same script and arguments as its EMR step
 * (`emrSparkStep`), the Spark defaults the EMR cluster would have given it (the manifest, the Iceberg
 * catalog, the Glue metastore) as configuration overrides, the Iceberg runtime of the image on the class
 * path, and the driver and executor logs in the artifacts bucket.
 */
export function sparkJobRunFor(
  application: SparkApplicationRun,
  target: SparkJobRunTarget,
  releaseLabel: string = EMR_ON_EKS_RELEASE_LABEL,
): SparkJobRunRequest {
  return {
    Name: application.jobRunName,
    VirtualClusterId: target.virtualClusterId,
    ExecutionRoleArn: target.executionRoleArn,
    ReleaseLabel: releaseLabel,
    JobDriver: {
      SparkSubmitJobDriver: {
        EntryPoint: application.entryPoint,
        EntryPointArguments: [...application.arguments],
        SparkSubmitParameters: `--jars ${EMR_ON_EKS_ICEBERG_JAR}`,
      },
    },
    ConfigurationOverrides: {
      ApplicationConfiguration: [
        { Classification: 'spark-defaults', Properties: { ...application.sparkDefaults } },
        { Classification: 'spark-hive-site', Properties: { ...GLUE_HIVE_METASTORE } },
      ],
      MonitoringConfiguration: { PersistentAppUI: 'ENABLED', S3MonitoringConfiguration: { LogUri: target.logUri } },
    },
  };
}
