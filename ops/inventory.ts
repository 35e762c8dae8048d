import type { EnvironmentConfig, PlatformConfig, SparkRuntime } from '../lib/definition';
import { environmentStacks } from '../lib/plan/environment-plan';
import { emrClusterName, emrVirtualClusterName, glueIngestionJobName, mskClusterName, pipelineName, sparkStepName } from '../lib/naming';
import { Catalogue } from '../lib/definition';
import { pipelinesOf } from '../lib/pipelines/pipelines';
import { sparkRuntimesOf } from '../lib/pipelines/spark-runtime';
import { formatTable } from './table';

export interface PipelineInventory {
  readonly name: string;
  /** The Step Functions state machine that will schedule the pipeline. */
  readonly stateMachine: string;
  readonly batchDatasets: readonly string[];
  readonly ingestionJobs: readonly string[];
  readonly streamDatasets: readonly string[];
  readonly sparkStep: string;
}

/** What the definition produces for one environment: `platform list`. */
export interface Inventory {
  readonly environment: string;
  readonly clouds: readonly string[];
  readonly account?: string;
  readonly region?: string;
  readonly stacks: readonly string[];
  /** Empty when the environment does not use AWS: pipelines run on Glue and EMR. */
  readonly pipelines: readonly PipelineInventory[];
  readonly glueJobs: readonly string[];
  readonly emrClusters: readonly string[];
  /** EMR on EKS virtual clusters the Spark step may run on instead (`platform run --on kubernetes`). */
  readonly emrVirtualClusters: readonly string[];
  /** Where the Spark step may run (`platform run --on`); empty without AWS. */
  readonly sparkRuntimes: readonly SparkRuntime[];
  /** Where it runs unless the execution says otherwise (`aws.pipelines.sparkRuntime`). */
  readonly defaultSparkRuntime?: SparkRuntime;
  readonly mskClusters: readonly string[];
}

export function inventoryOf(config: PlatformConfig, environment: EnvironmentConfig): Inventory {
  const scope = { prefix: config.prefix, environment: environment.name };
  const base = {
    environment: environment.name,
    clouds: environment.clouds,
    account: environment.aws?.account,
    region: environment.aws?.region,
    stacks: environmentStacks(config, environment).map((stack) => stack.name),
  };
  if (!environment.clouds.includes('aws') || !environment.aws)
    return { ...base, pipelines: [], glueJobs: [], emrClusters: [], emrVirtualClusters: [], sparkRuntimes: [], mskClusters: [] };
  const pipelines = pipelinesOf(config).map((pipeline) => ({
    name: pipeline.name,
    stateMachine: pipelineName(scope, pipeline.name),
    batchDatasets: pipeline.batchDatasets.map((dataset) => dataset.name),
    ingestionJobs: pipeline.batchDatasets.map((dataset) => glueIngestionJobName(scope, dataset.name)),
    streamDatasets: pipeline.streamDatasets.map((dataset) => dataset.name),
    sparkStep: sparkStepName(scope, pipeline.name),
  }));
  const hasStreams = Catalogue.of(config).streams().length > 0;
  const sparkRuntimes = sparkRuntimesOf(environment);
  return {
    ...base,
    pipelines,
    glueJobs: pipelines.flatMap((p) => p.ingestionJobs),
    emrClusters: [emrClusterName(scope)],
    emrVirtualClusters: sparkRuntimes.includes('kubernetes') ? [emrVirtualClusterName(scope)] : [],
    sparkRuntimes,
    defaultSparkRuntime: environment.aws.sparkRuntime,
    mskClusters: hasStreams ? [mskClusterName(scope)] : [],
  };
}

export function formatInventory(inventory: Inventory): string {
  const where = inventory.account ? ` (AWS account ${inventory.account}, ${inventory.region})` : '';
  const lines = [
    `Environment ${inventory.environment}${where}, clouds: ${inventory.clouds.join(', ')}`,
    '',
    'Stacks:',
    ...inventory.stacks.map((stack) => `  ${stack}`),
  ];
  if (inventory.pipelines.length === 0) {
    lines.push('', 'Pipelines: none (pipelines run on AWS Glue and EMR; this environment does not use aws)');
    return lines.join('\n');
  }
  lines.push('', 'Pipelines:');
  const rows = inventory.pipelines.map((p) => [
    p.name,
    p.stateMachine,
    p.sparkStep,
    [...p.batchDatasets, ...p.streamDatasets.map((d) => `${d} (stream)`)].join(', '),
  ]);
  lines.push(
    ...formatTable(['PIPELINE', 'STATE MACHINE', 'SPARK STEP', 'DATASETS'], rows)
      .split('\n')
      .map((line) => `  ${line}`),
  );
  lines.push('', 'Glue jobs:', ...inventory.glueJobs.map((job) => `  ${job}`));
  lines.push('', 'EMR clusters:', ...inventory.emrClusters.map((cluster) => `  ${cluster}`));
  if (inventory.emrVirtualClusters.length > 0) lines.push('', 'EMR on EKS virtual clusters:', ...inventory.emrVirtualClusters.map((cluster) => `  ${cluster}`));
  const runtimes = inventory.sparkRuntimes.map((runtime) => (runtime === inventory.defaultSparkRuntime ? `${runtime} (default)` : runtime));
  lines.push('', `Spark step runs on (platform run --on): ${runtimes.join(', ')}`);
  if (inventory.mskClusters.length > 0) lines.push('', 'MSK clusters:', ...inventory.mskClusters.map((cluster) => `  ${cluster}`));
  return lines.join('\n');
}
