import { type Grant, unityCatalogGrants, workspaceAccess } from '../../lib/access/unity-catalog-grants';
import { configWith, exampleConfig } from '../fixtures/platform';

const READ = ['SELECT', 'USE_SCHEMA'];
const BUILD = ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_TABLE', 'MODIFY', 'SELECT', 'USE_SCHEMA'];
const asMap = (grants: readonly Grant[]) => Object.fromEntries(grants.map((grant) => [grant.principal, grant.privileges]));
type Matrix = ReturnType<typeof unityCatalogGrants>;

/** Every (securable, principal, privilege) triple of a matrix, for diffs between definitions. */
function triples(matrix: Matrix): string[] {
  const securables: Array<[string, readonly Grant[]]> = [
    ['catalog', matrix.catalog],
    ...Object.entries(matrix.schemas).map(([name, grants]): [string, readonly Grant[]] => [`schema ${name}`, grants]),
    ...Object.entries(matrix.externalLocations).map(([name, grants]): [string, readonly Grant[]] => [`location ${name}`, grants!]),
    ...Object.entries(matrix.registeredModels).map(([name, grants]): [string, readonly Grant[]] => [`model ${name}`, grants]),
  ];
  return securables
    .flatMap(([securable, grants]) => grants.flatMap((grant) => grant.privileges.map((privilege) => `${securable} ${grant.principal} ${privilege}`)))
    .sort();
}

function difference(before: Matrix, after: Matrix) {
  const a = new Set(triples(before));
  const b = new Set(triples(after));
  return { added: [...b].filter((t) => !a.has(t)), removed: [...a].filter((t) => !b.has(t)) };
}

describe('unityCatalogGrants', () => {
  const matrix = unityCatalogGrants(exampleConfig());

  test('is the grant matrix of the example definition', () => {
    expect(asMap(matrix.catalog)).toEqual({
      analysts: ['USE_CATALOG'],
      'data-engineering': ['USE_CATALOG'],
      'data-science': ['USE_CATALOG'],
      'marketing-analytics': ['USE_CATALOG'],
    });
    expect(asMap(matrix.schemas.bronze)).toEqual({ 'data-engineering': BUILD, 'marketing-analytics': READ });
    expect(asMap(matrix.schemas.silver)).toEqual({ analysts: READ, 'data-engineering': BUILD, 'marketing-analytics': READ });
    expect(asMap(matrix.schemas.gold)).toEqual({ analysts: READ, 'data-engineering': BUILD, 'data-science': READ, 'marketing-analytics': READ });
    expect(asMap(matrix.schemas.ml)).toEqual({ 'data-science': ['CREATE_MODEL', 'USE_SCHEMA'], 'marketing-analytics': ['USE_SCHEMA'] });
    expect(matrix.externalLocations).toEqual({
      bronze: [
        { principal: 'data-engineering', privileges: ['READ_FILES'] },
        { principal: 'marketing-analytics', privileges: ['READ_FILES'] },
      ],
    });
    expect(asMap(matrix.registeredModels.customer_churn)).toEqual({ 'data-science': ['ALL_PRIVILEGES'], 'marketing-analytics': ['EXECUTE'] });
  });

  test('gives readers read access only, and only on the layers they are listed for', () => {
    const granted = triples(matrix).filter((t) => / (analysts|data-science) /.test(t));
    expect(granted.filter((t) => t.startsWith('schema bronze'))).toEqual([]);
    expect(granted.filter((t) => /MODIFY|CREATE_TABLE|ALL_PRIVILEGES|READ_FILES/.test(t) && !t.startsWith('model'))).toEqual([]);
    expect(granted.filter((t) => t.startsWith('schema silver'))).toEqual(['schema silver analysts SELECT', 'schema silver analysts USE_SCHEMA']);
  });

  test("uses the Databricks group names of the definition's groups", () => {
    expect(triples(matrix).some((t) => t.includes('marketing-analysts'))).toBe(false);
    expect(triples(matrix).some((t) => t.includes('marketing-analytics'))).toBe(true);
  });

  test('moves exactly the grants a new reader implies: analysts reading bronze orders', () => {
    const after = unityCatalogGrants(configWith((d) => (d.datasets.find((x: any) => x.name === 'orders').readers.bronze = ['analysts'])));
    expect(difference(matrix, after)).toEqual({ added: ['schema bronze analysts SELECT', 'schema bronze analysts USE_SCHEMA'], removed: [] });
  });

  test('moves exactly the grants a removed reader implies: data-science no longer reads gold', () => {
    const after = unityCatalogGrants(
      configWith((d) => {
        for (const dataset of d.datasets) if (dataset.readers?.gold) dataset.readers.gold = dataset.readers.gold.filter((g: string) => g !== 'data-science');
        d.mlUseCases = [];
      }),
    );
    expect(difference(matrix, after)).toEqual({
      added: [],
      removed: [
        'catalog data-science USE_CATALOG',
        'model customer_churn data-science ALL_PRIVILEGES',
        'model customer_churn marketing-analytics EXECUTE',
        'schema gold data-science SELECT',
        'schema gold data-science USE_SCHEMA',
        'schema ml data-science CREATE_MODEL',
        'schema ml data-science USE_SCHEMA',
        'schema ml marketing-analytics USE_SCHEMA',
      ],
    });
  });

  test('lets only the stewards (owners of every dataset) build tables', () => {
    const after = unityCatalogGrants(configWith((d) => (d.datasets.find((x: any) => x.name === 'campaigns').owners = ['marketing-analysts'])));
    const changes = difference(matrix, after);
    expect(changes.added).toEqual([]);
    expect(changes.removed.every((t) => t.includes(' data-engineering ') && /CREATE_|MODIFY/.test(t))).toBe(true);
    expect(changes.removed).toHaveLength(3 * 4);
  });

  test('an ML use case reads gold and holds its model; its readers may only execute the model', () => {
    const after = unityCatalogGrants(
      configWith((d) =>
        d.mlUseCases.push({
          name: 'order_forecast',
          description: 'Orders per day',
          featureTables: ['agg_daily_revenue'],
          owners: ['analysts'],
          readers: ['data-science'],
        }),
      ),
    );
    expect(difference(matrix, after).added).toEqual([
      'model order_forecast analysts ALL_PRIVILEGES',
      'model order_forecast data-science EXECUTE',
      'schema ml analysts CREATE_MODEL',
      'schema ml analysts USE_SCHEMA',
    ]);
  });
});

describe('unityCatalogGrants on input that skipped validation', () => {
  test('fails when a reader is not a defined group, naming it and the groups', () => {
    const config = exampleConfig();
    const datasets = config.datasets.map((dataset) =>
      dataset.name === 'orders' ? { ...dataset, readers: { ...dataset.readers, gold: ['bi-team'] } } : dataset,
    );
    expect(() => unityCatalogGrants({ ...config, datasets })).toThrow(
      'grant matrix: "bi-team" is not a defined group; groups: data-engineering, analysts, data-science, marketing-analysts',
    );
  });
});

describe('workspaceAccess', () => {
  test('separates stewards, owners per domain and everyone with access', () => {
    expect(workspaceAccess(exampleConfig())).toEqual({
      dataOwners: ['data-engineering', 'marketing-analytics'],
      stewards: ['data-engineering'],
      everyone: ['analysts', 'data-engineering', 'data-science', 'marketing-analytics'],
      domainOwners: { sales: ['data-engineering'], marketing: ['data-engineering', 'marketing-analytics'] },
    });
  });
});
