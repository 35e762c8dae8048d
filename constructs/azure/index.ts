/**
 * Reusable CDKTF constructs on Azure, one concept per file: the network, Key Vault, the ADLS Gen2 lake
 * with lifecycle rules, monitoring, Event Hubs, Data Factory ingestion, the SQL warehouse, Synapse, the
 * identities GitHub Actions deploy with, and the standard-tags aspect.
 *
 * May import: lib/definition, lib/schedules, lib/lake, lib/tagging, lib/naming, lib/config.
 */
export * from './address-space';
export * from './adls-data-lake';
export * from './built-in-roles';
export * from './change-capture-copy';
export * from './checkov-skip';
export * from './data-classification';
export * from './data-factory-copy';
export * from './dataset-copy-pipeline';
export * from './diagnostic-settings';
export * from './github-federated-identity';
export * from './ingestion-factory';
export * from './lake-lifecycle-rules';
export * from './monitoring-workspace';
export * from './environment-budget';
export * from './network-security-rules';
export * from './platform-key-vault';
export * from './platform-network';
export * from './private-dns-zones';
export * from './service-private-endpoint';
export * from './sql-warehouse';
export * from './standard-tags-aspect';
export * from './streaming-namespace';
export * from './synapse-analytics';
