/**
 * `npm run diff:cloud -- <env> [--base <git-ref>] [--summary <file>]`: what a change would do to one
 * deployed environment, stack by stack, as the pull-request workflow shows it.
 *
 * With `--base`, it synthesizes the base in a temporary worktree and the working tree (as `diff:synth`
 * does) and keeps the environment's stacks whose normalised output differs; without, every stack of the
 * environment. For each kept stack it runs the cloud's own diff against what is deployed: `cdk diff`
 * (template mode, so that a read-only role that may only assume the CDK lookup role suffices) and
 * `cdktf diff` (a Terraform plan, without taking the state lock). A Terraform plan needs Azure
 * credentials (ARM_CLIENT_ID); without them it is reported as skipped, never as "no change".
 * `--summary` appends a Markdown report (the workflow passes `$GITHUB_STEP_SUMMARY`).
 *
 * Exit codes: 0 every diff ran (whatever it found), 1 a diff failed (credentials, a missing stack),
 * 2 usage or a failed synth.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { runApp } from '../lib/config/run-app';
import { deliveryEnvironment } from '../lib/plan';
import { environmentArgument, optionValue, refuseUnknownOptions, UsageProblem } from './delivery/delivery-args';
import { changedFiles, stackOfFile } from './synth-compare';
import { resolveCommit, root, synth, SynthFailed, synthBoth } from './synth-worktree';

const USAGE = 'npm run diff:cloud -- <environment> [--base <git-ref>] [--summary <file>]';

interface StackDiff {
  readonly stack: string;
  readonly toolchain: 'cdk' | 'cdktf';
  readonly outcome: 'diffed' | 'failed' | 'skipped';
  readonly output: string;
}

/** The stacks of `stacks` that have a changed synthesized file between `base` and `work`. */
export function changedStacks(base: string, work: string, stacks: readonly string[]): string[] {
  const changed = new Set(changedFiles(base, work).map((file) => stackOfFile(file.path)));
  return stacks.filter((stack) => changed.has(stack));
}

function runDiff(command: string[], env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const result = spawnSync(command[0], command.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function diffStacks(cdkStacks: readonly string[], cdktfStacks: readonly string[]): StackDiff[] {
  const diffs: StackDiff[] = [];
  for (const stack of cdkStacks) {
    const { status, output } = runDiff(['npx', 'cdk', 'diff', '--app', 'cdk.out', '--change-set', 'false', '--exclusively', stack], {});
    diffs.push({ stack, toolchain: 'cdk', outcome: status === 0 ? 'diffed' : 'failed', output });
  }
  for (const stack of cdktfStacks) {
    if (!process.env.ARM_CLIENT_ID) {
      diffs.push({ stack, toolchain: 'cdktf', outcome: 'skipped', output: 'no Azure credentials (ARM_CLIENT_ID is not set): Terraform plan skipped' });
      continue;
    }
    const { status, output } = runDiff(['npx', 'cdktf', 'diff', '--skip-synth', stack], { TF_CLI_ARGS_plan: '-lock=false' });
    diffs.push({ stack, toolchain: 'cdktf', outcome: status === 0 ? 'diffed' : 'failed', output });
  }
  return diffs;
}

/** The Markdown report: one table of the environment's stacks, then each diff folded. */
export function summaryMarkdown(environment: string, base: string | undefined, all: readonly string[], diffs: readonly StackDiff[]): string {
  const byStack = new Map(diffs.map((diff) => [diff.stack, diff]));
  const lines = [
    `## ${environment}: ${diffs.length} of ${all.length} stack(s) ${base ? `changed against ${base}` : 'diffed'}`,
    '',
    '| stack | synthesized output | cloud diff |',
    '| --- | --- | --- |',
    ...all.map((stack) => {
      const diff = byStack.get(stack);
      return `| ${stack} | ${diff ? 'changed' : 'unchanged'} | ${diff ? diff.outcome : '—'} |`;
    }),
    '',
  ];
  for (const diff of diffs)
    lines.push(
      `<details><summary>${diff.stack} (${diff.toolchain} diff: ${diff.outcome})</summary>`,
      '',
      '```',
      diff.output.trim(),
      '```',
      '',
      '</details>',
      '',
    );
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const args = process.argv.slice(2);
  refuseUnknownOptions(args, [], ['--base', '--summary']);
  const { config, environment } = environmentArgument(args, USAGE);
  const base = optionValue(args, '--base');
  const summary = optionValue(args, '--summary');
  const delivery = deliveryEnvironment(config, environment);
  const all = [...delivery.cdkStacks, ...delivery.cdktfStacks];
  let changed: string[];
  if (base === undefined) {
    synth(root, 'the working tree', 'diff-cloud');
    changed = all;
  } else {
    const commit = resolveCommit(base);
    if (!commit) throw new UsageProblem(`"${base}" is not a commit of this repository`);
    changed = synthBoth(base, commit, 'diff-cloud', false, (baseDir, work) => changedStacks(baseDir, work, all));
  }
  const diffs = diffStacks(
    delivery.cdkStacks.filter((stack) => changed.includes(stack)),
    delivery.cdktfStacks.filter((stack) => changed.includes(stack)),
  );
  const report = summaryMarkdown(environment.name, base, all, diffs);
  process.stdout.write(report);
  for (const diff of diffs) if (diff.outcome !== 'skipped') process.stdout.write(`\n# ${diff.stack}\n${diff.output}`);
  if (summary) appendFileSync(summary, report);
  if (diffs.some((diff) => diff.outcome === 'failed')) process.exitCode = 1;
}

if (require.main === module)
  void runApp(() => {
    try {
      main();
    } catch (error) {
      if (error instanceof SynthFailed) {
        process.exitCode = 2;
        return;
      }
      if (!(error instanceof UsageProblem)) throw error;
      process.stderr.write(`diff-cloud: ${error.message}\n`);
      process.exitCode = 2;
    }
  });
