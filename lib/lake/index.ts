export * from './layout';
export * from './ingestion-support';
export * from './capacity';
export * from './dqdl';
export * from './table-formats';
export * from './ingestion-arguments';
export * from './stream-arguments';
