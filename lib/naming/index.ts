export * from './name-rules';
export * from './stack-names';
export * from './aws-names';
export * from './aws-job-names';
export * from './aws-lake-names';
export * from './azure-names';
export * from './databricks-names';
