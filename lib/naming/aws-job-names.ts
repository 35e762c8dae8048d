import { s3BucketName } from './aws-names';
import { checkedAgainst, type NameRule } from './name-rules';
import type { NamingScope } from './stack-names';

/**
 * Names of the processing resources: Glue ingestion jobs, the EMR (Spark) cluster and its steps, the
 * Step Functions pipelines, the MSK cluster and the Spark job code. The AWS processing stacks create
 * resources under these names and the ops CLI (`platform run|status|list`) finds them by the same names,
 * so the two can never disagree.
 */

/** Limits of the processing resources' names, from each service's API reference. */
export const JOB_NAME_RULES = {
  glueJob: {
    kind: 'Glue job',
    minLength: 1,
    maxLength: 255,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  emrCluster: {
    kind: 'EMR cluster',
    minLength: 1,
    maxLength: 256,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  emrStep: {
    kind: 'EMR step',
    minLength: 1,
    maxLength: 256,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  stepFunctionsStateMachine: {
    kind: 'Step Functions state machine',
    minLength: 1,
    maxLength: 80,
    // Stricter than the API: names outside this set cannot be used for CloudWatch logging.
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
  dataQualityRuleset: {
    kind: 'Glue Data Quality ruleset',
    minLength: 1,
    maxLength: 255,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  emrSecurityConfiguration: {
    kind: 'EMR security configuration',
    minLength: 1,
    maxLength: 256,
    pattern: /^[^\r\n]+$/,
    allowed: 'a single line of text',
  },
  eksCluster: {
    kind: 'EKS cluster',
    minLength: 1,
    maxLength: 100,
    pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    allowed: 'letters, digits, hyphens and underscores, starting with a letter or digit',
  },
  emrVirtualCluster: {
    kind: 'EMR on EKS virtual cluster',
    minLength: 1,
    maxLength: 64,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: 'letters, digits and . - _ / #',
  },
  emrOnEksJobRun: {
    kind: 'EMR on EKS job run',
    minLength: 1,
    maxLength: 64,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: 'letters, digits and . - _ / #',
  },
  iamRole: {
    kind: 'IAM role',
    minLength: 1,
    maxLength: 64,
    pattern: /^[A-Za-z0-9+=,.@_-]+$/,
    allowed: 'letters, digits and +=,.@_-',
  },
  kubernetesNamespace: {
    kind: 'Kubernetes namespace',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  },
  ssmParameter: {
    kind: 'SSM parameter',
    minLength: 1,
    maxLength: 1011,
    pattern: /^\/[A-Za-z0-9_./-]+$/,
    allowed: 'a path of letters, digits and _ . - /, starting with /',
  },
  glueSchemaRegistry: {
    kind: 'Glue Schema Registry registry or schema',
    minLength: 1,
    maxLength: 255,
    pattern: /^[A-Za-z0-9$#._-]+$/,
    allowed: 'letters, digits and $#._-',
  },
  mskCluster: {
    kind: 'MSK cluster',
    minLength: 1,
    maxLength: 64,
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter or digit',
  },
  schedule: {
    kind: 'EventBridge Scheduler schedule or schedule group',
    minLength: 1,
    maxLength: 64,
    pattern: /^[0-9A-Za-z_.-]+$/,
    allowed: 'letters, digits, ., _ and -',
  },
  snsTopic: {
    kind: 'SNS topic',
    minLength: 1,
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
} as const satisfies Record<string, NameRule>;

const checked = checkedAgainst;

/** `<prefix>-<env>-ingest-<dataset>`: the Glue job that lands one batch dataset in bronze. */
export function glueIngestionJobName(scope: NamingScope, dataset: string): string {
  return checked(JOB_NAME_RULES.glueJob, `${scope.prefix}-${scope.environment}-ingest-${dataset}`);
}

/** `<prefix>-<env>-dq-<dataset>`: the Glue Data Quality ruleset (DQDL) that checks one dataset's bronze table. */
export function dataQualityRulesetName(scope: NamingScope, dataset: string): string {
  return checked(JOB_NAME_RULES.dataQualityRuleset, `${scope.prefix}-${scope.environment}-dq-${dataset}`);
}

/** `<prefix>-<env>-spark`: the environment's one long-running EMR cluster, found by this name. */
export function emrClusterName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.emrCluster, `${scope.prefix}-${scope.environment}-spark`);
}

/** `<prefix>-<env>-pipeline-<pipeline>`: the Step Functions state machine that runs a pipeline. */
export function pipelineName(scope: NamingScope, pipeline: string): string {
  return checked(JOB_NAME_RULES.stepFunctionsStateMachine, `${scope.prefix}-${scope.environment}-pipeline-${pipeline}`);
}

/**
 * `<prefix>-<env>-silver-gold-<pipeline>`: the EMR step that builds a pipeline's silver and gold tables.
 * Every run of the pipeline's step has this name; `platform status` finds the latest one by it.
 */
export function sparkStepName(scope: NamingScope, pipeline: string): string {
  return checked(JOB_NAME_RULES.emrStep, `${scope.prefix}-${scope.environment}-silver-gold-${pipeline}`);
}

/**
 * `<prefix>-<env>-silver-gold-<pipeline>`: the EMR on EKS job run of a pipeline's Spark step, named like
 * its EMR step (`sparkStepName`) under the stricter rules of job run names.
 */
export function sparkJobRunName(scope: NamingScope, pipeline: string): string {
  return checked(JOB_NAME_RULES.emrOnEksJobRun, sparkStepName(scope, pipeline));
}

/** `<prefix>-<env>-streaming`: the MSK cluster that carries the stream datasets. */
export function mskClusterName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.mskCluster, `${scope.prefix}-${scope.environment}-streaming`);
}

/** `<prefix>-<env>-streams`: the Glue Schema Registry registry that holds the message schemas of the environment's streams. */
export function glueSchemaRegistryName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.glueSchemaRegistry, `${scope.prefix}-${scope.environment}-streams`);
}

/**
 * The schema of a stream inside `glueSchemaRegistryName`: its topic, the name Glue's serializers look a
 * topic's schema up by (their default naming strategy), unique in the registry as topics are.
 */
export function glueSchemaName(topic: string): string {
  return checked(JOB_NAME_RULES.glueSchemaRegistry, topic);
}

/** `<prefix>-<env>-stream-<dataset>`: the Glue streaming job that lands one stream dataset's topic in bronze. */
export function glueStreamingJobName(scope: NamingScope, dataset: string): string {
  return checked(JOB_NAME_RULES.glueJob, `${scope.prefix}-${scope.environment}-stream-${dataset}`);
}

/** `<prefix>-<env>-pipelines`: the EventBridge Scheduler group that holds the environment's ingestion schedules. */
export function scheduleGroupName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.schedule, `${scope.prefix}-${scope.environment}-pipelines`);
}

