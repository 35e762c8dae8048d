export * from './lakehouse-references';
export * from './lakehouse-stack';
export * from './workspace-stack';
