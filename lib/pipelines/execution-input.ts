import type { SparkRuntime } from '../definition';
import type { RunPlan } from './pipelines';

/**
 * The input of a pipeline's Step Functions execution, as both starters send it: the EventBridge
 * Scheduler target of a dataset's schedule and `platform run`. One function, so the two cannot drift.
 *
 * The state machine reads `datasets`: the batch datasets to ingest before the Spark step; without
 * `datasets` it ingests every batch dataset of the pipeline; an empty list skips ingestion and runs the
 * Spark step only (`platform run --skip-ingestion`). It reads `sparkRuntime`: where the Spark step runs
 * (`platform run --on`); without it, the environment's `aws.pipelines.sparkRuntime`.
 */
export interface PipelineExecutionInput {
  readonly datasets?: readonly string[];
  readonly sparkRuntime?: SparkRuntime;
}

/**
 * The execution input: `{"datasets": [...]}` for the datasets named, `{}` for the whole pipeline
 * (`datasets` undefined), plus `"sparkRuntime"` when one is chosen. The scheduler passes its one dataset
 * and no runtime, so its input is `{"datasets":["<dataset>"]}`.
 */
export function pipelineExecutionInput(datasets?: readonly string[], sparkRuntime?: SparkRuntime): PipelineExecutionInput {
  return { ...(datasets === undefined ? {} : { datasets: [...datasets] }), ...(sparkRuntime === undefined ? {} : { sparkRuntime }) };
}

/** The input as the JSON string Step Functions and Scheduler take. */
export function pipelineExecutionInputJson(datasets?: readonly string[], sparkRuntime?: SparkRuntime): string {
  return JSON.stringify(pipelineExecutionInput(datasets, sparkRuntime));
}

/** How `platform run` changes the input of its run plan. */
export interface RunInputOptions {
  /** --skip-ingestion: no dataset, the Spark step only. @default false */
  readonly skipIngestion?: boolean;
  /** --on: where the Spark step runs. @default - the environment's (the input names none) */
  readonly sparkRuntime?: SparkRuntime;
}

/**
 * The input `platform run` starts the state machine with: `{}` for a pipeline (every batch dataset, as
 * the state machine's default), `{"datasets":["<dataset>"]}` for one dataset (what its schedule sends),
 * `{"datasets":[]}` with --skip-ingestion (the Spark step only); with --on, `"sparkRuntime"` too.
 */
export function runPlanExecutionInputJson(plan: Pick<RunPlan, 'target' | 'datasets'>, options: RunInputOptions = {}): string {
  const datasets = options.skipIngestion ? [] : plan.target === 'dataset' ? plan.datasets.map((dataset) => dataset.name) : undefined;
  return pipelineExecutionInputJson(datasets, options.sparkRuntime);
}
