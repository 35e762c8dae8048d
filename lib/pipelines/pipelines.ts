import { Catalogue, closestMatch, type DatasetConfig, isStream, type Pipeline, type PlatformConfig } from '../definition';

export type { Pipeline } from '../definition';

/** What `platform run <name>` does: which ingestion jobs it starts, then the pipeline's Spark step. */
export interface RunPlan {
  readonly pipeline: Pipeline;
  /** Batch datasets whose ingestion runs first: all of the pipeline's, or the one dataset named. */
  readonly datasets: readonly DatasetConfig[];
  /** What the name given on the command line was. */
  readonly target: 'pipeline' | 'dataset';
}

/** A name that is no pipeline or runnable dataset of the definition; the message says what is. */
export class RunTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunTargetError';
  }
}

/** `unknown <what> "<value>" (did you mean "<closest>"?); <plural>: <valid>` */
export function unknownChoiceMessage(what: string, value: string, valid: readonly string[], plural = `${what}s`): string {
  const suggestion = closestMatch(value, valid);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  return `unknown ${what} "${value}"${hint}; ${plural}: ${valid.join(', ') || '(none)'}`;
}

/** The definition's pipelines, one per domain, in the order the domains first appear in the catalogue. */
export function pipelinesOf(config: Pick<PlatformConfig, 'datasets'>): Pipeline[] {
  return Catalogue.of(config).pipelines();
}

/** The pipeline called `name`; a RunTargetError naming the valid ones otherwise. */
export function pipelineNamed(config: Pick<PlatformConfig, 'datasets'>, name: string): Pipeline {
  const pipelines = pipelinesOf(config);
  const pipeline = pipelines.find((p) => p.name === name);
  if (!pipeline)
    throw new RunTargetError(
      unknownChoiceMessage(
        'pipeline',
        name,
        pipelines.map((p) => p.name),
      ),
    );
  return pipeline;
}

/**
 * Resolves the argument of `platform run`: a pipeline name runs all of its batch ingestions, a batch
 * dataset name runs only that dataset's ingestion; either is followed by the pipeline's Spark step.
 * A pipeline name wins over a dataset of the same name. A stream dataset is refused with what to do.
 */
export function runPlan(config: Pick<PlatformConfig, 'datasets'>, name: string): RunPlan {
  const catalogue = Catalogue.of(config);
  const pipelines = catalogue.pipelines();
  const pipeline = pipelines.find((p) => p.name === name);
  if (pipeline) return { pipeline, datasets: pipeline.batchDatasets, target: 'pipeline' };
  const dataset = catalogue.dataset(name);
  if (!dataset) {
    const batch = catalogue.batch().map((d) => d.name);
    throw new RunTargetError(unknownChoiceMessage('pipeline or dataset', name, [...pipelines.map((p) => p.name), ...batch], 'pipelines and batch datasets'));
  }
  const owner = pipelines.find((p) => p.name === dataset.domain) as Pipeline;
  if (isStream(dataset)) {
    throw new RunTargetError(
      `dataset "${name}" is a stream (schedule: continuous): it is ingested continuously through ` +
        `MSK and has no run of its own; run its pipeline "${owner.name}" to rebuild silver and gold`,
    );
  }
  return { pipeline: owner, datasets: [dataset], target: 'dataset' };
}
