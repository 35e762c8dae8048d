export * from './environment-stack';
export * from './environment-stack-props';
export * from './storage-stack';
export * from './network-stack';
export * from './analytics-stack';
export * from './processing-stack';
