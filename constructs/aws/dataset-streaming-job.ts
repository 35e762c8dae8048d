import { join } from 'node:path';
import { Token } from 'aws-cdk-lib';
import { CfnTrigger, type Code, Connection, GlueVersion, PySparkStreamingJob, WorkerType } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { requireWholeNumber } from './whole-number';
import type { DatasetIngestionJobProps } from './dataset-ingestion-job';
import { acknowledgeImportedGlueSecurity } from './imported-glue-security';

/**
 * What a streaming job shares with a batch ingestion job (name, description, script, role, script
 * arguments, security configuration, log group); `jobName` comes from `glueStreamingJobName` and the
 * arguments from `streamJobArguments`.
 */
export interface DatasetStreamingJobProps extends Pick<
  DatasetIngestionJobProps,
  'jobName' | 'description' | 'script' | 'role' | 'scriptArguments' | 'securityConfiguration' | 'logGroup'
> {
  /** Python modules the script imports: the batch ingestion script (GLUE_INGEST_SCRIPT_PATH) it shares helpers with. */
  readonly pythonModules: readonly Code[];
  /** Name of the Glue NETWORK connection that puts the job in the VPC next to the cluster. */
  readonly connectionName: string;
  /**
   * Workers (G.025X: a quarter DPU each, the streaming size).
   * @default 2
   */
  readonly workers?: number;
  /**
   * Worker size.
   * @default WorkerType.G_025X
   */
  readonly workerType?: WorkerType;
  /**
   * Restarts of a failed run before the job stays down (it resumes from its checkpoint).
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Minutes between two checks that the job runs: a scheduled trigger starts it when it does not
   * (after the first deployment, or once its retries are spent and the cause is fixed).
   * @default 15
   */
  readonly keepRunningEveryMinutes?: number;
}

/** The streaming script every stream dataset's job runs. */
export const GLUE_STREAM_SCRIPT_PATH = join(__dirname, 'jobs', 'glue_stream.py');

/**
 * Glue version of the streaming jobs, pinned: 4.0 is the newest Glue version with streaming ETL and
 * the MSK IAM login module in its Kafka connector.
 */
export const STREAMING_GLUE_VERSION = GlueVersion.V4_0;

/**
 * The Glue streaming job that lands one stream dataset's topic in bronze: Glue 4.0 pinned, the
 * environment's security configuration, continuous logging to an encrypted group, in the VPC through
 * its connection, one run at a time, restarted on failure, and kept running by a scheduled trigger
 * (a start while it runs is refused by Glue, so the trigger only ever starts a stopped job).
 */
export class DatasetStreamingJob extends Construct {
  readonly job: PySparkStreamingJob;
  readonly keepRunning: CfnTrigger;

  constructor(scope: Construct, id: string, props: DatasetStreamingJobProps) {
    super(scope, id);
    const workers = props.workers ?? 2;
    const maxRetries = props.maxRetries ?? 3;
    const every = props.keepRunningEveryMinutes ?? 15;
    if (!Token.isUnresolved(workers)) requireWholeNumber('workers', workers, 2, 1000);
    if (!Token.isUnresolved(maxRetries)) requireWholeNumber('maxRetries', maxRetries, 0, 10);
    if (!Token.isUnresolved(every)) requireWholeNumber('keepRunningEveryMinutes', every, 5, 59, 'minutes');
    const reserved = Object.keys(props.scriptArguments).filter((key) => key.startsWith('--enable-') || key.startsWith('--job-bookmark'));
    if (reserved.length > 0) throw new Error(`scriptArguments: ${reserved.join(', ')} are set by DatasetStreamingJob itself; remove them`);
    this.job = new PySparkStreamingJob(this, 'Resource', {
      jobName: props.jobName,
      description: props.description,
      script: props.script,
      extraPythonFiles: [...props.pythonModules],
      role: props.role,
      glueVersion: STREAMING_GLUE_VERSION,
      workerConfiguration: { workerType: props.workerType ?? WorkerType.G_025X, numberOfWorkers: workers },
      maxConcurrentRuns: 1,
      maxRetries,
      securityConfiguration: props.securityConfiguration,
      connections: [Connection.fromConnectionName(this, 'Connection', props.connectionName)],
      continuousLogging: { enabled: true, logGroup: props.logGroup, quiet: true },
      enableMetrics: true,
      enableObservabilityMetrics: true,
      // Streaming jobs keep their position in the Structured Streaming checkpoint, not in bookmarks.
      defaultArguments: { ...props.scriptArguments, '--job-bookmark-option': 'job-bookmark-disable' },
    });
    acknowledgeImportedGlueSecurity(this.job, props.securityConfiguration);
    this.keepRunning = new CfnTrigger(this, 'KeepRunning', {
      name: `${props.jobName}-keep-running`,
      description: `Starts ${props.jobName} when it is not running`,
      type: 'SCHEDULED',
      schedule: `cron(0/${every} * * * ? *)`,
      startOnCreation: true,
      actions: [{ jobName: this.job.jobName }],
    });
  }
}
