import { CONTINUOUS, type DatasetConfig, type PlatformConfig } from '../config';
import { unknownChoiceError } from './choices';
import { UsageError } from './errors';

/**
 * A pipeline is one business domain of the catalogue: the Glue ingestion jobs of its batch datasets
 * (source → bronze), followed by one Spark step on the environment's EMR cluster that rebuilds the
 * domain's silver and gold tables from bronze. The pipeline is named after the domain ("sales").
 *
 * Stream datasets (schedule "continuous") are ingested continuously through MSK: they have no job to
 * start, so they are not runnable on their own, but the domain's Spark step reads what they landed.
 * A domain made only of streams is still a pipeline: running it submits only the Spark step.
 */
export interface Pipeline {
  /** The domain's name. */
  readonly name: string;
  /** Datasets with a cron schedule: each has a Glue ingestion job. */
  readonly batchDatasets: readonly DatasetConfig[];
  /** Datasets with schedule "continuous": ingested through MSK, never started by the CLI. */
  readonly streamDatasets: readonly DatasetConfig[];
}

/** What `platform run <name>` does: which ingestion jobs it starts, then the pipeline's Spark step. */
export interface RunPlan {
  readonly pipeline: Pipeline;
  /** Batch datasets whose ingestion runs first: all of the pipeline's, or the one dataset named. */
  readonly datasets: readonly DatasetConfig[];
  /** What the name given on the command line was. */
  readonly target: 'pipeline' | 'dataset';
}

export function isStream(dataset: DatasetConfig): boolean {
  return dataset.schedule === CONTINUOUS;
}

/** The definition's pipelines, one per domain, in the order the domains first appear in the catalogue. */
export function pipelinesOf(config: PlatformConfig): Pipeline[] {
  const domains = [...new Set(config.datasets.map((dataset) => dataset.domain))];
  return domains.map((domain) => {
    const datasets = config.datasets.filter((dataset) => dataset.domain === domain);
    return { name: domain, batchDatasets: datasets.filter((d) => !isStream(d)), streamDatasets: datasets.filter(isStream) };
  });
}

/** The pipeline called `name`; a UsageError naming the valid ones otherwise. */
export function pipelineNamed(config: PlatformConfig, name: string): Pipeline {
  const pipelines = pipelinesOf(config);
  const pipeline = pipelines.find((p) => p.name === name);
  if (!pipeline) throw unknownChoiceError('pipeline', name, pipelines.map((p) => p.name));
  return pipeline;
}

/**
 * Resolves the argument of `platform run`: a pipeline name runs all of its batch ingestions, a batch
 * dataset name runs only that dataset's ingestion; either is followed by the pipeline's Spark step.
 * A pipeline name wins over a dataset of the same name. A stream dataset is refused with what to do.
 */
export function runPlan(config: PlatformConfig, name: string): RunPlan {
  const pipelines = pipelinesOf(config);
  const pipeline = pipelines.find((p) => p.name === name);
  if (pipeline) return { pipeline, datasets: pipeline.batchDatasets, target: 'pipeline' };
  const dataset = config.datasets.find((d) => d.name === name);
  if (!dataset) {
    const batch = config.datasets.filter((d) => !isStream(d)).map((d) => d.name);
    throw unknownChoiceError('pipeline or dataset', name, [...pipelines.map((p) => p.name), ...batch], 'pipelines and batch datasets');
  }
  const owner = pipelines.find((p) => p.name === dataset.domain) as Pipeline;
  if (isStream(dataset)) {
    throw new UsageError(
      `dataset "${name}" is a stream (schedule: continuous): it is ingested continuously through MSK and has no run of its own; run its pipeline "${owner.name}" to rebuild silver and gold`,
    );
  }
  return { pipeline: owner, datasets: [dataset], target: 'dataset' };
}
