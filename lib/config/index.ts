export * from './schema';
export * from './types';
export * from './errors';
export * from './load';
export * from './cron';
export * from './data-factory-recurrence';
export { describeViolation, lifecycleOrderViolations } from './lifecycle';
export { DEFAULT_LIFECYCLE, DEFAULT_SIZING } from './defaults';
export type { ConfigIssue } from './rules';
