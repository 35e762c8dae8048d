/**
 * Comparing two synthesized trees (`cdk.out/` and `cdktf.out/`), shared by `npm run diff:synth` (the whole
 * normalised diff) and `npm run diff:cloud` (which stacks changed). Normalising removes what says nothing
 * about the deployment: asset hashes, construct creation stack traces, absolute paths, the order of object
 * members and of the manifests' stack dependency lists (sets).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The output directories of the two apps. */
export const SYNTH_OUTDIRS = ['cdk.out', 'cdktf.out'] as const;

/** Every file below `dir` whose content describes the deployment (asset payloads are compared by hash only, and hashes are normalised). */
export function describingFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (entry.startsWith('asset.')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json')) files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

/** Keys of cdk metadata that hold the TypeScript stack that created or acknowledged something. */
const STACK_TRACE_KEYS = new Set(['acknowledgedStackTrace', 'stackTrace', 'stackTraces', 'trace']);

/** Drops creation stack traces (cdk metadata) and sorts object keys. */
function stripStackTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => (item as { type?: unknown })?.type !== 'aws:cdk:creationStack').map(stripStackTraces);
  if (value && typeof value === 'object') {
    // Keys sorted: the order of a JSON object's members (e.g. artifacts in the cloud assembly manifest) means nothing.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !STACK_TRACE_KEYS.has(key))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, child]) => [key, stripStackTraces(child)]),
    );
  }
  return value;
}

/** Sorts the stack dependency lists of an assembly manifest: a set, whose order only reflects the order the app declared them in. */
function sortDependencies(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDependencies);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, key === 'dependencies' && Array.isArray(child) ? [...child].sort() : sortDependencies(child)]),
    );
  }
  return value;
}

/** A file of a synthesized tree below `tree`, without stack traces, the tree's own path and asset hashes. */
export function normalised(tree: string, file: string): string {
  const parsed = stripStackTraces(JSON.parse(readFileSync(join(tree, file), 'utf8')));
  const json = JSON.stringify(file.endsWith('manifest.json') ? sortDependencies(parsed) : parsed, null, 1);
  return `${json
    .split(tree)
    .join('<root>')
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')}\n`;
}

/** A file (below the tree) that is only in one tree or whose normalised content differs. */
export interface ChangedFile {
  /** `cdk.out/...` or `cdktf.out/...`. */
  readonly path: string;
  readonly change: 'only-in-base' | 'only-in-work' | 'differs';
}

/** Every describing file that differs between the synthesized trees `base` and `work`, in path order. */
export function changedFiles(base: string, work: string): ChangedFile[] {
  const changes: ChangedFile[] = [];
  for (const outdir of SYNTH_OUTDIRS) {
    const before = describingFiles(join(base, outdir));
    const after = describingFiles(join(work, outdir));
    for (const file of [...new Set([...before, ...after])].sort()) {
      const path = `${outdir}/${file}`;
      if (!after.includes(file)) changes.push({ path, change: 'only-in-base' });
      else if (!before.includes(file)) changes.push({ path, change: 'only-in-work' });
      else if (normalised(base, path) !== normalised(work, path)) changes.push({ path, change: 'differs' });
    }
  }
  return changes;
}

/**
 * The stack a synthesized file belongs to: `cdk.out/<stack>.template.json` (and its `.assets.json`,
 * `.metadata.json`) or `cdktf.out/stacks/<stack>/…`; undefined for app-wide files (the manifests).
 */
export function stackOfFile(path: string): string | undefined {
  const cdk = /^cdk\.out\/([^/]+)\.(?:template|assets|metadata)\.json$/.exec(path);
  if (cdk) return cdk[1];
  const terraform = /^cdktf\.out\/stacks\/([^/]+)\//.exec(path);
  return terraform?.[1];
}
