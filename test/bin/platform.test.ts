import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * Runs the `platform` launcher (bin/platform.js, what the package.json bin points at) from an empty folder,
 * with only `env`, PATH and the test file's TMPDIR (test/jest/temp-dir-environment.ts).
 */
function platform(args: readonly string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'platform-bin-'));
  return spawnSync(process.execPath, [join(root, 'bin', 'platform.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, TMPDIR: tmpdir(), ...env },
    encoding: 'utf8',
  });
}

describe('bin/platform.js', () => {
  test('fails with exit 1 and every problem, without a stack trace, when the definition is invalid', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'platform-broken-')), 'broken.yaml');
    writeFileSync(file, readFileSync(join(root, 'platform.yaml'), 'utf8').replace('account: "333333333333"', 'account: "12345"'));
    const run = platform(['validate'], { PLATFORM_CONFIG: file });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('environments.prod.aws.account: "12345" must be a 12-digit AWS account id');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test('fails with exit 2 for an unknown environment, listing the valid ones', () => {
    const run = platform(['run', 'sales', '--env', 'qa', '--config', join(root, 'platform.yaml')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('platform: unknown environment "qa"; environments: dev, staging, prod\nRun "platform run --help" for usage.\n');
    expect(run.stdout).toBe('');
  });
});
