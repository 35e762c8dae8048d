import type { Config } from 'jest';

// Type-checking happens once in `npm run typecheck` (tsc --noEmit); jest only transforms with swc,
// which keeps a cold run of the whole suite to seconds on two cores.
const config: Config = {
  testEnvironment: 'node',
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
