import { Match, Template } from 'aws-cdk-lib/assertions';
import { BINARY_MANIFEST_COLUMNS, dqdlFor } from '../../../lib/lake';
import { sparkManifest } from '../../../lib/pipelines/spark-manifest';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { allPolicyStatements, lakeStacks } from '../../fixtures/lake-stacks';
import { configWith, configWithBinaryDataset, environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();
const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((env) => [env, lakeStacks(config, env)]));
const sales = Template.fromStack(stacks.prod.ingestion.get('sales')!);
const marketing = Template.fromStack(stacks.prod.ingestion.get('marketing')!);

function job(template: Template, name: string): any {
  const found = Object.values(template.findResources('AWS::Glue::Job')).find((j: any) => j.Properties.Name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found.Properties;
}

describe('IngestionStack', () => {
  test.each(['dev', 'staging', 'prod'].flatMap((env) => ['marketing', 'sales'].map((domain) => [env, domain])))(
    'matches the snapshot for %s %s',
    (environment, domain) => {
      expect(normalizedTemplate(stacks[environment].ingestion.get(domain)!)).toMatchSnapshot();
    },
  );

  test('is named <prefix>-<env>-ingestion-<domain>, with a job per batch dataset and a ruleset per dataset', () => {
    expect(stacks.prod.ingestion.get('sales')!.stackName).toBe('acme-prod-ingestion-sales');
    sales.resourceCountIs('AWS::Glue::Job', 5);
    // web_events is a stream: no batch job, but its ruleset is here.
    marketing.resourceCountIs('AWS::Glue::Job', 2);
    marketing.resourceCountIs('AWS::Glue::DataQualityRuleset', 3);
  });

  test('pins Glue 5.0, enables job bookmarks, runs one at a time with the security configuration and encrypted continuous logs', () => {
    const orders = job(sales, 'acme-prod-ingest-orders');
    expect(orders.GlueVersion).toBe('5.0');
    expect(orders.Command).toMatchObject({ Name: 'glueetl', PythonVersion: '3' });
    expect(orders.ExecutionProperty).toEqual({ MaxConcurrentRuns: 1 });
    expect(orders.SecurityConfiguration).toBe('acme-prod-glue');
    expect(orders.DefaultArguments).toMatchObject({
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-continuous-cloudwatch-log': 'true',
      '--continuous-log-logGroup': expect.anything(),
      '--enable-auto-scaling': 'true',
    });
    sales.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws-glue/acme-prod/ingest-sales', KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('sizes workers from the environment (auto scaling up to sparkMaxWorkers, at least 2)', () => {
    expect(job(sales, 'acme-prod-ingest-orders')).toMatchObject({ WorkerType: 'G.1X', NumberOfWorkers: 16 });
    expect(job(Template.fromStack(stacks.dev.ingestion.get('sales')!), 'acme-dev-ingest-orders')).toMatchObject({ NumberOfWorkers: 2 });
  });

  test('database sources read through their JDBC connection; API sources run without one to reach the public endpoint', () => {
    expect(job(sales, 'acme-prod-ingest-orders').Connections).toEqual({ Connections: ['acme-prod-jdbc-sales-erp-replica'] });
    expect(job(sales, 'acme-prod-ingest-exchange_rates').Connections).toBeUndefined();
    expect(job(marketing, 'acme-prod-ingest-campaigns').DefaultArguments).toMatchObject({
      '--api_auth_name': 'marketing/automation-api',
      '--pagination': 'cursor',
    });
  });

  test('every job runs the one generic script, shipped as an asset', () => {
    const locations = new Set(Object.values(sales.findResources('AWS::Glue::Job')).map((j: any) => JSON.stringify(j.Properties.Command.ScriptLocation)));
    expect(locations.size).toBe(1);
    expect([...locations][0]).toMatch(/cdk-hnb659fds-assets-.*\.py/);
  });

  test("gives the domain one least-privilege role: its domain's prefixes, the key, its secrets, its tables by Lake Formation, no wildcard actions", () => {
    sales.hasResourceProperties('AWS::IAM::Role', { RoleName: 'acme-prod-ingest-sales' });
    const statements = allPolicyStatements(sales);
    for (const statement of statements) for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
    const bucket = 'arn:aws:s3:::acme-prod-bronze-333333333333-eu-west-1';
    const write = statements.find((s) => s.Sid === 'WriteOwnBronzePrefixes')!;
    // One grant per domain, not per dataset: the policy keeps its size however many datasets the domain has.
    expect([...write.Resource].sort()).toEqual([`${bucket}/sales/*`, `${bucket}/_quarantine/sales/*`].sort());
    expect(JSON.stringify(write.Resource)).not.toContain('marketing/');
    // Bronze is the locked record: the jobs append, and delete only what Spark's committers stage.
    expect(write.Action).not.toContain('s3:DeleteObject');
    const deletes = statements.filter((s) => [s.Action].flat().some((action: string) => action.startsWith('s3:Delete')));
    expect(deletes.map((s) => s.Sid)).toEqual(['CleanUpWriterScratch']);
    expect(deletes[0].Resource).toEqual(expect.arrayContaining([`${bucket}/sales/*/_temporary/*`, `${bucket}/sales/*_$folder$`]));
    for (const resource of deletes[0].Resource) expect(resource).toMatch(/(\/_temporary\/\*|\*_\$folder\$)$/);
    const landing = statements.find((s) => s.Sid === 'ReadLandingFiles')!;
    // products' landing files, and the change files of the captured sales sources (no other domain captures from them).
    expect([landing.Resource].flat().sort()).toEqual(
      [`${bucket}/_landing/cdc/sales-crm-replica/*`, `${bucket}/_landing/cdc/sales-erp-replica/*`, `${bucket}/_landing/incoming/products/*`].sort(),
    );
    const secrets = statements.find((s) => s.Sid === 'ReadSourceSecrets')!;
    expect(JSON.stringify(secrets.Resource)).toContain('secret:sales/erp-replica-??????');
    expect(JSON.stringify(secrets.Resource)).not.toContain('marketing/automation-api');
    // IAM reaches the bronze tables (Glue tables take no tags); Lake Formation keeps the role to the domain's, by its tag.
    const tables = statements.find((s) => s.Sid === 'AddPartitionsToBronzeTables')!;
    expect(JSON.stringify(tables.Resource)).toContain('table/acme_prod_bronze/*');
    expect(JSON.stringify(tables.Resource)).not.toMatch(/table\/acme_prod_(silver|gold)/);
    sales.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { LFTagPolicy: { ResourceType: 'TABLE', Expression: [{ TagKey: 'acme_prod_domain', TagValues: ['sales'] }] } },
      Permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
    });
    expect(JSON.stringify(sales.findResources('AWS::LakeFormation::PrincipalPermissions'))).not.toContain('TableWildcard');
    sales.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { DataLocation: { ResourceArn: bucket } },
      Permissions: ['DATA_LOCATION_ACCESS'],
    });
  });

  test('captured datasets of a source that also feeds another domain read their own change folders only', () => {
    const shared = configWith((d) => {
      d.datasets.find((dataset: { name: string }) => dataset.name === 'order_items').domain = 'fulfilment';
    });
    const statements = allPolicyStatements(Template.fromStack(lakeStacks(shared, 'prod').ingestion.get('sales')!));
    const landing = [statements.find((s) => s.Sid === 'ReadLandingFiles')!.Resource].flat();
    expect(landing).not.toContain('arn:aws:s3:::acme-prod-bronze-333333333333-eu-west-1/_landing/cdc/sales-erp-replica/*');
    expect(landing).toContain('arn:aws:s3:::acme-prod-bronze-333333333333-eu-west-1/_landing/cdc/sales-erp-replica/public/orders/*');
  });

  test('a domain of stream datasets only gets its rulesets, and no job, role or log group', () => {
    const streams = configWith((d) => {
      d.datasets.find((dataset: { name: string }) => dataset.name === 'web_events').domain = 'clickstream';
    });
    const template = Template.fromStack(lakeStacks(streams, 'dev').ingestion.get('clickstream')!);
    template.resourceCountIs('AWS::Glue::DataQualityRuleset', 1);
    for (const type of ['AWS::Glue::Job', 'AWS::IAM::Role', 'AWS::Logs::LogGroup']) template.resourceCountIs(type, 0);
  });

  test("gives the domain its own data-quality role, scoped to the domain's tables, rulesets and results", () => {
    sales.hasResourceProperties('AWS::IAM::Role', { RoleName: 'acme-prod-quality-sales' });
    const statements = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']
      .flatMap((type) => Object.values<any>(sales.findResources(type)))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('DataQuality'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    const salesBatch = config.datasets
      .filter((d) => d.domain === 'sales' && d.source.kind !== 'stream')
      .map((d) => d.name)
      .sort();
    expect([...bySid.PublishResults.Resource].sort()).toEqual(
      salesBatch.map((name) => `arn:aws:glue:eu-west-1:333333333333:dataQualityRuleset/acme-prod-dq-${name}`),
    );
    expect(bySid.ReadCheckedTables.Resource).toEqual('arn:aws:s3:::acme-prod-bronze-333333333333-eu-west-1/sales/*');
    expect(bySid.WriteResults.Resource).toEqual('arn:aws:s3:::acme-prod-bronze-333333333333-eu-west-1/_data_quality/results/sales/*');
    expect(JSON.stringify(statements)).not.toMatch(/marketing|dataQualityRuleset\/\*/);
    // Lake Formation keeps the role to the checked tables, which IAM cannot tell apart from other domains'.
    for (const name of salesBatch) {
      sales.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
        Resource: { Table: { DatabaseName: 'acme_prod_bronze', Name: name } },
        Permissions: ['SELECT', 'DESCRIBE'],
      });
    }
  });

  test('a domain without database sources gets no network permissions', () => {
    const statements = allPolicyStatements(marketing);
    expect(statements.find((s) => s.Sid === 'ManageJobNetworkInterfaces')).toBeUndefined();
  });

  test('has a Glue Data Quality ruleset per dataset, named by dataQualityRulesetName, with the DQDL of the definition, on the bronze table', () => {
    const customers = config.datasets.find((d) => d.name === 'customers')!;
    sales.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'acme-prod-dq-customers',
      Ruleset: dqdlFor(customers),
      TargetTable: { DatabaseName: 'acme_prod_bronze', TableName: 'customers' },
    });
  });

  test('adding a dataset to the definition adds its tables, tag grants, job and ruleset', () => {
    const more = configWith((d) => {
      d.groups.finance = { description: 'Finance controllers' };
      d.datasets.push({ ...d.datasets[1], name: 'invoices', readers: { gold: ['finance'] }, source: { ...d.datasets[1].source, table: 'public.invoices' } });
    });
    const after = lakeStacks(more, 'prod');
    const tables = Template.fromStack(after.tables.get('sales')!);
    // Bronze is declared by the catalog stack; silver and gold are created and tagged by the Spark application, from the manifest.
    tables.hasResourceProperties('AWS::Glue::Table', { DatabaseName: 'acme_prod_bronze', TableInput: { Name: 'invoices' } });
    const invoices = sparkManifest(more, environmentOf(more, 'prod')).domains.sales.find((dataset) => dataset.name === 'invoices');
    expect(invoices?.tags.gold).toMatchObject({ acme_prod_access_finance: ['read'] });
    Template.fromStack(after.catalog).hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/acme-finance' },
      Resource: { LFTagPolicy: { Expression: [{ TagKey: 'acme_prod_access_finance', TagValues: ['read'] }] } },
    });
    const ingestion = Template.fromStack(after.ingestion.get('sales')!);
    ingestion.hasResourceProperties('AWS::Glue::Job', {
      Name: 'acme-prod-ingest-invoices',
      DefaultArguments: Match.objectLike({ '--source_table': 'public.invoices' }),
    });
    ingestion.hasResourceProperties('AWS::Glue::DataQualityRuleset', { Name: 'acme-prod-dq-invoices' });
    // The datasets already there keep their logical ids.
    const before = Object.keys(sales.findResources('AWS::Glue::Job'));
    expect(Object.keys(ingestion.findResources('AWS::Glue::Job'))).toEqual(expect.arrayContaining(before));
  });

  test('a binary dataset gets a job that lists its files in a Parquet manifest, and a bronze table of the manifest columns', () => {
    const binary = configWithBinaryDataset();
    const after = lakeStacks(binary, 'prod');
    const assets = job(Template.fromStack(after.ingestion.get('marketing')!), 'acme-prod-ingest-campaign_assets');
    expect(assets.DefaultArguments).toMatchObject({
      '--format': 'binary',
      '--landing_pattern': '_landing/incoming/campaign-assets/*',
      '--max_content_bytes': '1024',
      '--metadata_columns': '_source,_batch_id,_ingested_at',
      '--keys': 'path',
    });
    expect(assets.DefaultArguments).not.toHaveProperty('--csv_delimiter');
    const table = Object.values(Template.fromStack(after.tables.get('marketing')!).findResources('AWS::Glue::Table')).find(
      (resource: any) => resource.Properties.TableInput.Name === 'campaign_assets' && resource.Properties.DatabaseName === 'acme_prod_bronze',
    ) as any;
    const descriptor = table.Properties.TableInput.StorageDescriptor;
    expect(descriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(descriptor.Columns.map((column: any) => [column.Name, column.Type])).toEqual([
      ...BINARY_MANIFEST_COLUMNS.map((column) => [column.name, column.type]),
      ['_source', 'string'],
      ['_batch_id', 'string'],
      ['_ingested_at', 'timestamp'],
    ]);
    // Binary datasets stay in bronze: the Spark step's manifest does not name them.
    expect(sparkManifest(binary, environmentOf(binary, 'prod')).domains.marketing.map((dataset) => dataset.name)).not.toContain('campaign_assets');
  });

  test('fails at synth when a dataset has a format the AWS side cannot ingest, naming dataset, field, value and what is supported', () => {
    const crafted = { ...config, datasets: config.datasets.map((d) => (d.name === 'products' ? { ...d, format: 'xml' } : d)) } as unknown as typeof config;
    expect(() => lakeStacks(crafted, 'dev')).toThrow('dataset "products": format "xml" cannot be ingested on AWS; supported: json, csv, avro, parquet, orc');
  });
});
