import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { SPARK_APPLICATION_DIR } from '../../../constructs/aws';
import { addAwsPolicyGates } from '../../../lib/policy';
import { sparkManifest } from '../../../lib/pipelines/spark-manifest';
import { SPARK_CATALOG, sparkStepFor } from '../../../lib/pipelines/spark-step';
import { CatalogStack, NetworkStack, ProcessingStack, StorageStack } from '../../../stacks/aws';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function processingStack(environment: string, app = new App({ context: cdkJson.context })): ProcessingStack {
  const env = environmentOf(config, environment);
  const storage = new StorageStack(app, { config, environment: env });
  const network = new NetworkStack(app, { config, environment: env, encryptionKey: storage.dataLake.key });
  return new ProcessingStack(app, {
    config,
    environment: env,
    encryptionKey: storage.dataLake.key,
    accessLogsBucket: storage.dataLake.accessLogs,
    vpc: network.network.vpc,
  });
}

const templates = Object.fromEntries(['dev', 'staging', 'prod'].map((env) => [env, Template.fromStack(processingStack(env))]));

function policyStatements(template: Template, roleLogicalIdPrefix: string): Array<Record<string, unknown>> {
  const roles = template.findResources('AWS::IAM::Role');
  const id = Object.keys(roles).find((logicalId) => logicalId.startsWith(roleLogicalIdPrefix));
  if (!id) throw new Error(`no role ${roleLogicalIdPrefix}`);
  return (roles[id].Properties.Policies ?? []).flatMap(
    (policy: { PolicyDocument: { Statement: Array<Record<string, unknown>> } }) => policy.PolicyDocument.Statement,
  );
}

