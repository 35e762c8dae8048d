import type { Config } from 'jest';

/**
 * Suites too slow for the inner loop (`npm run test:unit`), run by `npm run test:slow` (and so by `npm test` and
 * CI): they wait on timeouts on purpose, start a moto server or Terraform, spawn the apps as processes, or
 * build every stack of every environment. Measured per file with jest's own timings (2 cores): 5-18 s each.
 */
export const SLOW_SUITES = [
  'test/ops/no-answer.test.ts', // clients against servers that never answer: waits for the timeouts
  'test/bin/platform-no-answer.test.ts', // the same through the CLI process
  'test/bin/platform.integration.test.ts', // the CLI against a moto server
  'test/scripts/validate-terraform.test.ts', // terraform validate with the real providers
  'test/plan/environment-plan.test.ts', // both apps, every stack of every environment
  'test/policy/example-gates.test.ts', // the policy gates over every stack of every environment
  'test/bin/bad-definition.test.ts', // each app as a ts-node process
  'test/scripts/stream-schemas.test.ts', // the script as a ts-node process
];

// Type-checking happens once in `npm run typecheck` (tsc --noEmit); jest only transforms with swc.
const shared: Config = {
  // Each test file gets a temporary directory (TMPDIR) of its own, removed when the file ends, under a root
  // that the run removes at its end: nothing a test or a library writes to os.tmpdir() outlives the run.
  testEnvironment: '<rootDir>/test/jest/temp-dir-environment.ts',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};

const slow = SLOW_SUITES.map((path) => `<rootDir>/${path}`);

const config: Config = {
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/jest/global-teardown.ts',
  testTimeout: 60_000,
  // Jest's default on two cores is one worker; suites spend part of their time in child processes
  // (ts-node, moto, cfn-guard), so two workers keep both cores busy.
  maxWorkers: 2,
  // `jest` runs both; `npm run test:unit` selects `unit`, `npm run test:slow` selects `slow`.
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...slow] },
    { ...shared, displayName: 'slow', testMatch: slow },
  ],
};

export default config;
