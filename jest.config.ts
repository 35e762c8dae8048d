import type { Config } from 'jest';

// Type-checking happens once in `npm run typecheck` (tsc --noEmit); jest only transforms with swc,
// which keeps a cold run of the whole suite to seconds on two cores.
const config: Config = {
  // Each test file gets a temporary directory (TMPDIR) of its own, removed when the file ends, under a root
  // that the run removes at its end: nothing a test or a library writes to os.tmpdir() outlives the run.
  testEnvironment: '<rootDir>/test/jest/temp-dir-environment.ts',
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/jest/global-teardown.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60_000,
  // Jest's default on two cores is one worker; suites spend part of their time in child processes
  // (ts-node, moto, cfn-guard), so two workers keep both cores busy.
  maxWorkers: 2,
};

export default config;
