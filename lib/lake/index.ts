/**
 * The lake's layout contract, cloud-neutral: where each layer and dataset lives, the metadata columns
 * each layer's tables carry (`layout.ts`), table formats, DQDL rulesets from quality rules, what the AWS
 * ingestion supports, and the arguments of the batch and streaming ingestion jobs.
 *
 * May import: lib/definition.
 */
export * from './layout';
export * from './ingestion-support';
export * from './dqdl';
export * from './table-formats';
export * from './ingestion-arguments';
export * from './stream-arguments';
export * from './change-capture';
export * from './binary-manifest';
