import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { ShardLock } from '../definition';
import { ConfigError } from './errors';
import type { ConfigIssue } from './issue';

/**
 * `platform.shards.yaml`: which shard of its per-domain stacks each dataset of a large domain is in,
 * recorded so that a dataset never moves between stacks (lib/limits/domain-shards.ts says why and how
 * shards are filled). `npm run shards` writes it; `loadPlatformConfig` reads it and refuses it when it is
 * out of date. A domain that fills less than half of one shard has no entry, so most definitions need no such file.
 */

/** The lock file of a definition file: `<name>.shards.yaml` beside it (`platform.yaml` → `platform.shards.yaml`). */
export function shardLockFileOf(definitionFile: string): string {
  return join(dirname(definitionFile), `${basename(definitionFile, extname(definitionFile))}.shards.yaml`);
}

const HEADER =
  '# Which shard of its per-domain stacks (catalog, ingestion, streaming) each dataset of a large domain is in.\n' +
  '# Written by `npm run shards`, which never moves a recorded dataset: commit it with the definition.\n' +
  '# Shard 0 is <prefix>-<env>-<concern>-<domain>, shard n is <prefix>-<env>-<concern>-<domain>-<n>.\n';

/** The file's text for `lock`: domains sorted, each shard's datasets in the order recorded. */
export function shardLockText(lock: ShardLock): string {
  const domains = Object.fromEntries(
    Object.keys(lock)
      .sort()
      .map((domain) => [domain, lock[domain].map((datasets, shard) => ({ shard, datasets: [...datasets] }))]),
  );
  return `${HEADER}${stringify({ domains }, { lineWidth: 0 })}`;
}

/** Reads `file`; no file means no entries. Throws a ConfigError naming each malformed entry. */
export function readShardLock(file: string): ShardLock {
  if (!existsSync(file)) return {};
  const document = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (document.errors.length > 0) throw new ConfigError(file, [{ path: [], message: `YAML: ${document.errors[0].message.split('\n')[0]}` }]);
  const parsed = document.toJS() as { domains?: unknown } | null;
  const issues: ConfigIssue[] = [];
  const lock: Record<string, string[][]> = {};
  const domains = parsed?.domains ?? {};
  if (typeof domains !== 'object' || Array.isArray(domains)) {
    throw new ConfigError(file, [{ path: ['domains'], message: 'must map each domain to its list of shards' }]);
  }
  for (const [domain, shards] of Object.entries(domains as Record<string, unknown>)) {
    if (!Array.isArray(shards)) {
      issues.push({ path: ['domains', domain], message: 'must be a list of shards, each { shard: <n>, datasets: [<name>, ...] }' });
      continue;
    }
    const recorded: string[][] = [];
    shards.forEach((entry: { shard?: unknown; datasets?: unknown }, index) => {
      const datasets = entry?.datasets;
      if (entry?.shard !== index) issues.push({ path: ['domains', domain, index, 'shard'], message: `must be ${index} (shards are listed in order, from 0)` });
      if (!Array.isArray(datasets) || datasets.some((name) => typeof name !== 'string')) {
        issues.push({ path: ['domains', domain, index, 'datasets'], message: 'must be a list of dataset names' });
        return;
      }
      recorded.push(datasets as string[]);
    });
    lock[domain] = recorded;
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  return lock;
}
