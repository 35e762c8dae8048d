export * from './azure-environment';
export * from './storage-stack';
