/**
 * The Amazon States Language definition of a pipeline (JSONata): ingest the requested batch datasets
 * with their Glue jobs in parallel, then run the pipeline's Spark step on the runtime the execution
 * chooses (input `sparkRuntime`, else the environment's): as a step on the environment's EMR cluster,
 * or as a job run on the EMR on EKS virtual cluster where the environment has one. The Spark step
 * evaluates the definition's quality rules on each new bronze batch (one load at a time, never the
 * whole bronze table) and records the results per batch; there is no separate Glue Data Quality
 * evaluation, so the rules have one evaluator. Every failure ends in one path that publishes what
 * failed to the alert topic and then fails the execution.
 *
 * A pure function of its inputs, so the definition can be read and tested without synthesizing.
 */
import type { SparkRuntime } from '../../lib/definition';
import { ACTIVE_EMR_CLUSTER_STATES } from '../../lib/pipelines/emr-cluster-states';
import type { SparkJobRunRequest } from '../../lib/pipelines/spark-job-run';

/** One batch dataset the pipeline can ingest. */
export interface PipelineDataset {
  /** The dataset's name, as the execution input lists it. */
  readonly name: string;
  /** Its Glue ingestion job. */
  readonly jobName: string;
}

export interface PipelineDefinitionProps {
  /** The AWS partition of the state machine's region (`aws`, `aws-cn`, `aws-us-gov`): its service integration ARNs start `arn:<partition>:states`. */
  readonly partition: string;
  /** The pipeline (domain) name, for messages. */
  readonly pipeline: string;
  /** The batch datasets of the pipeline: what an input without `datasets` runs, and all an input may name. */
  readonly datasets: readonly PipelineDataset[];
  /** Seconds between two looks at an earlier Spark step of the pipeline that is still running (waits twice this). */
  readonly pollSeconds: number;
  /** How many datasets are ingested at the same time. */
  readonly maxConcurrency: number;
  /** Name of the EMR cluster the Spark step runs on (the active one is looked up by name). */
  readonly clusterName: string;
  /**
   * SSM parameter holding the cluster's RunJobFlow request: when no cluster is active (it terminated
   * itself when idle), the pipeline creates one from it and waits until it is up.
   */
  readonly clusterSpecParameterName: string;
  /** The Spark step on EMR: its name and the arguments after `spark-submit` (`emrSparkStep`). */
  readonly sparkStep: { readonly name: string; readonly sparkSubmitArgs: readonly string[] };
  /**
   * The Spark step on EMR on EKS: the StartJobRun request of the same application (`sparkJobRunFor`).
   * Without it, `emr` is the only runtime an execution may choose.
   */
  readonly sparkJobRun?: SparkJobRunRequest;
  /** Where the Spark step runs when the input names no `sparkRuntime` (`kubernetes` needs `sparkJobRun`). */
  readonly defaultSparkRuntime: SparkRuntime;
  /** Topic that receives failure notifications. */
  readonly alertTopicArn: string;
  /** Seconds an execution may run. */
  readonly timeoutSeconds: number;
}

/** Transient errors of the Glue and EMR APIs: retried with exponential backoff and jitter. */
export const TRANSIENT_GLUE_ERRORS = [
  'Glue.ConcurrentRunsExceededException',
  'Glue.ThrottlingException',
  'Glue.InternalServiceException',
  'Glue.OperationTimeoutException',
  'Glue.ResourceNumberLimitExceededException',
];
export const TRANSIENT_EMR_ERRORS = [
  'Emr.ThrottlingException',
  'Emr.InternalServerException',
  'ElasticMapReduce.ThrottlingException',
  'ElasticMapReduce.InternalServerErrorException',
  'ElasticMapReduce.AmazonElasticMapReduceException',
];

/**
 * Transient errors of EMR on EKS: Step Functions names an optimized integration's errors after the
 * service, and both spellings of its name are in use (the integration's and the SDK's).
 */
export const TRANSIENT_EMR_ON_EKS_ERRORS = [
  'EMRContainers.ThrottlingException',
  'EMRContainers.InternalServerException',
  'EmrContainers.ThrottlingException',
  'EmrContainers.InternalServerException',
];

/** States of an EMR on EKS job run that has not ended: an earlier run of the pipeline in one of them is waited for. */
export const UNFINISHED_JOB_RUN_STATES = ['PENDING', 'SUBMITTED', 'RUNNING'];

