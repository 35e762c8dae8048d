import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DatasetTables, type DatasetTablesProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

const props: DatasetTablesProps = {
  name: 'products',
  domain: 'sales',
  classification: 'internal',
  columns: [{ name: 'sku', type: 'string', comment: 'Stock keeping unit' }],
  metadataColumns: { bronze: [{ name: '_ingested_at', type: 'timestamp' }], silver: [{ name: '_loaded_at', type: 'timestamp' }] },
  bronzeFormat: 'csv',
  csvDelimiter: ';',
  access: {
    bronze: new Map([['engineers', 'own']]),
    silver: new Map([['engineers', 'own']]),
    gold: new Map([
      ['engineers', 'own'],
      ['analysts', 'read'],
    ]),
  },
  databaseNames: { bronze: 'db_bronze', silver: 'db_silver', gold: 'db_gold' },
  bucketNames: { bronze: 'b-bronze', silver: 'b-silver', gold: 'b-gold' },
  domainTagKey: 'domain',
  accessTagKeyOf: (group) => `access_${group}`,
};

describe('DatasetTables', () => {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const tables = new DatasetTables(stack, 'products', props);
  const template = Template.fromStack(stack);

  test("bronze keeps the landed format and delimiter, with the layer's bookkeeping columns after the dataset's own", () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'db_bronze',
      TableInput: {
        Name: 'products',
        Parameters: { classification: 'csv', delimiter: ';', data_classification: 'internal', domain: 'sales' },
        PartitionKeys: [{ Name: 'ingestion_date', Type: 'string' }],
        StorageDescriptor: {
          Location: 's3://b-bronze/sales/products/',
          Columns: [
            { Name: 'sku', Type: 'string', Comment: 'Stock keeping unit' },
            { Name: '_ingested_at', Type: 'timestamp' },
          ],
        },
      },
    });
    expect(stack.resolve(tables.tableFor('gold').databaseName)).toBe('db_gold');
  });

  test("gold is Parquet with only the dataset's columns when no bookkeeping columns are given", () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'db_gold',
      TableInput: {
        Parameters: { classification: 'parquet' },
        StorageDescriptor: { Columns: [{ Name: 'sku', Type: 'string', Comment: 'Stock keeping unit' }] },
      },
    });
  });

  test('declares only the layers it is given; tableFor names the layers it declares', () => {
    const only = new Stack(testApp(), 'B', { env: { account: '111111111111', region: 'eu-west-1' } });
    const bronze = new DatasetTables(only, 'products', { ...props, layers: ['bronze'] });
    const declared = Template.fromStack(only);
    declared.resourceCountIs('AWS::Glue::Table', 1);
    declared.resourceCountIs('AWS::LakeFormation::TagAssociation', 1);
    expect(() => bronze.tableFor('gold')).toThrow('B/products declares no gold table; it declares: bronze');
    expect(() => new DatasetTables(only, 'bad', { ...props, layers: ['platinum' as never] })).toThrow(
      'layers contains "platinum"; layers are: bronze, silver, gold',
    );
  });

  test("tags each layer's table with the domain and the access of each group", () => {
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: { DatabaseName: 'db_gold', Name: 'products' } },
      LFTags: [
        { TagKey: 'domain', TagValues: ['sales'] },
        { TagKey: 'access_engineers', TagValues: ['own'] },
        { TagKey: 'access_analysts', TagValues: ['read'] },
      ],
    });
  });
});
