import { Stack } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { CfnPrincipalPermissions } from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';

/** What a pipeline role may do with every table of a database. */
export type DatabaseAccessLevel = 'read' | 'readWrite';

export interface LakeFormationDatabaseAccessProps {
  /** The role that gets access (a Glue job role, the EMR instance role, the data-quality role). */
  readonly role: IRole;
  /** The Glue database, by name (see `glueDatabaseName`). */
  readonly databaseName: string;
  /**
   * `read`: DESCRIBE the database, SELECT and DESCRIBE its tables. `readWrite`: also INSERT, DELETE
   * and ALTER on the tables (new partitions, rewritten data) and CREATE_TABLE in the database.
   * @default 'read'
   */
  readonly access?: DatabaseAccessLevel;
  /**
   * Tables the access covers, by name; only for `read`.
   * @default - every table of the database (a table wildcard)
   */
  readonly tableNames?: readonly string[];
  /**
   * Tables the access covers, by a Lake Formation tag they carry (e.g. the domain tag, see `domainTagKey`):
   * the grant covers the tables of the database with that tag value, those of later datasets included,
   * and stays one grant however many there are. Not with `tableNames`.
   * @default - every table of the database (a table wildcard), or `tableNames`
   */
  readonly tableTag?: { readonly key: string; readonly value: string };
  /**
   * ARN of the registered location (a layer bucket) the role writes tables or partitions into; Lake
   * Formation requires DATA_LOCATION_ACCESS on it to create or alter catalog entries pointing there.
   * @default - none: the role creates no catalog entry in a registered location
   */
  readonly dataLocationArn?: string;
}

/**
 * Lake Formation access of one pipeline role to every table of one database (a table wildcard), to its tables with a
 * Lake Formation tag (e.g. one domain's), or to named tables, by
 * database name, so any stack can grant its own job roles without importing the catalog stack. The
 * stack that uses it must deploy after the catalog stack (whose settings make CloudFormation's role a
 * Lake Formation administrator).
 */
export class LakeFormationDatabaseAccess extends Construct {
  readonly databaseGrant: CfnPrincipalPermissions;
  /** One grant on the table wildcard, or one per table of `tableNames`. */
  readonly tablesGrants: readonly CfnPrincipalPermissions[];
  readonly locationGrant?: CfnPrincipalPermissions;

  constructor(scope: Construct, id: string, props: LakeFormationDatabaseAccessProps) {
    super(scope, id);
    const access = props.access ?? 'read';
    if (access !== 'read' && access !== 'readWrite') throw new Error(`access ("${String(access)}") must be "read" or "readWrite"`);
    const catalogId = Stack.of(this).account;
    const principal = { dataLakePrincipalIdentifier: props.role.roleArn };
    this.databaseGrant = new CfnPrincipalPermissions(this, 'Database', {
      catalog: catalogId,
      principal,
      resource: { database: { catalogId, name: props.databaseName } },
      permissions: access === 'readWrite' ? ['DESCRIBE', 'CREATE_TABLE'] : ['DESCRIBE'],
      permissionsWithGrantOption: [],
    });
    const tablePermissions = access === 'readWrite' ? ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'] : ['SELECT', 'DESCRIBE'];
    if (props.tableTag !== undefined) {
      if (props.tableNames !== undefined) throw new Error('tableTag and tableNames are exclusive: give the tables by tag or by name');
      // The tag policy covers the tagged tables of every database; the role's IAM policy says which databases it reaches.
      this.tablesGrants = [
        new CfnPrincipalPermissions(this, 'TaggedTables', {
          catalog: catalogId,
          principal,
          resource: {
            lfTagPolicy: { catalogId, resourceType: 'TABLE', expression: [{ tagKey: props.tableTag.key, tagValues: [props.tableTag.value] }] },
          },
          permissions: tablePermissions,
          permissionsWithGrantOption: [],
        }),
      ];
    } else if (props.tableNames === undefined) {
      this.tablesGrants = [
        new CfnPrincipalPermissions(this, 'Resource', {
          catalog: catalogId,
          principal,
          resource: { table: { catalogId, databaseName: props.databaseName, tableWildcard: {} } },
          permissions: tablePermissions,
          permissionsWithGrantOption: [],
        }),
      ];
    } else {
      if (access !== 'read') throw new Error('tableNames is only for access "read"; writers get the whole database or the tables of a tag (tableTag)');
      if (props.tableNames.length === 0) throw new Error('tableNames ([]) must name at least one table; leave it out for every table');
      this.tablesGrants = props.tableNames.map(
        (name) =>
          new CfnPrincipalPermissions(this, `Table-${name}`, {
            catalog: catalogId,
            principal,
            resource: { table: { catalogId, databaseName: props.databaseName, name } },
            permissions: tablePermissions,
            permissionsWithGrantOption: [],
          }),
      );
    }
    if (props.dataLocationArn !== undefined) {
      if (access !== 'readWrite') throw new Error('dataLocationArn is only for access "readWrite": reading needs no data location permission');
      this.locationGrant = new CfnPrincipalPermissions(this, 'DataLocation', {
        catalog: catalogId,
        principal,
        resource: { dataLocation: { catalogId, resourceArn: props.dataLocationArn } },
        permissions: ['DATA_LOCATION_ACCESS'],
        permissionsWithGrantOption: [],
      });
    }
  }
}
