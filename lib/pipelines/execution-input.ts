import type { RunPlan } from './pipelines';

/**
 * The input of a pipeline's Step Functions execution, as both starters send it: the EventBridge
 * Scheduler target of a dataset's schedule and `platform run`. One function, so the two cannot drift.
 *
 * The state machine reads `datasets`: the batch datasets to ingest (then their data quality) before the
 * Spark step; without `datasets` it ingests every batch dataset of the pipeline; an empty list skips
 * ingestion and runs the Spark step only (`platform run --skip-ingestion`).
 */
export interface PipelineExecutionInput {
  readonly datasets?: readonly string[];
}

/**
 * The execution input: `{"datasets": [...]}` for the datasets named, `{}` for the whole pipeline
 * (`datasets` undefined). The scheduler passes its one dataset, so its input is `{"datasets":["<dataset>"]}`.
 */
export function pipelineExecutionInput(datasets?: readonly string[]): PipelineExecutionInput {
  return datasets === undefined ? {} : { datasets: [...datasets] };
}

/** The input as the JSON string Step Functions and Scheduler take. */
export function pipelineExecutionInputJson(datasets?: readonly string[]): string {
  return JSON.stringify(pipelineExecutionInput(datasets));
}

/**
 * The input `platform run` starts the state machine with: `{}` for a pipeline (every batch dataset, as
 * the state machine's default), `{"datasets":["<dataset>"]}` for one dataset (what its schedule sends),
 * `{"datasets":[]}` with --skip-ingestion (the Spark step only).
 */
export function runPlanExecutionInputJson(plan: Pick<RunPlan, 'target' | 'datasets'>, skipIngestion = false): string {
  if (skipIngestion) return pipelineExecutionInputJson([]);
  return pipelineExecutionInputJson(plan.target === 'dataset' ? plan.datasets.map((dataset) => dataset.name) : undefined);
}
