import { Match, Template } from 'aws-cdk-lib/assertions';
import { addAwsEnvironment } from '../../../bin/aws-app';
import type { PlatformConfig } from '../../../lib/definition';
import { ReplicationStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { allPolicyStatements } from '../../fixtures/lake-stacks';
import { configWith, environmentOf, exampleConfig, problemsAfter } from '../../fixtures/platform';

function replicationStack(environment: string, config: PlatformConfig = exampleConfig()): ReplicationStack | undefined {
  const built = addAwsEnvironment(testApp(), config, environmentOf(config, environment), { only: (stack) => stack.concern === 'replication' }).all();
  return built.find((stack): stack is ReplicationStack => stack instanceof ReplicationStack);
}

function templateOf(environment: string, config?: PlatformConfig): Template {
  const stack = replicationStack(environment, config);
  if (!stack) throw new Error('expected a replication stack');
  return Template.fromStack(stack);
}

const withAccountRoles = configWith((d) => (d.environments.dev.aws.changeCapture = { createAccountRoles: true, maxCapacityUnits: 8 }));

describe('ReplicationStack', () => {
  test.each(['dev', 'prod'])('matches the snapshot for %s', (environment) => {
    const stack = replicationStack(environment);
    if (!stack) throw new Error('expected a replication stack');
    expect(normalizedTemplate(stack)).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-replication and exists only with cdc: true database datasets', () => {
    expect(replicationStack('prod')?.stackName).toBe('acme-prod-replication');
    const noCapture = configWith((d) => {
      for (const dataset of d.datasets.filter((candidate: { cdc?: boolean }) => candidate.cdc)) {
        delete dataset.cdc;
        dataset.source.load = 'snapshot';
      }
    });
    expect(replicationStack('dev', noCapture)).toBeUndefined();
  });

  test('runs one serverless replication per source database, full load then changes, in the isolated subnets, encrypted with the data key', () => {
    const template = templateOf('prod');
    template.resourceCountIs('AWS::DMS::ReplicationConfig', 2);
    template.hasResourceProperties('AWS::DMS::ReplicationConfig', {
      ReplicationConfigIdentifier: 'acme-prod-cdc-sales-crm-replica',
      ReplicationType: 'full-load-and-cdc',
      ComputeConfig: {
        MaxCapacityUnits: 4,
        MultiAZ: true,
        ReplicationSubnetGroupId: { Ref: Match.stringLikeRegexp('^SubnetGroup') },
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^SecurityGroup'), 'GroupId'] }],
        KmsKeyId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-storage' }) },
      },
      ReplicationSettings: { Logging: { EnableLogging: true }, FullLoadSettings: { TargetTablePrepMode: 'DO_NOTHING' } },
      TableMappings: {
        rules: [
          Match.objectLike({ 'rule-type': 'selection', 'object-locator': { 'schema-name': 'dbo', 'table-name': 'customers' }, 'rule-action': 'include' }),
          Match.objectLike({
            'rule-type': 'transformation',
            'rule-action': 'add-column',
            'rule-target': 'column',
            'object-locator': { 'schema-name': 'dbo', 'table-name': 'customers' },
            value: '_dms_change_seq',
            expression: '$AR_H_CHANGE_SEQ',
            'data-type': { type: 'string', length: 35 },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::DMS::ReplicationSubnetGroup', {
      SubnetIds: Match.arrayWith([{ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-prod-network' }) }]),
    });
  });

  test('reads the source credentials from Secrets Manager through a role DMS assumes, over TLS', () => {
    const template = templateOf('dev');
    template.hasResourceProperties('AWS::DMS::Endpoint', {
      EndpointType: 'source',
      EngineName: 'sqlserver',
      SslMode: 'require',
      DatabaseName: '{{resolve:secretsmanager:sales/crm-replica:SecretString:dbname}}',
      KmsKeyId: Match.anyValue(),
      MicrosoftSqlServerSettings: { SecretsManagerSecretId: 'sales/crm-replica', SecretsManagerAccessRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::DMS::Endpoint', {
      EndpointType: 'source',
      EngineName: 'postgres',
      PostgreSqlSettings: Match.objectLike({ SecretsManagerSecretId: 'sales/erp-replica' }),
    });
    const secretReads = allPolicyStatements(template).filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads).toHaveLength(2);
    for (const statement of secretReads) expect(JSON.stringify(statement.Resource)).toMatch(/secret:sales\/(crm|erp)-replica-\?\?\?\?\?\?/);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'dms.eu-west-1.amazonaws.com' } })] },
    });
  });

  test('lands Parquet change files with the operation column under _landing/cdc/<source>/ of the bronze bucket, SSE-KMS', () => {
    const template = templateOf('dev');
    template.hasResourceProperties('AWS::DMS::Endpoint', {
      EndpointType: 'target',
      EngineName: 's3',
      S3Settings: Match.objectLike({
        BucketFolder: '_landing/cdc/sales-erp-replica',
        DataFormat: 'parquet',
        IncludeOpForFullLoad: true,
        DatePartitionEnabled: false,
        CdcInsertsOnly: false,
        CdcInsertsAndUpdates: false,
        EncryptionMode: 'SSE_KMS',
        ServerSideEncryptionKmsKeyId: Match.anyValue(),
        ExpectedBucketOwner: '111111111111',
      }),
    });
    const writes = allPolicyStatements(template).filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(writes.map((s) => JSON.stringify(s.Resource)).sort()).toEqual([
      expect.stringContaining('/_landing/cdc/sales-crm-replica/*'),
      expect.stringContaining('/_landing/cdc/sales-erp-replica/*'),
    ]);
  });

  test('starts each replication with the stack and stops it before deletion, allowed on that replication only', () => {
    const template = templateOf('dev');
    template.resourceCountIs('Custom::DmsReplicationRun', 2);
    template.hasResourceProperties('Custom::DmsReplicationRun', { ReplicationConfigArn: { 'Fn::GetAtt': [Match.anyValue(), 'ReplicationConfigArn'] } });
    const runs = allPolicyStatements(template).filter((s) => [s.Action].flat().includes('dms:StartReplication'));
    expect(runs).toHaveLength(2);
    for (const statement of runs) {
      expect(statement.Action).toEqual(['dms:StartReplication', 'dms:StopReplication']);
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^salescrmreplica|^saleserpreplica/), 'ReplicationConfigArn'] });
    }
  });

  test('creates the account-wide DMS roles only when the environment opts in, before the subnet group', () => {
    templateOf('dev').resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'dms-vpc-role' }, 0);
    const template = templateOf('dev', withAccountRoles);
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'dms-vpc-role', AssumeRolePolicyDocument: Match.objectLike({}) });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'dms-cloudwatch-logs-role' });
    template.hasResourceProperties('AWS::DMS::ReplicationConfig', { ComputeConfig: Match.objectLike({ MaxCapacityUnits: 8, MultiAZ: false }) });
    const subnetGroup = Object.values<any>(template.findResources('AWS::DMS::ReplicationSubnetGroup'))[0];
    expect(subnetGroup.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DmsAccountRolesVpcRole/)]));
  });
});

