export * from './cron';
export * from './quartz-cron';
export * from './scheduler-cron';
export * from './data-factory-recurrence';
