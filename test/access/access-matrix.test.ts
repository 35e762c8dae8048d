import {
  accessMatrixDifferences,
  definitionAccessMatrix,
  emptyAccessMatrix,
  formatAccessMatrices,
  grantInMatrix,
  recipientColumn,
  withRecipientReads,
} from '../../lib/access/access-matrix';
import { combinedAccess } from '../../lib/access/access-plan';
import { exampleConfig } from '../fixtures/platform';

describe('definitionAccessMatrix', () => {
  test('owners own every layer, readers read the layers they are listed for', () => {
    const matrix = definitionAccessMatrix(exampleConfig());
    expect(matrix.customers).toEqual({
      bronze: { 'data-engineering': 'own' },
      silver: { analysts: 'read', 'data-engineering': 'own' },
      gold: { analysts: 'read', 'data-science': 'read', 'data-engineering': 'own' },
    });
    expect(matrix.campaigns.bronze).toEqual({ 'data-engineering': 'own', 'marketing-analysts': 'own' });
  });
});

describe('grantInMatrix', () => {
  test('keeps the strongest access found for a cell, and fails on a dataset the matrix does not have', () => {
    const matrix = emptyAccessMatrix(['customers']);
    grantInMatrix(matrix, 'customers', 'gold', 'analysts', 'own');
    grantInMatrix(matrix, 'customers', 'gold', 'analysts', 'read');
    grantInMatrix(matrix, 'customers', 'silver', 'analysts', 'read');
    expect(matrix.customers).toEqual({ bronze: {}, silver: { analysts: 'read' }, gold: { analysts: 'own' } });
    expect(() => grantInMatrix(matrix, 'orders', 'gold', 'analysts', 'read')).toThrow(
      'access matrix: "orders" is not a dataset of the matrix; datasets: customers',
    );
  });
});

describe('withRecipientReads', () => {
  test('adds a read in gold for each dataset of each recipient, leaving the matrix given unchanged', () => {
    const definition = definitionAccessMatrix({ datasets: exampleConfig().datasets.filter((d) => ['customers', 'products'].includes(d.name)) });
    const shared = withRecipientReads(definition, [
      { recipient: 'acme_prod_partner', datasets: ['products'] },
      { recipient: 'acme_prod_reseller', datasets: ['customers', 'products'] },
    ]);
    expect(recipientColumn('acme_prod_partner')).toBe('recipient:acme_prod_partner');
    expect(shared.products.gold).toEqual({ ...definition.products.gold, 'recipient:acme_prod_partner': 'read', 'recipient:acme_prod_reseller': 'read' });
    expect(shared.customers.gold).toEqual({ ...definition.customers.gold, 'recipient:acme_prod_reseller': 'read' });
    expect(shared.customers.silver).toEqual(definition.customers.silver);
    expect(definition.products.gold['recipient:acme_prod_partner']).toBeUndefined();
    expect(() => withRecipientReads(definition, [{ recipient: 'acme_prod_partner', datasets: ['orders'] }])).toThrow('"orders" is not a dataset of the matrix');
  });
});

describe('accessMatrixDifferences', () => {
  test('names the dataset, layer and group of each difference, and nothing when equal', () => {
    const expected = definitionAccessMatrix(exampleConfig());
    const actual = JSON.parse(JSON.stringify(expected));
    expect(accessMatrixDifferences(expected, actual, { expected: 'the definition', actual: 'AWS' })).toEqual([]);
    actual.customers.bronze['marketing-analysts'] = 'read';
    actual.customers.gold.analysts = 'own';
    delete actual.orders.silver.analysts;
    expect(accessMatrixDifferences(expected, actual, { expected: 'the definition', actual: 'AWS' })).toEqual([
      'customers/bronze marketing-analysts: read on AWS, nothing in the definition',
      'customers/gold analysts: own on AWS, read in the definition',
      'orders/silver analysts: nothing on AWS, read in the definition',
    ]);
  });
});

describe('formatAccessMatrices', () => {
  test('shows each cloud side by side per dataset, layer and group, and whether it equals the definition', () => {
    const definition = definitionAccessMatrix({ datasets: exampleConfig().datasets.filter((d) => d.name === 'customers') });
    const leaky = JSON.parse(JSON.stringify(definition));
    leaky.customers.bronze.analysts = 'read';
    const text = formatAccessMatrices(definition, ['data-engineering', 'analysts'], { AWS: definition, Databricks: leaky });
    expect(text.split('\n')).toEqual([
      'cells: AWS | Databricks',
      'dataset    layer   data-engineering  analysts     definition',
      '---------  ------  ----------------  -----------  ----------',
      'customers  bronze  own | own         - | read     DIFFERS',
      'customers  silver  own | own         read | read  equal',
      'customers  gold    own | own         read | read  equal',
    ]);
  });
});

describe('formatAccessMatrices with columns of one cloud', () => {
  test('shows n/a on the other clouds and compares the column only where it exists', () => {
    const groups = definitionAccessMatrix({ datasets: exampleConfig().datasets.filter((d) => d.name === 'products') });
    const definition = withRecipientReads(groups, [{ recipient: 'partner', datasets: ['products'] }]);
    const extra = withRecipientReads(definition, [{ recipient: 'other', datasets: ['products'] }]);
    const columnClouds = { 'recipient:partner': ['Databricks'], 'recipient:other': ['Databricks'] };
    const lines = formatAccessMatrices(definition, ['recipient:partner', 'recipient:other'], { AWS: groups, Databricks: extra }, { columnClouds }).split('\n');
    expect(lines).toEqual([
      'cells: AWS | Databricks',
      'dataset   layer   recipient:partner  recipient:other  definition',
      '--------  ------  -----------------  ---------------  ----------',
      'products  bronze  n/a | -            n/a | -          equal',
      'products  silver  n/a | -            n/a | -          equal',
      'products  gold    n/a | read         n/a | read       DIFFERS',
    ]);
  });
});

describe('combinedAccess', () => {
  test('is the weakest access of the groups that may use every dataset', () => {
    const config = exampleConfig();
    expect(Object.fromEntries(combinedAccess(config, 'gold', ['campaigns', 'newsletter_signups']))).toEqual({
      'data-engineering': 'own',
      'marketing-analysts': 'read',
    });
    expect(Object.fromEntries(combinedAccess(config, 'bronze', ['campaigns', 'campaigns']))).toEqual({
      'data-engineering': 'own',
      'marketing-analysts': 'own',
    });
  });
});
