/**
 * The schedule dialects: five-field cron as the definition writes it (`cron.ts`, with the longest
 * interval between runs), and its translations for EventBridge Scheduler, Quartz (Databricks) and
 * Data Factory recurrences.
 *
 * May import: lib/definition.
 */
export * from './cron';
export * from './quartz-cron';
export * from './scheduler-cron';
export * from './data-factory-recurrence';
export * from './tumbling-window';