const backoff = (errors: readonly string[], maxAttempts: number, intervalSeconds: number) => ({
  ErrorEquals: [...errors],
  IntervalSeconds: intervalSeconds,
  MaxAttempts: maxAttempts,
  BackoffRate: 2,
  MaxDelaySeconds: 300,
  JitterStrategy: 'FULL',
});

/** Reads are idempotent: any failure of a read is retried a few times before it counts. */
const retryReads = [backoff(['States.TaskFailed'], 4, 5)];

/** A JSONata expression embedded in a string, as the JSONata query language reads it. */
const jsonata = (expression: string) => `{% ${expression} %}`;
/** A JSONata string literal (JSON string syntax is valid JSONata). */
const literal = (value: unknown) => JSON.stringify(value);

/** Catches every error of a stage, records what failed and where, and goes to the notification. */
const catchAll = (stage: string) => [
  {
    ErrorEquals: ['States.ALL'],
    Assign: { failure: jsonata(`{'stage': ${literal(stage)}, 'error': $states.errorOutput.Error, 'cause': $states.errorOutput.Cause}`) },
    Next: 'Notify failure',
  },
];

/** A Step Functions service integration, e.g. `arn:aws:states:::glue:startJobRun.sync` in the `aws` partition. */
const integration = (props: PipelineDefinitionProps, api: string) => `arn:${props.partition}:states:::${api}`;

