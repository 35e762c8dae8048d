/**
 * The one-time T-SQL a member of the warehouse's SQL admin group runs in the warehouse database so that
 * the load job's managed identity (the Databricks access connector's) can replace the gold tables:
 * its contained database user (Entra ID), the `gold` schema, and exactly the rights a load needs there.
 * Terraform cannot do it: database users are not Azure resources, and the server accepts Entra ID only.
 */
import { WAREHOUSE_GOLD_SCHEMA } from './warehouse-tables';

export interface LoaderGrantsOptions {
  /** The managed identity's name in Entra ID: for a system-assigned identity, its resource's name (the access connector). */
  readonly identityName: string;
  /** The database the script runs in (for the header and a guard). */
  readonly database: string;
  /** The server's host name (for the header). */
  readonly serverHost: string;
  /** The Entra ID group that administers the server (for the header). */
  readonly adminGroup: string;
}

/** The idempotent T-SQL script: a rerun changes nothing. */
export function warehouseLoaderGrants(options: LoaderGrantsOptions): string {
  const { identityName, database } = options;
  for (const [field, value] of Object.entries({ identityName, database })) {
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`warehouseLoaderGrants: ${field} "${value}" must be letters, digits, '.', '_' or '-'`);
  }
  const schema = WAREHOUSE_GOLD_SCHEMA;
  return [
    `-- One-time setup of the gold warehouse load in database ${database} on ${options.serverHost}.`,
    `-- Run as a member of the SQL admin group ${options.adminGroup} (Entra ID), e.g.`,
    `--   sqlcmd -S ${options.serverHost} -d ${database} --authentication-method ActiveDirectoryDefault -i <this file>`,
    `-- from a machine inside the environment network (the server has no public endpoint). Idempotent.`,
    `IF DB_NAME() <> N'${database}' THROW 50000, N'Run this script in database ${database}.', 1;`,
    `IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'${identityName}')`,
    `  CREATE USER [${identityName}] FROM EXTERNAL PROVIDER;`,
    `IF SCHEMA_ID(N'${schema}') IS NULL`,
    `  EXEC(N'CREATE SCHEMA [${schema}] AUTHORIZATION [dbo]');`,
    `-- Creating a table needs CREATE TABLE in the database and ALTER on the schema it goes in.`,
    `GRANT CREATE TABLE TO [${identityName}];`,
    `GRANT ALTER, SELECT, INSERT, DELETE, REFERENCES ON SCHEMA::[${schema}] TO [${identityName}];`,
    '',
  ].join('\n');
}
