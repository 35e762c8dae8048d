import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { addAwsPolicyGates } from '../../../lib/policy';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { allPolicyStatements, lakeStacks } from '../../fixtures/lake-stacks';
import { configWith, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();
const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((env) => [env, lakeStacks(config, env)]));
const templates = Object.fromEntries(Object.entries(stacks).map(([env, s]) => [env, Template.fromStack(s.catalog)]));

describe('CatalogStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(stacks[environment].catalog)).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-catalog', () => {
    expect(stacks.prod.catalog.stackName).toBe('acme-prod-catalog');
  });

  test('has a Glue database per layer whose new tables get no default permissions', () => {
    for (const layer of ['bronze', 'silver', 'gold']) {
      templates.prod.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: '333333333333',
        DatabaseInput: { Name: `acme_prod_${layer}`, LocationUri: `s3://acme-prod-${layer}-333333333333-eu-west-1/`, CreateTableDefaultPermissions: [] },
      });
    }
  });

  test(
    'makes Lake Formation the permission model: explicit admins (the CDK execution role and aws.lakeAdminGroup) ' + 'and no IAMAllowedPrincipals defaults',
    () => {
      templates.prod.resourceCountIs('AWS::LakeFormation::DataLakeSettings', 1);
      templates.prod.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
        Admins: [
          { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/cdk-hnb659fds-cfn-exec-role-333333333333-eu-west-1' },
          { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/acme-data-engineering' },
        ],
        CreateDatabaseDefaultPermissions: [],
        CreateTableDefaultPermissions: [],
      });
      expect(JSON.stringify(templates.prod.toJSON())).not.toContain('IAM_ALLOWED_PRINCIPALS');
    },
  );

  test('without aws.lakeAdminGroup only deployments administer Lake Formation', () => {
    const deploymentsOnly = configWith((d) => delete d.environments.prod.aws.lakeAdminGroup);
    Template.fromStack(lakeStacks(deploymentsOnly, 'prod').catalog).hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      Admins: [{ DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/cdk-hnb659fds-cfn-exec-role-333333333333-eu-west-1' }],
    });
  });

  test('every Lake Formation resource waits for the administrators', () => {
    const settingsId = Object.keys(templates.dev.findResources('AWS::LakeFormation::DataLakeSettings'))[0];
    for (const type of ['AWS::LakeFormation::PrincipalPermissions', 'AWS::LakeFormation::Tag', 'AWS::LakeFormation::Resource', 'AWS::Glue::Database']) {
      for (const resource of Object.values(templates.dev.findResources(type))) expect(resource.DependsOn).toEqual(expect.arrayContaining([settingsId]));
    }
  });

  test('registers the three layer buckets through a role scoped to them and the key', () => {
    templates.prod.resourceCountIs('AWS::LakeFormation::Resource', 3);
    templates.prod.hasResourceProperties('AWS::LakeFormation::Resource', {
      ResourceArn: 'arn:aws:s3:::acme-prod-silver-333333333333-eu-west-1',
      UseServiceLinkedRole: false,
      HybridAccessEnabled: false,
    });
    templates.prod.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-prod-lake-locations',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lakeformation.amazonaws.com' } }] },
    });
  });

  test('grants each group by tag: read -> SELECT, DESCRIBE; own -> without DROP; DESCRIBE on the databases it sees', () => {
    templates.prod.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/acme-analysts' },
      Resource: { LFTagPolicy: { ResourceType: 'TABLE', Expression: [{ TagKey: 'acme_prod_access_analysts', TagValues: ['read'] }] } },
      Permissions: ['SELECT', 'DESCRIBE'],
      PermissionsWithGrantOption: [],
    });
    templates.prod.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/acme-data-engineering' },
      Resource: { LFTagPolicy: { Expression: [{ TagKey: 'acme_prod_access_data-engineering', TagValues: ['own'] }] } },
      Permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
    });
    // Analysts read silver and gold only: no DESCRIBE on bronze.
    const analystDatabases = Object.values(templates.prod.findResources('AWS::LakeFormation::PrincipalPermissions'))
      .filter(
        (r: any) => r.Properties.Principal.DataLakePrincipalIdentifier === 'arn:aws:iam::333333333333:role/acme-analysts' && r.Properties.Resource.Database,
      )
      .map((r: any) => r.Properties.Resource.Database.Name);
    expect(analystDatabases).toEqual(['acme_prod_silver', 'acme_prod_gold']);
    templates.prod.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'acme_prod_domain', TagValues: ['marketing', 'sales'] });
  });

  test('grants follow the groups, not the datasets: a second dataset of the same groups adds no grant', () => {
    const more = configWith((d) => d.datasets.push({ ...d.datasets[0], name: 'customers_copy' }));
    const count = (template: Template) => Object.keys(template.findResources('AWS::LakeFormation::PrincipalPermissions')).length;
    expect(count(Template.fromStack(lakeStacks(more, 'prod').catalog))).toBe(count(templates.prod));
  });

  test('encrypts S3 data, CloudWatch logs and job bookmarks of Glue jobs with the environment key', () => {
    templates.prod.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      Name: 'acme-prod-glue',
      EncryptionConfiguration: {
        S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: Match.anyValue() }],
        CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: Match.anyValue() },
        JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: Match.anyValue() },
      },
    });
  });

  test('has one JDBC connection per distinct secret, in an isolated subnet, credentials by secret name only', () => {
    templates.prod.resourceCountIs('AWS::Glue::Connection', 2);
    templates.prod.hasResourceProperties('AWS::Glue::Connection', {
      ConnectionInput: {
        Name: 'acme-prod-jdbc-sales-erp-replica',
        ConnectionType: 'JDBC',
        ConnectionProperties: {
          SECRET_ID: 'sales/erp-replica',
          JDBC_ENFORCE_SSL: 'true',
          JDBC_CONNECTION_URL: '{{resolve:secretsmanager:sales/erp-replica:SecretString:jdbcUrl}}',
        },
        PhysicalConnectionRequirements: { SubnetId: Match.anyValue(), SecurityGroupIdList: Match.anyValue() },
      },
    });
    const text = JSON.stringify(templates.prod.toJSON());
    expect(text).not.toMatch(/PASSWORD|"USERNAME"/);
  });

  test('has no data-quality role: each domain has its own, in its ingestion stack', () => {
    expect(JSON.stringify(templates.prod.findResources('AWS::IAM::Role'))).not.toContain('quality');
  });

  test('no IAM statement has a wildcard action', () => {
    for (const env of ['dev', 'prod']) {
      for (const statement of allPolicyStatements(templates[env])) for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
    }
  });

  test('keeps the logical ids of the stateful databases (renaming one would drop its tables)', () => {
    expect(Object.keys(templates.prod.findResources('AWS::Glue::Database')).sort()).toEqual([
      'DatabasesBronze3343B7F0',
      'DatabasesGoldB27E7DC9',
      'DatabasesSilverD7AEEFDB',
    ]);
    for (const resource of Object.values(templates.prod.findResources('AWS::Glue::Database'))) expect(resource.DeletionPolicy).toBe('Retain');
    for (const resource of Object.values(templates.dev.findResources('AWS::Glue::Database'))) expect(resource.DeletionPolicy).toBe('Delete');
  });

  test('the catalog, per-domain catalog and ingestion stacks pass cdk-nag and the Control Tower rules', () => {
    const app = new App({ outdir: join(tmpdir(), `lake-gates-${process.pid}`), context: cdkJson.context });
    addAwsPolicyGates(app);
    lakeStacks(config, 'prod', app);
    const assembly = app.synth();
    expect(
      assembly.stacks
        .map((stack) => stack.stackName)
        .filter((name) => /catalog|ingestion/.test(name))
        .sort(),
    ).toEqual(['acme-prod-catalog', 'acme-prod-catalog-marketing', 'acme-prod-catalog-sales', 'acme-prod-ingestion-marketing', 'acme-prod-ingestion-sales']);
  });
});
