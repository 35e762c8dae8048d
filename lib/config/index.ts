export * from './schema';
export * from './errors';
export * from './load';
export { describeViolation, lifecycleOrderViolations } from './lifecycle';
export { DEFAULT_LIFECYCLE, DEFAULT_SIZING } from './defaults';
export type { ConfigIssue, ConfigPath } from './issue';
export * from './run-app';
