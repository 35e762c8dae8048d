import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LakeFormationDatabaseAccess } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function stackWithRole(): { stack: Stack; role: Role } {
  const stack = new Stack(testApp(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, role: new Role(stack, 'JobRole', { assumedBy: new ServicePrincipal('glue.amazonaws.com') }) };
}

describe('LakeFormationDatabaseAccess', () => {
  test('read: DESCRIBE on the database, SELECT and DESCRIBE on every table (wildcard)', () => {
    const { stack, role } = stackWithRole();
    new LakeFormationDatabaseAccess(stack, 'Access', { role, databaseName: 'acme_dev_gold' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { Database: { CatalogId: '111111111111', Name: 'acme_dev_gold' } },
      Permissions: ['DESCRIBE'],
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { Table: { DatabaseName: 'acme_dev_gold', TableWildcard: {} } },
      Permissions: ['SELECT', 'DESCRIBE'],
      PermissionsWithGrantOption: [],
    });
  });

  test('readWrite: also changes tables and, with a data location, may point catalog entries into it', () => {
    const { stack, role } = stackWithRole();
    new LakeFormationDatabaseAccess(stack, 'Access', {
      role,
      databaseName: 'acme_dev_silver',
      access: 'readWrite',
      dataLocationArn: 'arn:aws:s3:::acme-dev-silver-111111111111-eu-west-1',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { Database: { Name: 'acme_dev_silver' } },
      Permissions: ['DESCRIBE', 'CREATE_TABLE'],
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { Table: { TableWildcard: {} } },
      Permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { DataLocation: { ResourceArn: 'arn:aws:s3:::acme-dev-silver-111111111111-eu-west-1' } },
      Permissions: ['DATA_LOCATION_ACCESS'],
    });
  });

  test('fails when a read-only grant asks for a data location', () => {
    const { stack, role } = stackWithRole();
    expect(() => new LakeFormationDatabaseAccess(stack, 'Access', { role, databaseName: 'acme_dev_gold', dataLocationArn: 'arn:aws:s3:::b' })).toThrow(
      'dataLocationArn is only for access "readWrite"',
    );
  });

  test('fails when access is neither read nor readWrite', () => {
    const { stack, role } = stackWithRole();
    expect(() => new LakeFormationDatabaseAccess(stack, 'Access', { role, databaseName: 'acme_dev_gold', access: 'admin' as never })).toThrow(
      'access ("admin") must be "read" or "readWrite"',
    );
  });

  test("tableTag: one grant on the tables with the tag's value (a domain's), not a table wildcard", () => {
    const { stack, role } = stackWithRole();
    new LakeFormationDatabaseAccess(stack, 'Access', {
      role,
      databaseName: 'acme_dev_bronze',
      access: 'readWrite',
      tableTag: { key: 'acme_dev_domain', value: 'sales' },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { LFTagPolicy: { CatalogId: '111111111111', ResourceType: 'TABLE', Expression: [{ TagKey: 'acme_dev_domain', TagValues: ['sales'] }] } },
      Permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('TableWildcard');
  });

  test('fails when the tables are given both by tag and by name', () => {
    const { stack, role } = stackWithRole();
    expect(
      () =>
        new LakeFormationDatabaseAccess(stack, 'Access', {
          role,
          databaseName: 'acme_dev_bronze',
          tableNames: ['orders'],
          tableTag: { key: 'acme_dev_domain', value: 'sales' },
        }),
    ).toThrow('tableTag and tableNames are exclusive');
  });
});
