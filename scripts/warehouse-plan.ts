/**
 * The gold warehouse's generated SQL, offline:
 *
 *   npx ts-node --swc scripts/warehouse-plan.ts plan <tsql|postgres>             the load plan (JSON) of the gold contracts
 *   npx ts-node --swc scripts/warehouse-plan.ts grants <environment> [--definition platform.yaml]
 *                                                                                the one-time T-SQL of the SQL admin group
 *
 * The lakehouse stack deploys the tsql plan with the load job; the data-path test of the load
 * (test/spark/test_warehouse_load.py) runs the load with the postgres plan against a local PostgreSQL.
 */
import { ConfigError, loadPlatformConfig, runApp } from '../lib/config';
import { readGoldContracts, WAREHOUSE_DIALECTS, type WarehouseDialect, warehouseLoaderGrants, warehouseLoadPlan } from '../lib/warehouse';
import { LakehouseReferences } from '../stacks/databricks/lakehouse-references';

export const USAGE =
  'usage: npx ts-node --swc scripts/warehouse-plan.ts plan <tsql|postgres>\n' +
  '       npx ts-node --swc scripts/warehouse-plan.ts grants <environment> [--definition platform.yaml]';

/** What the arguments ask for, as text to print; undefined when they are not one of the usages. */
export function warehouseOutput(args: readonly string[]): string | undefined {
  const definitionIndex = args.indexOf('--definition');
  const file = definitionIndex >= 0 ? args[definitionIndex + 1] : 'platform.yaml';
  const positional = definitionIndex >= 0 ? [...args.slice(0, definitionIndex), ...args.slice(definitionIndex + 2)] : [...args];
  if (positional.length !== 2 || file === undefined) return undefined;
  const [command, argument] = positional;
  if (command === 'plan') {
    if (!WAREHOUSE_DIALECTS.includes(argument as WarehouseDialect)) throw new Error(`dialect "${argument}" is not one of ${WAREHOUSE_DIALECTS.join(', ')}`);
    return `${JSON.stringify(warehouseLoadPlan(readGoldContracts(), argument as WarehouseDialect), null, 2)}\n`;
  }
  if (command !== 'grants') return undefined;
  const config = loadPlatformConfig(file);
  const environment = config.environments.find((env) => env.name === argument);
  if (environment === undefined) {
    const known = config.environments.map((env) => env.name).join(', ');
    throw new ConfigError(file, [{ path: ['environments'], message: `has no environment "${argument}"; environments: ${known}` }]);
  }
  const warehouse = environment.azure?.warehouse;
  if (!warehouse || !environment.clouds.includes('databricks'))
    throw new ConfigError(file, [
      {
        path: ['environments', argument],
        message: 'has no warehouse load: it needs azure.warehouse and the databricks cloud (the load is a task of the dbt job)',
      },
    ]);
  const refs = new LakehouseReferences({ config, environment });
  return warehouseLoaderGrants({
    identityName: refs.accessConnectorName,
    database: refs.sqlDatabaseName,
    serverHost: refs.sqlServerHost,
    adminGroup: config.groups[warehouse.adminGroup]?.name ?? warehouse.adminGroup,
  });
}

if (require.main === module) {
  void runApp(() => {
    const output = warehouseOutput(process.argv.slice(2));
    if (output === undefined) {
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(output);
  });
}
