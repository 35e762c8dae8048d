/**
 * Records which shard of its per-domain AWS stacks each dataset of a large domain is in, so that no later
 * change to the catalogue moves a dataset between stacks (lib/limits/domain-shards.ts):
 *
 *   npm run shards [-- --check] [-- <definition file>]     (default: PLATFORM_CONFIG or platform.yaml)
 *
 * Writes `<definition>.shards.yaml` beside the definition (platform.shards.yaml): recorded datasets keep
 * their shard, removed ones are dropped, new ones go to the first shard with room. Domains are recorded from
 * half a shard on (before they need a second); a definition with no such domain needs no file, and an
 * existing one is deleted. --check writes nothing and
 * exits 1 when the file is out of date (as `npm run validate` and synth refuse it).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadPlatformConfig, runApp, shardLockFileOf, shardLockText } from '../lib/config';
import { shardLockOf } from '../lib/limits';

/** What the lock file of `definitionFile` should hold: its text, or undefined for no file. */
export function expectedShardLock(definitionFile: string): string | undefined {
  const lock = shardLockOf(loadPlatformConfig(definitionFile, { checkShardLock: false }));
  return Object.keys(lock).length === 0 ? undefined : shardLockText(lock);
}

/** Brings the lock file of `definitionFile` up to date; returns what it did, in words. */
export function updateShardLock(definitionFile: string, check = false): { changed: boolean; message: string } {
  const file = shardLockFileOf(definitionFile);
  const name = relative(process.cwd(), file) || file;
  const expected = expectedShardLock(definitionFile);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === expected) return { changed: false, message: `${name} is up to date` };
  if (check) return { changed: true, message: `${name} is out of date; run \`npm run shards\` and commit it` };
  if (expected === undefined) rmSync(file);
  else writeFileSync(file, expected);
  // The recorded shards must also fit their stacks: the full load says so, or names what does not.
  loadPlatformConfig(definitionFile);
  return { changed: true, message: expected === undefined ? `${name} removed: no domain needs recording (each fits half of one shard)` : `${name} written` };
}

if (require.main === module) {
  void runApp(() => {
    const args = process.argv.slice(2);
    const check = args.includes('--check');
    const definition = args.find((arg) => !arg.startsWith('--')) ?? process.env.PLATFORM_CONFIG ?? 'platform.yaml';
    const { changed, message } = updateShardLock(definition, check);
    process.stdout.write(`${message}\n`);
    if (check && changed) process.exitCode = 1;
  });
}
