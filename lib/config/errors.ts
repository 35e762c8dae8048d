import type { ConfigIssue, ConfigPath } from './issue';

/** Renders a path as it reads in YAML: `environments.prod.aws.account`, `datasets[2].keys[0]`. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text === '' ? '(definition root)' : text;
}

/** The definition is invalid. Carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(
    /** File the definition came from. */
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the platform definition:\n` +
        issues.map((i) => `  - ${formatPath(i.path)}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