/** The definition as a JSON-serializable object. */
export function pipelineDefinition(props: PipelineDefinitionProps): Record<string, unknown> {
  const names = props.datasets.map((dataset) => dataset.name);
  const lookup = Object.fromEntries(props.datasets.map((d) => [d.name, { job: d.jobName }]));
  const runtimes: SparkRuntime[] = props.sparkJobRun ? ['emr', 'kubernetes'] : ['emr'];
  if (!runtimes.includes(props.defaultSparkRuntime)) {
    throw new Error(
      `defaultSparkRuntime "${props.defaultSparkRuntime}" needs sparkJobRun (the EMR on EKS job run of the Spark step); runtimes: ${runtimes.join(', ')}`,
    );
  }
  const noVirtualCluster = props.sparkJobRun
    ? ''
    : ' (kubernetes runs it on the EMR on EKS virtual cluster, which this environment does not have: aws.kubernetes.enabled)';
  return {
    Comment:
      `Pipeline ${props.pipeline}: Glue ingestion of its batch datasets, then the Spark step that applies ` +
      `their new batches (with the quality rules) to silver and gold on EMR${props.sparkJobRun ? ' or EMR on EKS' : ''}`,
    QueryLanguage: 'JSONata',
    TimeoutSeconds: props.timeoutSeconds,
    StartAt: 'Plan',
    States: {
      Plan: {
        Type: 'Pass',
        Comment:
          'The datasets of the input, or every batch dataset of the pipeline when the input names none; the Spark ' +
          "runtime of the input, or the environment's",
        Assign: {
          datasets: jsonata(`$exists($states.input.datasets) ? $states.input.datasets : ${literal(names)}`),
          sparkRuntime: jsonata(`$exists($states.input.sparkRuntime) ? $states.input.sparkRuntime : ${literal(props.defaultSparkRuntime)}`),
        },
        Next: 'Check input',
      },
      'Check input': {
        Type: 'Choice',
        Choices: [
          {
            Condition: jsonata(`$type($datasets) != 'array' or $count($filter($datasets, function($d) { $not($d in ${literal(names)}) })) > 0`),
            Assign: {
              failure: jsonata(
                `{'stage': 'input', 'error': 'UnknownDataset', 'cause': 'input.datasets ' & $string($datasets) ` +
                  `& ' must be a list of batch datasets of pipeline ${props.pipeline}: ${names.join(', ') || '(none)'}'}`,
              ),
            },
            Next: 'Notify failure',
          },
          {
            Condition: jsonata(`$type($sparkRuntime) != 'string' or $not($sparkRuntime in ${literal(runtimes)})`),
            Assign: {
              failure: jsonata(
                `{'stage': 'input', 'error': 'UnknownSparkRuntime', 'cause': 'input.sparkRuntime "' & $string($sparkRuntime) ` +
                  `& ${literal(`" must be a Spark runtime of pipeline ${props.pipeline} in this environment: ${runtimes.join(', ')}${noVirtualCluster}`)}}`,
              ),
            },
            Next: 'Notify failure',
          },
        ],
        Default: 'Ingest',
      },
      Ingest: {
        Type: 'Map',
        Comment: 'Each dataset: its Glue ingestion job',
        // A dataset named twice is ingested once (two runs of one job would collide).
        Items: jsonata('$distinct($datasets)'),
        MaxConcurrency: props.maxConcurrency,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Look up dataset', States: datasetStates(props, lookup) },
        Catch: catchAll('ingestion'),
        Next: props.sparkJobRun ? 'Spark runtime?' : 'Find Spark cluster',
      },
      ...(props.sparkJobRun ? kubernetesStates(props, props.sparkJobRun) : {}),
      'Find Spark cluster': {
        Type: 'Task',
        Comment: `The active EMR cluster named ${props.clusterName}`,
        Resource: integration(props, 'aws-sdk:emr:listClusters'),
        Arguments: { ClusterStates: [...ACTIVE_EMR_CLUSTER_STATES] },
        Assign: { clusterId: jsonata(`$states.result.Clusters[Name = ${literal(props.clusterName)}][0].Id`) },
        Retry: retryReads,
        Catch: catchAll('finding the Spark cluster'),
        Next: 'Cluster found?',
      },
      'Cluster found?': {
        Type: 'Choice',
        Choices: [{ Condition: jsonata('$exists($clusterId)'), Next: 'Check earlier Spark steps' }],
        Default: 'Read cluster spec',
      },
      'Read cluster spec': {
        Type: 'Task',
        Comment: 'No active cluster (it terminates itself when idle): read the request it was created with',
        Resource: integration(props, 'aws-sdk:ssm:getParameter'),
        Arguments: { Name: props.clusterSpecParameterName },
        Output: jsonata(`{'request': $parse($states.result.Parameter.Value)}`),
        Retry: retryReads,
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Cluster not found' }],
        Next: 'Create Spark cluster',
      },
      'Create Spark cluster': {
        Type: 'Task',
        Comment: 'The same cluster again (name, roles, network, security configuration, scaling, tags); waits until it runs',
        Resource: integration(props, 'elasticmapreduce:createCluster.sync'),
        Arguments: jsonata('$states.input.request'),
        Assign: { clusterId: jsonata('$states.result.ClusterId') },
        Retry: [backoff(TRANSIENT_EMR_ERRORS, 3, 60)],
        Catch: catchAll('creating the Spark cluster'),
        Next: 'Check earlier Spark steps',
      },
      'Check earlier Spark steps': {
        Type: 'Task',
        Comment: 'Two runs of one pipeline must not rebuild the same silver and gold tables at the same time',
        Resource: integration(props, 'aws-sdk:emr:listSteps'),
        Arguments: { ClusterId: jsonata('$clusterId'), StepStates: ['PENDING', 'RUNNING'] },
        Output: jsonata(`{'earlier': $count($states.result.Steps[Name = ${literal(props.sparkStep.name)}])}`),
        Retry: retryReads,
        Catch: catchAll('waiting for an earlier Spark step'),
        Next: 'Earlier step running?',
      },
      'Earlier step running?': {
        Type: 'Choice',
        Choices: [{ Condition: jsonata('$states.input.earlier > 0'), Next: 'Wait for earlier step' }],
        Default: 'Run Spark step',
      },
      'Wait for earlier step': { Type: 'Wait', Seconds: props.pollSeconds * 2, Next: 'Check earlier Spark steps' },
      'Cluster not found': {
        Type: 'Pass',
        Assign: {
          failure: jsonata(
            `{'stage': 'finding the Spark cluster', 'error': 'SparkClusterNotFound', 'cause': ${literal(
              `no active EMR cluster named "${props.clusterName}" (states ${ACTIVE_EMR_CLUSTER_STATES.join(', ')}) ` +
                `and no readable cluster request in SSM parameter ${props.clusterSpecParameterName}; deploy ` +
                `the processing stack, then run the pipeline again`,
            )}}`,
          ),
        },
        Next: 'Notify failure',
      },
      'Run Spark step': {
        Type: 'Task',
        Comment: 'Builds silver and gold; ActionOnFailure CONTINUE keeps the shared cluster running for other pipelines',
        Resource: integration(props, 'elasticmapreduce:addStep.sync'),
        Arguments: {
          ClusterId: jsonata('$clusterId'),
          Step: {
            Name: props.sparkStep.name,
            ActionOnFailure: 'CONTINUE',
            HadoopJarStep: { Jar: 'command-runner.jar', Args: ['spark-submit', ...props.sparkStep.sparkSubmitArgs] },
          },
        },
        Retry: [backoff(TRANSIENT_EMR_ERRORS, 4, 30)],
        Catch: catchAll('the Spark step'),
        Next: 'Succeeded',
      },
      Succeeded: { Type: 'Succeed' },
      'Notify failure': {
        Type: 'Task',
        Resource: integration(props, 'sns:publish'),
        Arguments: {
          TopicArn: props.alertTopicArn,
          Subject: `Pipeline ${props.pipeline} failed`.slice(0, 100),
          Message: jsonata(
            `'Pipeline ${props.pipeline} failed during ' & $failure.stage & '.' & '\\nError: ' & $failure.error ` +
              `& '\\nCause: ' & $failure.cause & '\\nExecution: ' & $states.context.Execution.Id`,
          ),
        },
        Retry: [backoff(['States.TaskFailed'], 3, 5)],
        // The execution fails either way; a notification that cannot be sent must not hide the failure.
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
        Next: 'Failed',
      },
      Failed: {
        Type: 'Fail',
        Error: jsonata(`$exists($failure.error) ? $failure.error : 'PipelineFailed'`),
        Cause: jsonata(`$exists($failure.cause) ? $string($failure.cause) : 'failed during ' & $failure.stage`),
      },
    },
  };
}

