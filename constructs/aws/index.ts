export * from './access-logs-bucket';
export * from './data-lake-key';
export * from './data-lake-storage';
export * from './medallion-bucket';
export * from './s3-lifecycle-rules';
export * from './secure-bucket-defaults';
export * from './data-platform-network';
export * from './query-workgroup';
