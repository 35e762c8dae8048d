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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedFiles, normalised } from './synth-compare';
import { resolveCommit, root, run, synthBoth } from './synth-worktree';

function usage(message: string): never {
  process.stderr.write(`diff-synth: ${message}\nusage: npm run diff:synth -- [git-ref] [--keep]\n`);
  process.exit(2);
}

function main(): void {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const refs = args.filter((arg) => !arg.startsWith('--'));
  if (refs.length > 1) usage(`one git ref at most; got ${refs.join(' ')}`);
  const ref = refs[0] ?? 'HEAD';
  const commit = resolveCommit(ref) ?? usage(`"${ref}" is not a commit of this repository`);

  synthBoth(ref, commit, 'diff-synth', keep, (base) => {
    const changes = changedFiles(base, root);
    for (const { path, change } of changes) {
      if (change === 'only-in-base') process.stdout.write(`only in ${ref}: ${path}\n`);
      else if (change === 'only-in-work') process.stdout.write(`only in the working tree: ${path}\n`);
      else {
        const scratch = mkdtempSync(join(tmpdir(), 'diff-synth-file-'));
        writeFileSync(join(scratch, 'a'), normalised(base, path));
        writeFileSync(join(scratch, 'b'), normalised(root, path));
        const diff = spawnSync('diff', ['-u', '--label', `${ref}/${path}`, '--label', `working-tree/${path}`, join(scratch, 'a'), join(scratch, 'b')], {
          encoding: 'utf8',
        });
        process.stdout.write(diff.stdout);
        rmSync(scratch, { recursive: true, force: true });
      }
    }
    const differences = changes.length;
    process.stdout.write(
      differences === 0
        ? `diff-synth: no difference between ${ref} and the working tree\n`
        : `diff-synth: ${differences} file(s) differ between ${ref} and the working tree\n`,
    );
    process.exitCode = differences === 0 ? 0 : 1;
  });
}

run(main);
