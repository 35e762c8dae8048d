import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary directory of a jest run lives under one root that the run removes at its end, so that
 * nothing a test, a library (CDK and CDKTF app outdirs, CDK asset staging) or a child process puts under
 * `os.tmpdir()` survives the run, even when a test forgets to clean up or a worker is killed.
 *
 * The root is handed over as TMPDIR, which `os.tmpdir()`, Python's `tempfile` and most tools read: jest
 * forks its workers after the global setup, so they and every process they start inherit it.
 */
const ROOT = 'CPS_JEST_TEMP_ROOT';
const PREVIOUS = 'CPS_JEST_PREVIOUS_TMPDIR';

/** jest `globalSetup`: creates the run's temporary root and makes it the TMPDIR of everything the run starts. */
export function createTempRoot(): void {
  const root = mkdtempSync(join(tmpdir(), 'cps-jest-'));
  process.env[PREVIOUS] = process.env.TMPDIR ?? '';
  process.env[ROOT] = root;
  process.env.TMPDIR = root;
}

/** jest `globalTeardown`: removes the run's temporary root with everything left in it, and restores TMPDIR. */
export function removeTempRoot(): void {
  const root = process.env[ROOT];
  if (!root) return;
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  if (process.env[PREVIOUS]) process.env.TMPDIR = process.env[PREVIOUS];
  else delete process.env.TMPDIR;
  delete process.env[ROOT];
  delete process.env[PREVIOUS];
}