/**
 * The Spark step on EMR on EKS: the job run of the same application on the virtual cluster with the
 * job execution role, after any earlier job run of the pipeline has ended (two runs must not rebuild
 * the same tables at the same time), followed to its end (`.sync`). The other branch goes to the EMR
 * cluster as before.
 */
function kubernetesStates(props: PipelineDefinitionProps, jobRun: SparkJobRunRequest): Record<string, unknown> {
  return {
    'Spark runtime?': {
      Type: 'Choice',
      Choices: [{ Condition: jsonata(`$sparkRuntime = 'kubernetes'`), Next: 'Check earlier Spark job runs' }],
      Default: 'Find Spark cluster',
    },
    'Check earlier Spark job runs': {
      Type: 'Task',
      Comment: 'Two runs of one pipeline must not rebuild the same silver and gold tables at the same time',
      Resource: integration(props, 'aws-sdk:emrcontainers:listJobRuns'),
      Arguments: { VirtualClusterId: jobRun.VirtualClusterId, Name: jobRun.Name, States: UNFINISHED_JOB_RUN_STATES },
      Output: jsonata(`{'earlier': $count($states.result.JobRuns)}`),
      Retry: retryReads,
      Catch: catchAll('waiting for an earlier Spark job run'),
      Next: 'Earlier job run running?',
    },
    'Earlier job run running?': {
      Type: 'Choice',
      Choices: [{ Condition: jsonata('$states.input.earlier > 0'), Next: 'Wait for earlier job run' }],
      Default: 'Run Spark job on EKS',
    },
    'Wait for earlier job run': { Type: 'Wait', Seconds: props.pollSeconds * 2, Next: 'Check earlier Spark job runs' },
    'Run Spark job on EKS': {
      Type: 'Task',
      Comment: 'Builds silver and gold: the Spark step as an EMR on EKS job run on the virtual cluster, with the job execution role',
      Resource: integration(props, 'emr-containers:startJobRun.sync'),
      Arguments: jobRun,
      Retry: [backoff(TRANSIENT_EMR_ON_EKS_ERRORS, 4, 30)],
      Catch: catchAll('the Spark step'),
      Next: 'Succeeded',
    },
  };
}

/** The states run for one dataset inside the Map. */
function datasetStates(props: PipelineDefinitionProps, lookup: Record<string, { job: string }>): Record<string, unknown> {
  return {
    'Look up dataset': {
      Type: 'Pass',
      // One copy of the lookup table in the definition, however many datasets the pipeline has.
      Assign: { dataset: jsonata('$states.input'), entry: jsonata(`$lookup(${literal(lookup)}, $states.input)`) },
      Next: 'Run ingestion job',
    },
    'Run ingestion job': {
      Type: 'Task',
      Resource: integration(props, 'glue:startJobRun.sync'),
      Arguments: { JobName: jsonata('$entry.job') },
      Retry: [backoff(TRANSIENT_GLUE_ERRORS, 6, 30)],
      // The job run's description (about 1 KB) is not needed after it succeeded; kept, the Map's output would
      // pass Step Functions' 256 KB state payload limit at about 250 datasets (lib/limits: pipelinePayloadBytes).
      Output: {},
      Next: 'Dataset done',
    },
    'Dataset done': { Type: 'Succeed' },
  };
}
