import { definitionSummary } from '../lib/plan/definition-summary';
import type { PlatformConfig } from '../lib/definition';
import { pipelinesOf } from '../lib/pipelines/pipelines';

/** `platform validate`: the summary of `npm run validate`, followed by the pipelines. */
export function validationReport(config: PlatformConfig): string {
  const pipelines = pipelinesOf(config);
  const lines = [definitionSummary(config), '', `Pipelines: ${pipelines.length} (one per domain; run with "platform run <pipeline> --env <env>")`];
  const width = Math.max(...pipelines.map((p) => p.name.length));
  for (const pipeline of pipelines) {
    const streams = pipeline.streamDatasets.length > 0 ? `; continuous streams: ${pipeline.streamDatasets.map((d) => d.name).join(', ')}` : '';
    lines.push(`  ${pipeline.name.padEnd(width)}  ingestion: ${pipeline.batchDatasets.map((d) => d.name).join(', ') || '(none)'}${streams}`);
  }
  return lines.join('\n');
}

export function validationJson(config: PlatformConfig): unknown {
  return {
    source: config.source,
    valid: true,
    prefix: config.prefix,
    environments: config.environments.map((env) => ({ name: env.name, stage: env.stage, clouds: env.clouds, aws: env.aws })),
    datasets: config.datasets.map((d) => ({ name: d.name, domain: d.domain, source: d.source.kind, schedule: d.schedule, classification: d.classification })),
    pipelines: pipelinesOf(config).map((p) => ({
      name: p.name,
      batchDatasets: p.batchDatasets.map((d) => d.name),
      streamDatasets: p.streamDatasets.map((d) => d.name),
    })),
  };
}