describe('ProcessingStack', () => {
  test.each(['dev', 'staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(processingStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-processing', () => {
    expect(processingStack('prod').stackName).toBe('acme-prod-processing');
  });

  test('keeps the logical id of the artifacts bucket (renaming it would replace the bucket)', () => {
    expect(Object.keys(templates.prod.findResources('AWS::S3::Bucket'))).toEqual(['Artifacts80C0BB10']);
    expect(templates.prod.findResources('AWS::S3::Bucket').Artifacts80C0BB10.DeletionPolicy).toBe('Retain');
    expect(templates.dev.findResources('AWS::S3::Bucket').Artifacts80C0BB10.DeletionPolicy).toBe('Delete');
  });

  test('the artifacts bucket is encrypted with the environment key, TLS-only, versioned, private, logged and expiring', () => {
    templates.prod.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-prod-artifacts-333333333333-eu-west-1',
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'artifacts/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
          Match.objectLike({ Prefix: 'logs/', ExpirationInDays: 90 }),
        ]),
      },
    });
    templates.prod.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('deploys the Spark application and the manifest under spark/ with SSE-KMS', () => {
    templates.dev.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'spark/',
      Prune: true,
      SystemMetadata: Match.objectLike({ sse: 'aws:kms' }),
    });
  });

  test('the security configuration encrypts S3 data, local disks and traffic with the environment key, IMDSv2 only', () => {
    templates.prod.hasResourceProperties('AWS::EMR::SecurityConfiguration', {
      Name: 'acme-prod-spark',
      SecurityConfiguration: {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          EnableInTransitEncryption: true,
          AtRestEncryptionConfiguration: {
            S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: Match.anyValue() },
            LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', EnableEbsEncryption: true, AwsKmsKey: Match.anyValue() },
          },
          InTransitEncryptionConfiguration: {
            TLSCertificateConfiguration: {
              CertificateProviderType: 'PEM',
              S3Object: 's3://acme-prod-artifacts-333333333333-eu-west-1/tls/emr-in-transit-certificates.zip',
            },
          },
        },
        InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2 },
      },
    });
  });

  test('makes the in-transit certificates at deploy time, before the cluster starts', () => {
    templates.prod.hasResourceProperties('Custom::EmrTlsCertificates', {
      Key: 'tls/emr-in-transit-certificates.zip',
      DnsNames: ['*.eu-west-1.compute.internal'],
    });
    const [certificatesId] = Object.keys(templates.prod.findResources('Custom::EmrTlsCertificates'));
    const [cluster] = Object.values(templates.prod.findResources('AWS::EMR::Cluster'));
    expect(cluster.DependsOn).toContain(certificatesId);
  });

  test.each([
    ['dev', 1, 2, 20],
    ['staging', 1, 4, 30],
    ['prod', 2, 16, 60],
  ])('the %s cluster scales from %i to %i workers and terminates after %i idle minutes, as the definition sizes it', (environment, min, max, idle) => {
    templates[environment].hasResourceProperties('AWS::EMR::Cluster', {
      Name: `acme-${environment}-spark`,
      ReleaseLabel: Match.stringLikeRegexp('^emr-7\\.'),
      SecurityConfiguration: `acme-${environment}-spark`,
      ManagedScalingPolicy: { ComputeLimits: { UnitType: 'Instances', MinimumCapacityUnits: min, MaximumCapacityUnits: max } },
      AutoTerminationPolicy: { IdleTimeout: idle * 60 },
      Instances: Match.objectLike({ CoreInstanceGroup: Match.objectLike({ InstanceCount: min }), Ec2SubnetId: Match.anyValue() }),
    });
  });

  test('the cluster uses the Glue Data Catalog as metastore, logs to the artifacts bucket encrypted, and finds its manifest', () => {
    templates.dev.hasResourceProperties('AWS::EMR::Cluster', {
      LogUri: { 'Fn::Join': ['', ['s3://', { Ref: 'Artifacts80C0BB10' }, '/logs/emr/']] },
      LogEncryptionKmsKeyId: Match.anyValue(),
      Configurations: Match.arrayWith([
        Match.objectLike({
          Classification: 'spark-hive-site',
          ConfigurationProperties: { 'hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory' },
        }),
        Match.objectLike({
          Classification: 'spark-defaults',
          ConfigurationProperties: Match.objectLike({ 'spark.platform.manifest': 's3://acme-dev-artifacts-111111111111-eu-west-1/spark/manifest.json' }),
        }),
      ]),
    });
  });

  test('silver and gold are Iceberg tables in the Glue Data Catalog: EMR ships Iceberg and the catalog the Spark step names is GlueCatalog', () => {
    templates.dev.hasResourceProperties('AWS::EMR::Cluster', {
      Configurations: Match.arrayWith([
        Match.objectLike({
          Classification: 'spark-defaults',
          ConfigurationProperties: Match.objectLike({
            'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
            [`spark.sql.catalog.${SPARK_CATALOG}`]: 'org.apache.iceberg.spark.SparkCatalog',
            [`spark.sql.catalog.${SPARK_CATALOG}.catalog-impl`]: 'org.apache.iceberg.aws.glue.GlueCatalog',
            [`spark.sql.catalog.${SPARK_CATALOG}.warehouse`]: 's3://acme-dev-silver-111111111111-eu-west-1/',
          }),
        }),
        Match.objectLike({ Classification: 'iceberg-defaults', ConfigurationProperties: { 'iceberg.enabled': 'true' } }),
      ]),
    });
    const step = sparkStepFor({ scope: { prefix: 'acme', environment: 'dev' }, account: '111111111111', region: 'eu-west-1' }, { name: 'sales' } as never);
    expect(step.sparkSubmitArgs.slice(step.sparkSubmitArgs.indexOf('--catalog'), step.sparkSubmitArgs.indexOf('--catalog') + 2)).toEqual([
      '--catalog',
      SPARK_CATALOG,
    ]);
  });

  test("publishes the cluster's RunJobFlow request for bringing it back after it terminated itself", () => {
    templates.prod.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/acme/prod/spark/run-job-flow',
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"Name":"acme-prod-spark"')])] },
    });
  });

  test('no security group admits traffic from outside the VPC', () => {
    for (const group of Object.values(templates.prod.findResources('AWS::EC2::SecurityGroup'))) {
      for (const rule of group.Properties.SecurityGroupIngress ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
    for (const rule of Object.values(templates.prod.findResources('AWS::EC2::SecurityGroupIngress'))) {
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(rule.Properties.SourceSecurityGroupId).toBeDefined();
    }
  });

  test('no role allows a wildcard action', () => {
    for (const role of Object.values(templates.prod.findResources('AWS::IAM::Role'))) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) {
          for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
        }
      }
    }
  });

  test('the instance role reads bronze, writes silver and gold, and manages tables of the lake databases only', () => {
    const statements = policyStatements(templates.prod, 'SparkInstanceRole');
    const find = (sid: string) => statements.find((statement) => statement.Sid === sid);
    expect(JSON.stringify(find('ReadLakeObjects')?.Resource)).toMatch(/acme-prod-bronze-333333333333-eu-west-1\/\*/);
    expect(JSON.stringify(find('WriteCuratedObjects')?.Resource)).not.toMatch(/bronze/);
    expect(JSON.stringify(find('WriteCuratedObjects')?.Resource)).toMatch(/acme-prod-gold-.*acme-prod-silver-/);
    expect(JSON.stringify(find('ManageTablesOfTheLakeDatabases')?.Resource)).toMatch(/table\/acme_prod_gold\/\*/);
    expect(find('AskLakeFormationForCredentials')).toMatchObject({ Action: 'lakeformation:GetDataAccess', Resource: '*' });
  });

  test('Lake Formation lets the cluster read bronze and rewrite silver and gold tables', () => {
    const grants = Object.values(templates.prod.findResources('AWS::LakeFormation::PrincipalPermissions')).map((grant) => grant.Properties);
    const tables = (database: string) => grants.find((grant) => grant.Resource.Table?.DatabaseName === database)?.Permissions;
    expect(tables('acme_prod_bronze')).toEqual(['SELECT', 'DESCRIBE']);
    expect(tables('acme_prod_silver')).toEqual(['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER']);
    expect(tables('acme_prod_gold')).toEqual(['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER']);
    for (const grant of grants) expect(JSON.stringify(grant.Principal)).toMatch(/SparkInstanceRole/);
  });

  test('the instance role may assign exactly the LF-tags the catalog stack defines, to the gold tables it registers itself', () => {
    const app = new App({ context: cdkJson.context });
    const env = environmentOf(config, 'prod');
    const storage = new StorageStack(app, { config, environment: env });
    const network = new NetworkStack(app, { config, environment: env, encryptionKey: storage.dataLake.key });
    const catalog = Template.fromStack(new CatalogStack(app, { config, environment: env, encryptionKey: storage.dataLake.key, vpc: network.network.vpc }));
    const defined = Object.values(catalog.findResources('AWS::LakeFormation::Tag')).map((tag) => ({
      TagKey: tag.Properties.TagKey,
      TagValues: tag.Properties.TagValues,
    }));
    const grants = Object.values(templates.prod.findResources('AWS::LakeFormation::PrincipalPermissions'))
      .map((grant) => grant.Properties)
      .filter((grant) => grant.Resource.LFTag !== undefined);
    const byKey = (a: { TagKey: string }, b: { TagKey: string }) => a.TagKey.localeCompare(b.TagKey);
    expect(grants.map((grant) => ({ TagKey: grant.Resource.LFTag.TagKey, TagValues: grant.Resource.LFTag.TagValues })).sort(byKey)).toEqual(
      defined.sort(byKey),
    );
    expect(defined.map((tag) => tag.TagKey)).toContain('acme_prod_domain');
    for (const grant of grants) {
      expect(grant).toMatchObject({ Permissions: ['ASSOCIATE', 'DESCRIBE'], PermissionsWithGrantOption: [] });
      expect(JSON.stringify(grant.Principal)).toMatch(/SparkInstanceRole/);
    }
    templates.prod.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'TagTablesItRegisters',
            Effect: 'Allow',
            Action: ['lakeformation:AddLFTagsToResource', 'lakeformation:GetResourceLFTags', 'lakeformation:RemoveLFTagsFromResource'],
            Resource: '*',
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^SparkInstanceRole') }],
    });
  });

  test("the manifest names the catalog's LF-tags for the application", () => {
    const manifest = sparkManifest(config, environmentOf(config, 'prod'));
    expect(manifest.lakeFormation).toEqual({
      catalogId: '333333333333',
      region: 'eu-west-1',
      domainTagKey: 'acme_prod_domain',
      accessTagKeys: expect.arrayContaining([expect.stringMatching(/^acme_prod_access_/)]),
      apiTagKey: 'acme_prod_consumer_api',
    });
  });

  test('the service role may pass only the instance role, and only to EC2', () => {
    const statements = policyStatements(templates.prod, 'SparkServiceRole');
    expect(statements.find((statement) => statement.Sid === 'PassTheInstanceRoleToEc2')).toMatchObject({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
  });

  test('passes cdk-nag and the Control Tower rules in every environment', () => {
    const app = new App({ context: cdkJson.context, outdir: join(tmpdir(), `processing-gates-${process.pid}`) });
    addAwsPolicyGates(app);
    for (const environment of ['dev', 'prod']) processingStack(environment, app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the Spark application', () => {
  test('compiles and its pure helpers pass their unit tests', () => {
    execFileSync('python3', ['-m', 'py_compile', join(SPARK_APPLICATION_DIR, 'silver_gold.py')]);
    // Run as a script: `python3 -m unittest <path>` would resolve test/ to the standard library's package.
    const result = execFileSync('python3', [join(__dirname, '..', '..', 'constructs', 'aws', 'jobs', 'spark', 'test_silver_gold.py')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(result).toBe('');
  });
});
