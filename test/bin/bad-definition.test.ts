import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsNode = join(root, 'node_modules', '.bin', 'ts-node');

/** Runs an entry point the way npm does, in an empty folder, against a broken copy of the example. */
function runWithBrokenDefinition(entry: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'bad-definition-'));
  const definition = readFileSync(join(root, 'platform.yaml'), 'utf8')
    .replace('account: "333333333333"', 'account: "12345"')
    .replace('costCenter: cc-4410', 'costCentre: cc-4410');
  writeFileSync(join(cwd, 'broken.yaml'), definition);
  const result = spawnSync(tsNode, ['--swc', '--project', join(root, 'tsconfig.json'), join(root, entry)], {
    cwd,
    env: { ...process.env, PLATFORM_CONFIG: 'broken.yaml', CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  return { ...result, cwd };
}

describe.each(['bin/synth.ts', 'bin/validate.ts', 'bin/aws.ts', 'bin/cdktf.ts'])('%s with a broken definition (PLATFORM_CONFIG)', (entry) => {
  const run = runWithBrokenDefinition(entry);

  test('exits 1 and lists every problem with its path and what is allowed', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('broken.yaml: 3 problems in the platform definition:');
    expect(run.stderr).toContain('environments.prod.aws.account: "12345" must be a 12-digit AWS account id');
    expect(run.stderr).toContain('platform: unknown key "costCentre" (did you mean "costCenter"?)');
    expect(run.stderr).toContain('platform.costCenter: is required');
  });

  test('prints no stack trace', () => {
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test('writes no template', () => {
    expect(existsSync(join(run.cwd, 'cdk.out'))).toBe(false);
    expect(existsSync(join(run.cwd, 'cdktf.out'))).toBe(false);
    expect(readdirSync(run.cwd)).toEqual(['broken.yaml']);
  });
});
