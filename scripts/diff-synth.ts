/**
 * `npm run diff:synth -- [git-ref] [--keep]`: what a change does to the deployed platform.
 *
 * Synthesizes the definition at `git-ref` (default: HEAD) in a temporary worktree and the working tree
 * as it is, then compares everything both apps wrote (`cdk.out/`: templates, asset manifests, stack
 * metadata, the cloud assembly manifest; `cdktf.out/`: every stack's Terraform JSON and the manifest).
 * Before comparing it removes what says nothing about the deployment: asset hashes (64 hex digits, which
 * change with any byte of a shipped script), construct creation stack traces (file and line of the TypeScript
 * that created a construct), absolute paths, the order of object members and of the manifests' stack
 * dependency lists (sets). Prints a unified diff per file and exits 1 when anything
 * differs, 0 with "no difference" otherwise. Refactors must print "no difference".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { resolveCommit, root, run, synthBoth } from './synth-worktree';

function usage(message: string): never {
  process.stderr.write(`diff-synth: ${message}\nusage: npm run diff:synth -- [git-ref] [--keep]\n`);
  process.exit(2);
}

/** Every file below `dir` whose content describes the deployment (asset payloads are compared by hash only, and hashes are normalised). */
function describingFiles(dir: string): string[] {
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
function normalised(tree: string, file: string): string {
  const parsed = stripStackTraces(JSON.parse(readFileSync(join(tree, file), 'utf8')));
  const json = JSON.stringify(file.endsWith('manifest.json') ? sortDependencies(parsed) : parsed, null, 1);
  return `${json
    .split(tree)
    .join('<root>')
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')}\n`;
}

function main(): void {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const refs = args.filter((arg) => !arg.startsWith('--'));
  if (refs.length > 1) usage(`one git ref at most; got ${refs.join(' ')}`);
  const ref = refs[0] ?? 'HEAD';
  const commit = resolveCommit(ref) ?? usage(`"${ref}" is not a commit of this repository`);

  synthBoth(ref, commit, 'diff-synth', keep, (base) => {
    let differences = 0;
    for (const outdir of ['cdk.out', 'cdktf.out']) {
      const before = describingFiles(join(base, outdir));
      const after = describingFiles(join(root, outdir));
      for (const file of [...new Set([...before, ...after])].sort()) {
        const path = `${outdir}/${file}`;
        if (!after.includes(file)) {
          differences++;
          process.stdout.write(`only in ${ref}: ${path}\n`);
        } else if (!before.includes(file)) {
          differences++;
          process.stdout.write(`only in the working tree: ${path}\n`);
        } else {
          const a = normalised(base, `${outdir}/${file}`);
          const b = normalised(root, `${outdir}/${file}`);
          if (a === b) continue;
          differences++;
          const scratch = mkdtempSync(join(tmpdir(), 'diff-synth-file-'));
          writeFileSync(join(scratch, 'a'), a);
          writeFileSync(join(scratch, 'b'), b);
          const diff = spawnSync('diff', ['-u', '--label', `${ref}/${path}`, '--label', `working-tree/${path}`, join(scratch, 'a'), join(scratch, 'b')], {
            encoding: 'utf8',
          });
          process.stdout.write(diff.stdout);
          rmSync(scratch, { recursive: true, force: true });
        }
      }
    }
    process.stdout.write(
      differences === 0
        ? `diff-synth: no difference between ${ref} and the working tree\n`
        : `diff-synth: ${differences} file(s) differ between ${ref} and the working tree\n`,
    );
    process.exitCode = differences === 0 ? 0 : 1;
  });
}

run(main);
