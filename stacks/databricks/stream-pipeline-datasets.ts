import type { StreamPipelineDataset } from '../../constructs/databricks/stream-pipeline';
import { type DatasetConfig, DEFAULT_SCD_TYPE } from '../../lib/definition';

/** What a Delta Live Tables stream pipeline reads of a stream dataset of the definition; refuses any other source. */
export function streamPipelineDatasetOf(dataset: DatasetConfig): StreamPipelineDataset {
  if (dataset.source.kind !== 'stream') {
    throw new Error(
      `StreamPipeline: dataset "${dataset.name}" has a ${dataset.source.kind} source; a Delta Live Tables stream pipeline reads stream datasets only`,
    );
  }
  return {
    name: dataset.name,
    description: dataset.description,
    topic: dataset.source.topic,
    format: dataset.format,
    columns: dataset.columns,
    keys: dataset.keys,
    quality: dataset.quality,
    cdc: dataset.cdc ? { scdType: dataset.scdType ?? DEFAULT_SCD_TYPE } : undefined,
  };
}
