import { Template } from 'aws-cdk-lib/assertions';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { lakeStacks } from '../../fixtures/lake-stacks';
import { sparkManifest } from '../../../lib/pipelines/spark-manifest';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();
const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((env) => [env, lakeStacks(config, env)]));

function table(template: Template, database: string, name: string): any {
  const found = Object.values(template.findResources('AWS::Glue::Table')).find(
    (t: any) => t.Properties.DatabaseName === database && t.Properties.TableInput.Name === name,
  );
  if (!found) throw new Error(`no table ${database}.${name}`);
  return found.Properties.TableInput;
}

describe('DomainCatalogStack', () => {
  test.each(['dev', 'staging', 'prod'].flatMap((env) => ['marketing', 'sales'].map((domain) => [env, domain])))(
    'matches the snapshot for %s %s',
    (environment, domain) => {
      expect(normalizedTemplate(stacks[environment].tables.get(domain)!)).toMatchSnapshot();
    },
  );

  test('is named <prefix>-<env>-catalog-<domain> and holds the bronze table of each dataset of its domain only', () => {
    const sales = stacks.prod.tables.get('sales')!;
    expect(sales.stackName).toBe('acme-prod-catalog-sales');
    const template = Template.fromStack(sales);
    template.resourceCountIs('AWS::Glue::Table', 5);
    template.resourceCountIs('AWS::LakeFormation::TagAssociation', 5);
    expect(JSON.stringify(template.toJSON())).not.toContain('web_events');
  });

  test('bronze keeps the source format at <bucket>/<domain>/<dataset>/, with the ingestion columns, partitioned by ingestion date', () => {
    const template = Template.fromStack(stacks.prod.tables.get('sales')!);
    const products = table(template, 'acme_prod_bronze', 'products');
    expect(products.StorageDescriptor.Location).toBe('s3://acme-prod-bronze-333333333333-eu-west-1/sales/products/');
    expect(products.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe');
    expect(products.PartitionKeys).toEqual([{ Name: 'ingestion_date', Type: 'string', Comment: 'UTC date of the ingestion run (YYYY-MM-DD)' }]);
    expect(products.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
      'product_id',
      'product_name',
      'category',
      'list_price',
      'is_active',
      '_source_file',
      '_source',
      '_batch_id',
      '_ingested_at',
    ]);
    expect(products.StorageDescriptor.Columns[3]).toEqual({ Name: 'list_price', Type: 'decimal(18,2)' });
  });

  test('declares no silver or gold tables: the Spark application creates, evolves and tags them as Iceberg tables', () => {
    const template = Template.fromStack(stacks.prod.tables.get('sales')!);
    const databases = Object.values(template.findResources('AWS::Glue::Table')).map((t: any) => t.Properties.DatabaseName);
    expect(new Set(databases)).toEqual(new Set(['acme_prod_bronze']));
    const tagged = Object.values(template.findResources('AWS::LakeFormation::TagAssociation')).map((a: any) => a.Properties.Resource.Table.DatabaseName);
    expect(new Set(tagged)).toEqual(new Set(['acme_prod_bronze']));
    expect(() => stacks.prod.tables.get('sales')!.tables.get('orders')!.tableFor('silver')).toThrow(/declares no silver table; it declares: bronze/);
  });

  test('tags each table with its domain and the access of each group: owners everywhere, readers on their layers, bronze owners only', () => {
    const template = Template.fromStack(stacks.prod.tables.get('sales')!);
    const tags = (database: string) =>
      (
        Object.values(template.findResources('AWS::LakeFormation::TagAssociation')).find(
          (a: any) => a.Properties.Resource.Table.DatabaseName === database && a.Properties.Resource.Table.Name === 'customers',
        ) as any
      ).Properties.LFTags.map((tag: { TagKey: string; TagValues: string[] }) => `${tag.TagKey}=${tag.TagValues.join('|')}`);
    expect(tags('acme_prod_bronze')).toEqual(['acme_prod_domain=sales', 'acme_prod_access_data-engineering=own']);
    // The silver and gold tags travel in the Spark manifest (test/pipelines/spark-manifest.test.ts).
    const customers = sparkManifest(config, environmentOf(config, 'prod')).domains.sales.find((d) => d.name === 'customers')!;
    expect(Object.entries(customers.tags.gold).map(([key, values]) => `${key}=${values.join('|')}`)).toEqual([
      'acme_prod_domain=sales',
      'acme_prod_access_analysts=read',
      'acme_prod_access_data-science=read',
      'acme_prod_access_data-engineering=own',
    ]);
  });

  test('keeps the logical ids of the tables (renaming one would replace it)', () => {
    const ids = Object.keys(Template.fromStack(stacks.prod.tables.get('marketing')!).findResources('AWS::Glue::Table')).sort();
    expect(ids).toEqual(['campaignsBronze769AC3C8', 'newslettersignupsBronzeB27D7BE3', 'webeventsBronze4B243D01']);
  });

  test("a domain's stack does not change when datasets are added to another domain", () => {
    const more = configWith((d) => d.datasets.push({ ...d.datasets[3], name: 'stock_levels', domain: 'supply_chain' }));
    const after = lakeStacks(more, 'prod');
    expect(Template.fromStack(after.tables.get('sales')!).toJSON()).toEqual(Template.fromStack(stacks.prod.tables.get('sales')!).toJSON());
    expect(after.tables.get('supply_chain')!.stackName).toBe('acme-prod-catalog-supply-chain');
  });

  test('retains table definitions in production', () => {
    for (const resource of Object.values(Template.fromStack(stacks.prod.tables.get('sales')!).findResources('AWS::Glue::Table')))
      expect(resource.DeletionPolicy).toBe('Retain');
  });
});
