import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';

// test/jest/temp-dir-environment.ts and temp-root.ts: what a test file writes to the temporary directory
// is inside a directory of its own, under the run's root, and child processes inherit it.
describe('the temporary directory of a test file', () => {
  test('is a directory of its own under the run root', () => {
    expect(basename(tmpdir())).toMatch(/^test-file-/);
    expect(basename(dirname(tmpdir()))).toMatch(/^cps-jest-/);
    expect(process.env.TMPDIR).toBe(tmpdir());
  });

  test('is the temporary directory of the processes a test starts', () => {
    const childTmpdir = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });
    expect(childTmpdir).toBe(tmpdir());
  });
});
