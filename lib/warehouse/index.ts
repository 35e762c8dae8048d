/**
 * The gold tables of the Azure SQL warehouse: read from the dbt gold contracts (`gold-contracts.ts`),
 * rendered as table definitions and the load plan (`warehouse-tables.ts`), and the one-time grants of the
 * load's identity (`loader-grants.ts`). Pure but `readGoldContracts`, which reads the committed dbt project.
 *
 * May import: lib/definition, lib/config.
 */
export * from './gold-contracts';
export * from './warehouse-tables';
export * from './loader-grants';
