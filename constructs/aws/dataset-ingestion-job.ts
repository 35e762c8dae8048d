import { join } from 'node:path';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { type Code, Connection, GlueVersion, type ISecurityConfiguration, PySparkEtlJob, SecurityConfiguration, WorkerType } from 'aws-cdk-lib/aws-glue';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { requireWholeNumber } from './whole-number';

export interface DatasetIngestionJobProps {
  /** Job name (see `glueIngestionJobName`); pipelines start the job by this name. */
  readonly jobName: string;
  /** What the job lands, for the console. */
  readonly description: string;
  /** The generic ingestion script. */
  readonly script: Code;
  /** The job role; its policy is managed by its owner (the construct adds nothing to it). */
  readonly role: IRole;
  /** Arguments of the script (see `ingestionJobArguments`). */
  readonly scriptArguments: Readonly<Record<string, string>>;
  /** The environment's Glue security configuration. */
  readonly securityConfiguration: ISecurityConfiguration;
  /** Encrypted log group for continuous logging. */
  readonly logGroup: ILogGroup;
  /**
   * Name of the Glue connection the job reads through (database sources); without one the job runs
   * outside the VPC, which API sources need to reach the public endpoint.
   * @default - no connection
   */
  readonly connectionName?: string;
  /**
   * Most workers; Glue auto scaling runs fewer when the input is small.
   * @default 4
   */
  readonly maxWorkers?: number;
  /**
   * Worker size.
   * @default WorkerType.G_1X
   */
  readonly workerType?: WorkerType;
  /**
   * Longest a run may take.
   * @default Duration.hours(2)
   */
  readonly timeout?: Duration;
  /**
   * Retries of a failed run (the pipelines retry too, so keep it low).
   * @default 1
   */
  readonly maxRetries?: number;
}

/** The generic ingestion script every batch job runs (shipped as a file asset). */
export const GLUE_INGEST_SCRIPT_PATH = join(__dirname, 'jobs', 'glue_ingest.py');

/** Glue version of every ingestion job: pinned, so a new default never changes a running pipeline. */
export const INGESTION_GLUE_VERSION = GlueVersion.V5_0;

/**
 * The Glue PySpark job that lands one batch dataset in bronze: Glue 5.0 pinned, job bookmarks on (each
 * run reads only what is new), auto scaling up to the environment's sizing, continuous logging to an
 * encrypted group, the environment's security configuration, and at most one run at a time.
 */
export class DatasetIngestionJob extends Construct {
  readonly job: PySparkEtlJob;

  constructor(scope: Construct, id: string, props: DatasetIngestionJobProps) {
    super(scope, id);
    const maxWorkers = props.maxWorkers ?? 4;
    if (!Token.isUnresolved(maxWorkers)) requireWholeNumber('maxWorkers', maxWorkers, 2, 1000);
    const maxRetries = props.maxRetries ?? 1;
    if (!Token.isUnresolved(maxRetries)) requireWholeNumber('maxRetries', maxRetries, 0, 10);
    const reserved = Object.keys(props.scriptArguments).filter((key) => key.startsWith('--job-bookmark') || key.startsWith('--enable-'));
    if (reserved.length > 0) throw new Error(`scriptArguments: ${reserved.join(', ')} are set by DatasetIngestionJob itself; remove them`);
    this.job = new PySparkEtlJob(this, 'Resource', {
      jobName: props.jobName,
      description: props.description,
      script: props.script,
      role: props.role,
      glueVersion: INGESTION_GLUE_VERSION,
      workerConfiguration: { workerType: props.workerType ?? WorkerType.G_1X, numberOfWorkers: maxWorkers },
      maxConcurrentRuns: 1,
      maxRetries,
      timeout: props.timeout ?? Duration.hours(2),
      securityConfiguration: props.securityConfiguration,
      connections: props.connectionName ? [Connection.fromConnectionName(this, 'Connection', props.connectionName)] : undefined,
      continuousLogging: { enabled: true, logGroup: props.logGroup, quiet: true },
      enableMetrics: true,
      enableObservabilityMetrics: true,
      defaultArguments: {
        ...props.scriptArguments,
        '--job-bookmark-option': 'job-bookmark-enable',
        '--enable-auto-scaling': 'true',
        '--enable-glue-datacatalog': 'true',
      },
    });
    const configuration = props.securityConfiguration;
    if (!(configuration instanceof SecurityConfiguration) || Stack.of(configuration) !== Stack.of(this)) {
      const reason =
        `The job runs with security configuration "${configuration.securityConfigurationName}", referenced ` +
        `by name from the stack that defines it with KMS encryption of CloudWatch logs and job bookmarks ` +
        `(GlueJobSecurity); cdk-nag reads only this stack.`;
      Validations.of(this.job).acknowledge({ id: 'AwsSolutions-GL1', reason }, { id: 'AwsSolutions-GL3', reason });
    }
  }
}
