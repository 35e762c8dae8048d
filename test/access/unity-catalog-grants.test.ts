import {
  bronzeFileReaders,
  CATALOG_SCHEMAS,
  DBT_SUPPORT_SCHEMAS,
  type Grant,
  STEWARD_SCHEMA_PRIVILEGES,
  unityCatalogGrants,
  unityCatalogTableGrants,
  workspaceAccess,
} from '../../lib/access/unity-catalog-grants';
import { configWith, exampleConfig } from '../fixtures/platform';

const ENTER = ['USE_SCHEMA'];
const BUILD = ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_TABLE', 'MODIFY', 'USE_SCHEMA'];
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
    expect(asMap(matrix.schemas.bronze)).toEqual({ 'data-engineering': BUILD, 'marketing-analytics': ENTER });
    expect(asMap(matrix.schemas.silver)).toEqual({ analysts: ENTER, 'data-engineering': BUILD, 'marketing-analytics': ENTER });
    expect(asMap(matrix.schemas.gold)).toEqual({ analysts: ENTER, 'data-engineering': BUILD, 'data-science': ENTER, 'marketing-analytics': ENTER });
    expect(asMap(matrix.schemas.ml)).toEqual({ 'data-science': ['CREATE_MODEL', 'USE_SCHEMA'], 'marketing-analytics': ['USE_SCHEMA'] });
    // marketing-analytics co-owns campaigns only: the bronze filesystem also holds customers, so it reads bronze through tables.
    expect(matrix.externalLocations).toEqual({ bronze: [{ principal: 'data-engineering', privileges: ['READ_FILES'] }] });
    expect(asMap(matrix.registeredModels.customer_churn)).toEqual({ 'data-science': ['ALL_PRIVILEGES'], 'marketing-analytics': ['EXECUTE'] });
  });

  test('grants nothing to read on a layer schema: SELECT is per table', () => {
    expect(triples(matrix).filter((t) => /^schema (bronze|silver|gold|ml) /.test(t) && / SELECT$/.test(t))).toEqual([]);
  });

  test("gives the dbt job's reference and snapshots schemas to the stewards alone, who build and read them whole", () => {
    for (const schema of DBT_SUPPORT_SCHEMAS) {
      expect(matrix.schemas[schema]).toEqual([{ principal: 'data-engineering', privileges: [...STEWARD_SCHEMA_PRIVILEGES, 'SELECT'].sort() }]);
    }
    expect(Object.keys(matrix.schemas).sort()).toEqual(Object.keys(CATALOG_SCHEMAS).sort());
  });

  test('lets readers enter only the layers they are listed for, and change nothing', () => {
    const granted = triples(matrix).filter((t) => / (analysts|data-science) /.test(t));
    expect(granted.filter((t) => t.startsWith('schema bronze'))).toEqual([]);
    expect(granted.filter((t) => /MODIFY|CREATE_TABLE|ALL_PRIVILEGES|READ_FILES/.test(t) && !t.startsWith('model'))).toEqual([]);
    expect(granted.filter((t) => t.startsWith('schema silver'))).toEqual(['schema silver analysts USE_SCHEMA']);
  });

  test("uses the Databricks group names of the definition's groups", () => {
    expect(triples(matrix).some((t) => t.includes('marketing-analysts'))).toBe(false);
    expect(triples(matrix).some((t) => t.includes('marketing-analytics'))).toBe(true);
  });

  test('moves exactly the grants a new reader implies: analysts reading bronze orders', () => {
    const after = unityCatalogGrants(configWith((d) => (d.datasets.find((x: any) => x.name === 'orders').readers.bronze = ['analysts'])));
    expect(difference(matrix, after)).toEqual({ added: ['schema bronze analysts USE_SCHEMA'], removed: [] });
  });

  test('moves exactly the grants a removed reader implies: data-science no longer reads gold', () => {
    const after = unityCatalogGrants(
      configWith((d) => {
        for (const dataset of d.datasets) if (dataset.readers?.gold) dataset.readers.gold = dataset.readers.gold.filter((g: string) => g !== 'data-science');
        d.mlUseCases = [];
        for (const table of d.consumers.api.tables) table.groups = table.groups.filter((g: string) => g !== 'data-science');
      }),
    );
    expect(difference(matrix, after)).toEqual({
      added: [],
      removed: [
        'catalog data-science USE_CATALOG',
        'model customer_churn data-science ALL_PRIVILEGES',
        'model customer_churn marketing-analytics EXECUTE',
        'schema gold data-science USE_SCHEMA',
        'schema ml data-science CREATE_MODEL',
        'schema ml data-science USE_SCHEMA',
        'schema ml marketing-analytics USE_SCHEMA',
      ],
    });
  });

  test('lets only the stewards (owners of every dataset) build tables, and read the bronze files of every dataset', () => {
    const after = unityCatalogGrants(
      configWith((d) => {
        d.datasets.find((x: any) => x.name === 'campaigns').owners = ['marketing-analysts'];
        // Administrators of the lake's services must own every dataset (validation): without a steward, nobody administers them.
        for (const env of Object.values<any>(d.environments)) {
          delete env.aws.lakeAdminGroup;
          delete env.aws.kubernetes?.adminGroup;
          delete env.azure?.analytics;
        }
      }),
    );
    const changes = difference(matrix, after);
    expect(changes.added).toEqual([]);
    // Without a steward, nobody holds the dbt job's own schemas (6 privileges each).
    const dbtSchemas = changes.removed.filter((t) => /^schema (reference|snapshots) data-engineering /.test(t));
    expect(dbtSchemas).toHaveLength(2 * 6);
    const layers = changes.removed.filter((t) => !dbtSchemas.includes(t));
    expect(
      layers.filter((t) => t !== 'location bronze data-engineering READ_FILES').every((t) => t.includes(' data-engineering ') && /CREATE_|MODIFY/.test(t)),
    ).toBe(true);
    expect(layers).toHaveLength(3 * 4 + 1);
    expect(after.externalLocations).toEqual({});
  });

  test('an ML use case reads gold and holds its model; its readers may only execute the model', () => {
    const after = unityCatalogGrants(
      configWith((d) =>
        d.mlUseCases.push({
          name: 'order_forecast',
          description: 'Orders per day',
          featureTables: ['agg_daily_revenue'],
          label: 'is_weekend',
          keys: ['revenue_date'],
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

describe('unityCatalogTableGrants', () => {
  const config = exampleConfig();

  test("gives a dataset's table its readers' SELECT and its owners' APPLY_TAG, MODIFY and SELECT, by Databricks group", () => {
    expect(unityCatalogTableGrants(config, 'silver', ['customers'], 'table')).toEqual([
      { principal: 'analysts', privileges: ['SELECT'] },
      { principal: 'data-engineering', privileges: ['APPLY_TAG', 'MODIFY', 'SELECT'] },
    ]);
    expect(unityCatalogTableGrants(config, 'bronze', ['customers'], 'table')).toEqual([
      { principal: 'data-engineering', privileges: ['APPLY_TAG', 'MODIFY', 'SELECT'] },
    ]);
    expect(unityCatalogTableGrants(config, 'gold', ['campaigns'], 'table')).toContainEqual({
      principal: 'marketing-analytics',
      privileges: ['APPLY_TAG', 'MODIFY', 'SELECT'],
    });
  });

  test('grants no MODIFY on a view: it takes no writes', () => {
    expect(unityCatalogTableGrants(config, 'silver', ['customers'], 'view')).toEqual([
      { principal: 'analysts', privileges: ['SELECT'] },
      { principal: 'data-engineering', privileges: ['APPLY_TAG', 'SELECT'] },
    ]);
  });

  test('gives a table of several datasets to those who may use all of them, at their weakest access', () => {
    // gold: campaigns is owned by marketing-analysts, newsletter_signups only read; customers is not theirs at all.
    expect(unityCatalogTableGrants(config, 'gold', ['campaigns', 'newsletter_signups'], 'table')).toEqual([
      { principal: 'data-engineering', privileges: ['APPLY_TAG', 'MODIFY', 'SELECT'] },
      { principal: 'marketing-analytics', privileges: ['SELECT'] },
    ]);
    expect(unityCatalogTableGrants(config, 'gold', ['customers', 'web_events'], 'table').map((grant) => grant.principal)).toEqual([
      'analysts',
      'data-engineering',
      'data-science',
    ]);
  });

  test("lets a table of no dataset's data be read by every group of its layer, owned by nobody", () => {
    expect(unityCatalogTableGrants(config, 'gold', [], 'table')).toEqual(
      ['analysts', 'data-engineering', 'data-science', 'marketing-analytics'].map((principal) => ({ principal, privileges: ['SELECT'] })),
    );
  });

  test('fails when a dataset is not in the definition, naming the datasets', () => {
    expect(() => unityCatalogTableGrants(config, 'gold', ['custmers'], 'table')).toThrow(
      'combinedAccess: "custmers" is not a dataset of the definition; datasets: customers,',
    );
  });
});

describe('bronzeFileReaders', () => {
  test('are the groups that may read the bronze table of every dataset', () => {
    expect(bronzeFileReaders(exampleConfig())).toEqual(['data-engineering']);
    expect(bronzeFileReaders({ datasets: [] })).toEqual([]);
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
