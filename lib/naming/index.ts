export * from './name-rules';
export * from './names';
export * from './job-names';
export * from './lake-names';
export * from './databricks-names';
