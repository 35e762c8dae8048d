import type { PlatformConfig } from '../definition';
import { environmentStacks } from './environment-plan';

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ${count}`).join(', ');
}

/** A short, human summary of a valid definition: what `npm run validate` prints. */
export function definitionSummary(config: PlatformConfig): string {
  const lines = [
    `${config.source}: valid platform definition "${config.prefix}" (owner ${config.owner}, cost center ${config.costCenter})`,
    '',
    'Environments:',
  ];
  for (const env of config.environments) {
    const stacks = environmentStacks(config, env).map((stack) => stack.name);
    lines.push(
      `  ${env.name.padEnd(10)} ${env.stage.padEnd(12)} clouds: ${env.clouds.join(', ').padEnd(23)} ` +
        `data on delete: ${env.dataProtection.retainOnDelete ? 'retain' : 'destroy'}`,
    );
    lines.push(`  ${''.padEnd(10)} stacks: ${stacks.join(', ') || '(none)'}`);
  }
  lines.push('', `Datasets: ${config.datasets.length} (${countBy(config.datasets, (d) => d.domain)})`);
  lines.push(`  by source: ${countBy(config.datasets, (d) => d.source.kind)}`);
  lines.push(`  by classification: ${countBy(config.datasets, (d) => d.classification)}`);
  lines.push(`Groups: ${Object.keys(config.groups).join(', ')}`);
  return lines.join('\n');
}
