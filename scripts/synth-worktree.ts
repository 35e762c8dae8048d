/**
 * What diff:synth and diff:safety share: resolving a git ref, checking it out in a temporary worktree beside
 * this one (with this one's node_modules and .venv), and running `npm run synth` in a tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (the working tree these scripts run in). */
export const root = resolve(__dirname, '..');

/** The commit `ref` names, or undefined when it names none in this repository. */
export function resolveCommit(ref: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return undefined;
  }
}

/** A synth that failed; its output is already printed. Thrown (not exited on) so the temporary worktree is removed. */
export class SynthFailed extends Error {}

/** Runs a script's `main`: a failed synth exits 2 without a stack trace, after the worktree is gone. */
export function run(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof SynthFailed)) throw error;
    process.exitCode = 2;
  }
}

/** Runs `npm run synth` in `dir` from clean output directories; throws SynthFailed, with its output printed, when it fails. */
export function synth(dir: string, label: string, tool: string): void {
  process.stdout.write(`${tool}: synthesizing ${label}\n`);
  rmSync(join(dir, 'cdk.out'), { recursive: true, force: true });
  rmSync(join(dir, 'cdktf.out'), { recursive: true, force: true });
  // Every environment: PLATFORM_ENV (the CLI's default environment) would make synth build only one.
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  delete env.PLATFORM_ENV;
  const result = spawnSync('npm', ['run', '--silent', 'synth'], { cwd: dir, encoding: 'utf8', env });
  if (result.status !== 0) {
    process.stderr.write(`${tool}: synth of ${label} failed (exit ${result.status})\n${result.stdout}${result.stderr}`);
    throw new SynthFailed(`synth of ${label} failed`);
  }
}

/**
 * Checks `commit` out in a temporary worktree, runs `use` on its path, and removes the worktree afterwards
 * (unless `keep`, then prints where it is).
 */
export function withWorktree<T>(commit: string, tool: string, keep: boolean, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), `${tool}-`));
  try {
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', dir, commit], { cwd: root, stdio: 'inherit' });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    if (existsSync(join(root, '.venv'))) symlinkSync(join(root, '.venv'), join(dir, '.venv'));
    return use(dir);
  } finally {
    if (keep) process.stdout.write(`${tool}: kept ${dir}\n`);
    else execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'inherit' });
  }
}

/** Synthesizes `ref` (at `commit`) in a temporary worktree and the working tree, then runs `compare(baseDir, workDir)`. */
export function synthBoth<T>(ref: string, commit: string, tool: string, keep: boolean, compare: (base: string, work: string) => T): T {
  return withWorktree(commit, tool, keep, (base) => {
    synth(base, `${ref} (${commit.slice(0, 7)})`, tool);
    synth(root, 'the working tree', tool);
    return compare(base, root);
  });
}
