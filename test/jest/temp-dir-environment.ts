import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';

/**
 * The node environment with a temporary directory of its own per test file, removed when the file ends:
 * the CDK and CDKTF test apps (`cdk.out*`, `cdktf.outdir.*`), policy-gate outdirs, CLI working folders
 * and child processes write there through `os.tmpdir()`, so a test file cleans up after itself without
 * tracking each directory, and a long run does not pile up the outdirs of finished files.
 *
 * A worker runs one test file at a time, so the file's directory can be the worker's TMPDIR (the real
 * process environment, which `os.tmpdir()` and child processes read, and the copy the tests see).
 */
export default class TempDirEnvironment extends NodeEnvironment {
  private readonly tempDir: string;
  private readonly previousTmpdir: string | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.previousTmpdir = process.env.TMPDIR;
    this.tempDir = mkdtempSync(join(tmpdir(), 'test-file-'));
    process.env.TMPDIR = this.tempDir;
    this.global.process.env.TMPDIR = this.tempDir;
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    if (this.previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.previousTmpdir;
    rmSync(this.tempDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
