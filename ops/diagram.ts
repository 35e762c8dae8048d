import type { DatasetConfig } from '../lib/definition';
import { emrClusterName, glueDatabaseName, mskClusterName, s3BucketName } from '../lib/naming';
import type { AwsTarget } from './aws-target';
import { Catalogue } from '../lib/definition';
import { pipelinesOf } from '../lib/pipelines/pipelines';

type SourceKind = DatasetConfig['source']['kind'];

/** Each source kind's Mermaid node: its shape and its title. */
const SOURCE_NODES: Record<SourceKind, { open: string; close: string; title: string }> = {
  database: { open: '[(', close: ')]', title: 'Databases' },
  api: { open: '[/', close: '/]', title: 'APIs' },
  files: { open: '[', close: ']', title: 'Files' },
  stream: { open: '>', close: ']', title: 'Streams' },
};

const LAYERS = ['bronze', 'silver', 'gold'] as const;

/** Text safe inside a quoted Mermaid label. */
function label(...lines: string[]): string {
  return `"${lines.map((line) => line.replace(/"/g, '#quot;')).join('<br/>')}"`;
}

function nodeId(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * A Mermaid flowchart of one environment's platform on AWS: sources (by kind) → ingestion engines
 * (Glue jobs for batch sources, MSK for streams) → bronze → the EMR Spark cluster → silver and gold
 * buckets → the Glue Data Catalog / Athena and the groups that read each layer.
 */
export function platformDiagram(target: AwsTarget): string {
  const { config, scope, account, region } = target;
  const lines = ['flowchart LR', `  %% ${config.prefix} ${scope.environment}: generated from ${config.source} by platform diagram`];
  const kinds = [...new Set(config.datasets.map((d) => d.source.kind))];
  const catalogue = Catalogue.of(config);
  const batch = catalogue.batch();
  const streams = catalogue.streams();

  lines.push('  subgraph sources["Sources"]');
  for (const kind of kinds) {
    const node = SOURCE_NODES[kind];
    const names = config.datasets.filter((d) => d.source.kind === kind).map((d) => d.name);
    lines.push(`    src_${kind}${node.open}${label(node.title, names.join(', '))}${node.close}`);
  }
  lines.push('  end');

  lines.push('  subgraph ingestion["Ingestion"]');
  if (batch.length > 0) lines.push(`    glue[${label('AWS Glue ingestion jobs', `${scope.prefix}-${scope.environment}-ingest-* (${batch.length} jobs)`)}]`);
  if (streams.length > 0) lines.push(`    msk[${label('Amazon MSK', mskClusterName(scope), `topics: ${streams.map((d) => d.source.topic).join(', ')}`)}]`);
  lines.push('  end');

  lines.push('  subgraph lake["S3 data lake"]');
  for (const layer of LAYERS) lines.push(`    ${layer}[(${label(layer, s3BucketName(scope, layer, account, region))})]`);
  lines.push('  end');
  const pipelines = pipelinesOf(config).map((p) => p.name);
  lines.push(`  emr[${label('Amazon EMR (Spark)', emrClusterName(scope), `silver/gold step per pipeline: ${pipelines.join(', ')}`)}]`);

  lines.push('  subgraph consumers["Analytics and consumers"]');
  lines.push(`    catalog[${label('Glue Data Catalog / Athena', ...LAYERS.slice(1).map((layer) => glueDatabaseName(scope, layer)))}]`);
  const readers = new Map<string, Set<string>>();
  for (const dataset of config.datasets) {
    for (const layer of ['silver', 'gold'] as const)
      for (const group of dataset.readers[layer]) readers.set(group, (readers.get(group) ?? new Set()).add(layer));
  }
  for (const group of readers.keys()) lines.push(`    group_${nodeId(group)}([${label(group)}])`);
  lines.push('  end');

  for (const kind of kinds) lines.push(`  src_${kind} --> ${kind === 'stream' ? 'msk' : 'glue'}`);
  if (batch.length > 0) lines.push('  glue --> bronze');
  if (streams.length > 0) lines.push('  msk --> bronze');
  lines.push('  bronze --> emr', '  emr --> silver', '  emr --> gold', '  silver --> catalog', '  gold --> catalog');
  for (const [group, layers] of readers)
    for (const layer of LAYERS.filter((l) => layers.has(l as 'silver' | 'gold'))) lines.push(`  ${layer} -.->|read| group_${nodeId(group)}`);
  return `${lines.join('\n')}\n`;
}