describe('change capture in the definition', () => {
  test('fails when two environments of one account create the DMS account roles', () => {
    const problems = problemsAfter((d) => {
      d.environments.dev.aws.changeCapture = { createAccountRoles: true };
      d.environments.staging.aws.account = d.environments.dev.aws.account;
      d.environments.staging.aws.changeCapture = { createAccountRoles: true };
    });
    expect(problems).toContainEqual(
      expect.stringMatching(/environments\.staging\.aws\.changeCapture\.createAccountRoles: is true in environments dev and staging, which share AWS account/),
    );
  });

  test('fails when maxCapacityUnits is not a DMS capacity', () => {
    const problems = problemsAfter((d) => (d.environments.dev.aws.changeCapture = { maxCapacityUnits: 3 }));
    expect(problems).toContainEqual(expect.stringMatching(/changeCapture\.maxCapacityUnits: 3 is not a DMS capacity; must be one of: 1, 2, 4, 8, 16/));
  });

  test('fails when a captured dataset is not parquet, has no schema or is oracle', () => {
    const problems = problemsAfter((d) => {
      const customers = d.datasets.find((dataset: { name: string }) => dataset.name === 'customers');
      customers.format = 'json';
      const orders = d.datasets.find((dataset: { name: string }) => dataset.name === 'orders');
      orders.source.table = 'orders';
      d.datasets.push({ ...customers, name: 'ledger', format: 'parquet', source: { ...customers.source, engine: 'oracle', table: 'fin.ledger' } });
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^datasets\[0\]\.format: is "json"; a cdc: true database dataset must be parquet .*\(dataset "customers"\)$/),
        expect.stringMatching(/^datasets\[1\]\.source\.table: "orders" has no schema; .*schema\.table \(e\.g\. dbo\.orders\).*\(dataset "orders"\)$/),
        expect.stringMatching(/source\.engine: is "oracle"; cdc: true on AWS captures postgres, mysql, sqlserver .*\(dataset "ledger"\)$/),
      ]),
    );
  });
});