/** The schedule of one batch dataset inside `scheduleGroupName`: the dataset's own name (unique in the group). */
export function datasetScheduleName(dataset: string): string {
  return checked(JOB_NAME_RULES.schedule, dataset);
}

/** `<prefix>-<env>-alerts`: the SNS topic that receives the environment's pipeline and job failures. */
export function alertTopicName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.snsTopic, `${scope.prefix}-${scope.environment}-alerts`);
}

/** The bucket that holds job code (Glue scripts, the Spark application): `s3BucketName(scope, 'artifacts', ...)`. */
export function artifactsBucketName(scope: NamingScope, account: string, region: string): string {
  return s3BucketName(scope, 'artifacts', account, region);
}

/** Key of the Spark application that builds silver and gold, inside the artifacts bucket. */
export const SPARK_SILVER_GOLD_SCRIPT_KEY = 'spark/silver_gold.py';

/** `s3://<artifacts bucket>/spark/silver_gold.py`: what the Spark step passes to spark-submit. */
export function sparkScriptLocation(scope: NamingScope, account: string, region: string): string {
  return `s3://${artifactsBucketName(scope, account, region)}/${SPARK_SILVER_GOLD_SCRIPT_KEY}`;
}

/** Key of the dataset manifest (columns, keys, quality rules) the Spark application reads, next to it. */
export const SPARK_MANIFEST_KEY = 'spark/manifest.json';

/** `s3://<artifacts bucket>/spark/manifest.json`: the manifest the Spark application reads by default. */
export function sparkManifestLocation(scope: NamingScope, account: string, region: string): string {
  return `s3://${artifactsBucketName(scope, account, region)}/${SPARK_MANIFEST_KEY}`;
}

/** Prefix of the EMR on EKS job logs (driver and executor logs of each job run) inside the artifacts bucket. */
export const EMR_ON_EKS_LOGS_PREFIX = 'logs/emr-on-eks/';

/** `s3://<artifacts bucket>/logs/emr-on-eks/`: where EMR on EKS job runs write their logs. */
export function emrOnEksLogUri(scope: NamingScope, account: string, region: string): string {
  return `s3://${artifactsBucketName(scope, account, region)}/${EMR_ON_EKS_LOGS_PREFIX}`;
}

/** `<prefix>-<env>-spark`: the EMR security configuration (encryption at rest and in transit) of the Spark cluster. */
export function emrSecurityConfigurationName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.emrSecurityConfiguration, `${scope.prefix}-${scope.environment}-spark`);
}

/**
 * `/<prefix>/<env>/spark/run-job-flow`: the SSM parameter that holds the EMR RunJobFlow request of the
 * Spark cluster, from which a cluster that terminated itself is created again with the same settings.
 */
export function sparkClusterSpecParameterName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.ssmParameter, `/${scope.prefix}/${scope.environment}/spark/run-job-flow`);
}

/** `<prefix>-<env>-jobs`: the environment's EKS cluster that runs Spark jobs through EMR on EKS. */
export function eksClusterName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.eksCluster, `${scope.prefix}-${scope.environment}-jobs`);
}

/** `<prefix>-<env>-spark-on-eks`: the EMR on EKS virtual cluster (unique per account and region). */
export function emrVirtualClusterName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.emrVirtualCluster, `${scope.prefix}-${scope.environment}-spark-on-eks`);
}

/**
 * `<prefix>-<env>-spark-on-eks-job`: the job execution role of EMR on EKS. It has a fixed name because
 * EMR derives the job pods' service-account names from it, and the role's trust policy names them.
 */
export function emrOnEksJobRoleName(scope: NamingScope): string {
  return checked(JOB_NAME_RULES.iamRole, `${scope.prefix}-${scope.environment}-spark-on-eks-job`);
}

/** The Kubernetes namespace EMR on EKS runs Spark jobs in. */
export const SPARK_JOBS_NAMESPACE = checked(JOB_NAME_RULES.kubernetesNamespace, 'spark-jobs');
