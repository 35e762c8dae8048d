/**
 * `npm run diff:safety -- <base-ref> [--keep]`: the stateful-change gate.
 *
 * Synthesizes `base-ref` in a temporary worktree and the working tree (the machinery of diff:synth,
 * scripts/synth-worktree.ts), then refuses any stateful resource (scripts/stateful-resources.ts) of any stack
 * of any environment that the working tree deletes or replaces: its logical id or address is gone, its type
 * changed, or a property changed whose update requires replacement (CloudFormation: the spec in
 * scripts/cfn-replacement-spec.ts; Terraform: the force-new attributes in scripts/stateful-resources.ts).
 * safety-overrides.json at the repository root allows named replacements, each with a reason.
 * Exits 0 when safe, 1 when it refuses (or an override is empty or stale), 2 on a usage error, an unreadable
 * override file or a failed synth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnReplacementSpec } from './cfn-replacement-spec';
import { applyOverrides, formatResult, OVERRIDES_FILE, parseOverrides, readSynthesis, statefulChanges, type Override } from './stateful-changes';
import { resolveCommit, root, run, synthBoth } from './synth-worktree';

function usage(message: string): never {
  process.stderr.write(`diff-safety: ${message}\nusage: npm run diff:safety -- <base-ref> [--keep]\n`);
  process.exit(2);
}

function main(): void {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--keep');
  if (unknown.length > 0) usage(`unknown option ${unknown.join(' ')}`);
  const refs = args.filter((arg) => !arg.startsWith('--'));
  if (refs.length !== 1) usage(refs.length === 0 ? 'the base git ref is missing' : `one git ref; got ${refs.join(' ')}`);
  const ref = refs[0];
  const commit = resolveCommit(ref) ?? usage(`"${ref}" is not a commit of this repository`);
  const overridesPath = join(root, OVERRIDES_FILE);
  let overrides: Override[] = [];
  try {
    overrides = existsSync(overridesPath) ? parseOverrides(readFileSync(overridesPath, 'utf8'), OVERRIDES_FILE) : [];
  } catch (error) {
    usage((error as Error).message);
  }

  const result = synthBoth(ref, commit, 'diff-safety', keep, (base, work) =>
    applyOverrides(statefulChanges(readSynthesis(base), readSynthesis(work), CfnReplacementSpec.load()), overrides),
  );
  process.stdout.write(formatResult(result, ref));
  process.exitCode = result.refused.length > 0 || result.overrideErrors.length > 0 ? 1 : 0;
}

run(main);
