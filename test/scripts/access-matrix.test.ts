import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AccessMatrix, accessMatrixDifferences, definitionAccessMatrix, withApiReads } from '../../lib/access/access-matrix';
import type { EnvironmentConfig, Layer, PlatformConfig } from '../../lib/definition';
import { DBT_GRANTS_FILE, dbtModelGrants, type DbtProjectFiles, modelLineage, parseDbtGrantsFile, readDbtProjectFiles } from '../../lib/dbt';
import { sparkManifest } from '../../lib/pipelines/spark-manifest';
import { type CloudFormationTemplate, effectiveAwsAccess } from '../../scripts/access-matrix/effective-aws';
import { type DbtAccessInputs, effectiveDatabricksAccess } from '../../scripts/access-matrix/effective-databricks';
import { apiColumns, databricksDefinitionMatrix, goldApiReads, recipientColumns } from '../../scripts/access-matrix/environment-access';
import { synthesizeAws, synthesizeTerraform } from '../../scripts/access-matrix/synthesized-environment';
import { configWith, environmentOf, exampleConfig } from '../fixtures/platform';

const ROOT = join(__dirname, '..', '..');
const LAYERS: Layer[] = ['bronze', 'silver', 'gold'];

/** One environment, synthesized once: the catalog stacks on AWS (silver and gold tags from the manifest), every Terraform stack. */
function synthesized(config: PlatformConfig, environment: EnvironmentConfig) {
  const aws = synthesizeAws(config, environment, (stack) => stack.concern === 'catalog');
  return { templates: aws.templates, manifest: sparkManifest(config, environment), terraform: synthesizeTerraform(config, environment) };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const differencesOf = (config: PlatformConfig, matrix: AccessMatrix, cloud: string) =>
  accessMatrixDifferences(definitionAccessMatrix(config), matrix, { expected: 'the definition', actual: cloud });

/** Who may use a dataset in each layer: `group:access` sorted, per layer. */
function usersOf(matrix: AccessMatrix, dataset: string): Record<Layer, string[]> {
  return Object.fromEntries(
    LAYERS.map((layer) => [
      layer,
      Object.entries(matrix[dataset][layer])
        .map(([group, access]) => `${group}:${access}`)
        .sort(),
    ]),
  ) as Record<Layer, string[]>;
}

describe('the effective access matrix of the example definition', () => {
  const config = exampleConfig();
  const environment = environmentOf(config, 'dev');
  const { templates, manifest, terraform } = synthesized(config, environment);
  const lineage = modelLineage(readDbtProjectFiles(join(ROOT, 'dbt')), config);
  // The dbt grants as deployed: the committed, generated macro the dbt job's post-hook applies.
  const dbt: DbtAccessInputs = { grants: parseDbtGrantsFile(readFileSync(join(ROOT, DBT_GRANTS_FILE), 'utf8')), lineage };
  const aws = effectiveAwsAccess(config, templates, manifest);
  const databricks = effectiveDatabricksAccess(config, terraform.lakehouse, dbt, terraform.others);

  test('the committed dbt grants are those of the definition and the models', () => {
    expect(dbt.grants).toEqual(JSON.parse(JSON.stringify(dbtModelGrants(config, lineage))));
  });

  test('is the definition on AWS, dataset by dataset and layer by layer', () => {
    expect(differencesOf(config, aws, 'AWS')).toEqual([]);
    expect(aws).toEqual(definitionAccessMatrix(config));
  });

  test('is the definition on Databricks, dataset by dataset and layer by layer', () => {
    expect(differencesOf(config, databricks, 'Databricks')).toEqual([]);
    expect(databricks).toEqual(definitionAccessMatrix(config));
  });

  test('lets only the readers of customers read it, on every cloud, in every layer', () => {
    const expected = {
      bronze: ['data-engineering:own'],
      silver: ['analysts:read', 'data-engineering:own'],
      gold: ['analysts:read', 'data-engineering:own', 'data-science:read'],
    };
    expect(usersOf(aws, 'customers')).toEqual(expected);
    expect(usersOf(databricks, 'customers')).toEqual(expected);
  });

  describe('fails when a cloud gives more than the definition', () => {
    test('Databricks: SELECT on the layer schemas, as the grants per layer did, lets marketing read customers in bronze and analysts marketing PII', () => {
      const perLayer = clone(terraform.lakehouse) as any;
      for (const grants of Object.values<any>(perLayer.resource.databricks_grants))
        if ('schema' in grants) for (const grant of grants.grant) if (grant.privileges.includes('USE_SCHEMA')) grant.privileges.push('SELECT');
      const differences = differencesOf(config, effectiveDatabricksAccess(config, perLayer, dbt, terraform.others), 'Databricks');
      expect(differences).toContain('customers/bronze marketing-analysts: read on Databricks, nothing in the definition');
      expect(differences).toContain('newsletter_signups/silver analysts: read on Databricks, nothing in the definition');
    });

    test('Databricks: READ_FILES on bronze for a co-owner of one dataset lets it read the files of every dataset', () => {
      const files = clone(terraform.lakehouse) as any;
      const location = Object.values<any>(files.resource.databricks_grants).find((grants) => 'external_location' in grants);
      location.grant.push({ principal: 'marketing-analytics', privileges: ['READ_FILES'] });
      expect(differencesOf(config, effectiveDatabricksAccess(config, files, dbt, terraform.others), 'Databricks')).toContain(
        'customers/bronze marketing-analysts: read on Databricks, nothing in the definition',
      );
    });

    test('Databricks: a dbt model granted beyond its datasets (in a schema the group may enter; elsewhere the grant gives nothing)', () => {
      const tampered = clone(dbt.grants) as any;
      tampered.int_customers_current.grants.select.push('marketing-analytics');
      tampered.stg_sales__customers.grants.select.push('analysts'); // analysts may not enter bronze
      expect(
        differencesOf(config, effectiveDatabricksAccess(config, terraform.lakehouse, { grants: tampered, lineage }, terraform.others), 'Databricks'),
      ).toEqual(['customers/silver marketing-analysts: read on Databricks, nothing in the definition']);
    });

    test('Databricks: a table of the pipelines granted beyond its dataset', () => {
      const tampered = clone(terraform.lakehouse) as any;
      const plan = Object.values<any>(tampered.resource.databricks_workspace_file).find((file) => file.path.endsWith('table_grants.json'));
      const content = JSON.parse(Buffer.from(plan.content_base64, 'base64').toString('utf8'));
      content.tables.find((table: any) => table.table === 'acme_dev.silver.web_events').grants.push({ principal: 'analysts', privileges: ['SELECT'] });
      plan.content_base64 = Buffer.from(JSON.stringify(content)).toString('base64');
      expect(differencesOf(config, effectiveDatabricksAccess(config, tampered, dbt, terraform.others), 'Databricks')).toEqual([
        'web_events/silver analysts: read on Databricks, nothing in the definition',
      ]);
    });

    test('Azure: a storage role of a group on the bronze filesystem bypasses Unity Catalog', () => {
      const role = {
        resource: {
          azurerm_role_assignment: {
            AnalystsReadBronze: {
              principal_id: config.groups.analysts.entraObjectId,
              role_definition_name: 'Storage Blob Data Reader',
              scope: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/lake/blobServices/default/containers/bronze',
            },
          },
        },
      };
      const differences = differencesOf(config, effectiveDatabricksAccess(config, terraform.lakehouse, dbt, [...terraform.others, role]), 'Databricks');
      expect(differences).toContain('customers/bronze analysts: read on Databricks, nothing in the definition');
      expect(differences).toHaveLength(config.datasets.length);
    });

    test("Azure: a storage role on bronze's working data (the bronze tables' files) reads bronze too", () => {
      const role = {
        resource: {
          azurerm_role_assignment: {
            AnalystsReadBronzeWork: {
              principal_id: config.groups.analysts.entraObjectId,
              role_definition_name: 'Storage Blob Data Reader',
              scope: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/lake/blobServices/default/containers/bronze-work',
            },
          },
        },
      };
      const differences = differencesOf(config, effectiveDatabricksAccess(config, terraform.lakehouse, dbt, [...terraform.others, role]), 'Databricks');
      expect(differences).toContain('customers/bronze analysts: read on Databricks, nothing in the definition');
      expect(differences).toHaveLength(config.datasets.length);
    });

    test("Databricks: READ_FILES on the external location of bronze's working data reads bronze", () => {
      const tampered = clone(terraform.lakehouse) as any;
      const [workId] = Object.entries<any>(tampered.resource.databricks_external_location).find(([, location]) =>
        location.url.startsWith('abfss://bronze-work@'),
      )!;
      tampered.resource.databricks_grants.BronzeWorkFiles = {
        external_location: `\${databricks_external_location.${workId}.name}`,
        grant: [{ principal: 'marketing-analytics', privileges: ['READ_FILES'] }],
      };
      expect(differencesOf(config, effectiveDatabricksAccess(config, tampered, dbt, terraform.others), 'Databricks')).toContain(
        'customers/bronze marketing-analysts: read on Databricks, nothing in the definition',
      );
    });

    test('AWS: a table tagged for a group the definition does not name', () => {
      const tagged = clone(templates) as CloudFormationTemplate[] as any[];
      const association = tagged
        .flatMap((template) => Object.values<any>(template.Resources ?? {}))
        .find((resource) => resource.Type === 'AWS::LakeFormation::TagAssociation' && resource.Properties.Resource.Table.Name === 'customers');
      association.Properties.LFTags.push({ CatalogId: '111111111111', TagKey: 'acme_dev_access_marketing-analysts', TagValues: ['read'] });
      expect(differencesOf(config, effectiveAwsAccess(config, tagged, manifest), 'AWS')).toEqual([
        'customers/bronze marketing-analysts: read on AWS, nothing in the definition',
      ]);
    });

    test('AWS: a Lake Formation administrator may grant itself every table', () => {
      // Validation refuses a definition whose lakeAdminGroup does not own every dataset (access-rules); the effective matrix sees it too.
      const settings = clone(templates) as any[];
      const lakeSettings = settings.flatMap((t) => Object.values<any>(t.Resources ?? {})).find((r) => r.Type === 'AWS::LakeFormation::DataLakeSettings');
      lakeSettings.Properties.Admins.push({ DataLakePrincipalIdentifier: `arn:aws:iam::111111111111:role/${config.groups.analysts.awsRoleName}` });
      expect(differencesOf(config, effectiveAwsAccess(config, settings, manifest), 'AWS')).toContain(
        'customers/bronze analysts: own on AWS, nothing in the definition',
      );
    });
  });
});

describe('the gold API of the example, in dev', () => {
  const config = exampleConfig();
  const environment = environmentOf(config, 'dev');
  const aws = synthesizeAws(config, environment, (stack) => stack.concern === 'catalog' || stack.concern === 'api');
  const manifest = sparkManifest(config, environment);
  const api = goldApiReads(config, environment);
  const apiRole = new Map([['acme-dev-gold-api', 'api:acme-dev-gold-api']]);
  const definition = withApiReads(definitionAccessMatrix(config), api);
  const differences = (templates: readonly CloudFormationTemplate[], tables = manifest) =>
    accessMatrixDifferences(definition, effectiveAwsAccess(config, templates, tables, apiRole), { expected: 'the definition', actual: 'AWS' });
  /** Per dataset and layer, what the API's role may do (only cells where it may do something). */
  const apiReads = (matrix: AccessMatrix) =>
    Object.fromEntries(
      Object.entries(matrix).flatMap(([dataset, layers]) =>
        LAYERS.flatMap((layer) => (layers[layer]['api:acme-dev-gold-api'] ? [[`${dataset}/${layer}`, layers[layer]['api:acme-dev-gold-api']]] : [])),
      ),
    );

  test("the API's role reads in gold exactly the datasets consumers.api exposes, through the API tag: the definition", () => {
    expect(api).toEqual({ roleName: 'acme-dev-gold-api', datasets: ['orders', 'products'] });
    const effective = effectiveAwsAccess(config, aws.templates, manifest, apiRole);
    expect(apiReads(effective)).toEqual({ 'orders/gold': 'read', 'products/gold': 'read' });
    expect(differences(aws.templates)).toEqual([]);
    expect(apiColumns([definition, effective])).toEqual(['api:acme-dev-gold-api']);
  });

  test('fails when the Spark manifest puts the API tag on a table the definition does not expose', () => {
    const tagged = clone(manifest) as any;
    tagged.domains.sales.find((dataset: { name: string }) => dataset.name === 'customers').tags.gold.acme_dev_consumer_api = ['read'];
    expect(differences(aws.templates, tagged)).toEqual(['customers/gold api:acme-dev-gold-api: read on AWS, nothing in the definition']);
  });

  test("fails when the API's role is granted on a group's access tag instead of its own", () => {
    const widened = clone(aws.templates) as any[];
    for (const template of widened)
      for (const resource of Object.values<any>(template.Resources ?? {}))
        if (
          resource.Type === 'AWS::LakeFormation::PrincipalPermissions' &&
          resource.Properties.Resource.LFTagPolicy?.Expression?.[0]?.TagKey === 'acme_dev_consumer_api'
        )
          resource.Properties.Resource.LFTagPolicy.Expression = [{ TagKey: 'acme_dev_access_analysts', TagValues: ['read'] }];
    expect(differences(widened)).toContain('customers/gold api:acme-dev-gold-api: read on AWS, nothing in the definition');
  });
});

describe('the Delta Sharing recipients of the example, in prod', () => {
  const config = exampleConfig();
  const environment = environmentOf(config, 'prod');
  const terraform = synthesizeTerraform(config, environment);
  const lineage = modelLineage(readDbtProjectFiles(join(ROOT, 'dbt')), config);
  const dbt: DbtAccessInputs = { grants: parseDbtGrantsFile(readFileSync(join(ROOT, DBT_GRANTS_FILE), 'utf8')), lineage };
  const definition = databricksDefinitionMatrix(config, environment, lineage);
  const databricks = effectiveDatabricksAccess(config, terraform.lakehouse, dbt, terraform.others);
  const differences = (lakehouse: unknown) =>
    accessMatrixDifferences(definition, effectiveDatabricksAccess(config, lakehouse as typeof terraform.lakehouse, dbt, terraform.others), {
      expected: 'the definition',
      actual: 'Databricks',
    });
  /** Per dataset and layer, the recipients that read it (only cells with some). */
  const recipientReads = (matrix: AccessMatrix) =>
    Object.fromEntries(
      Object.entries(matrix).flatMap(([dataset, layers]) =>
        LAYERS.flatMap((layer) => {
          const readers = Object.entries(layers[layer])
            .filter(([principal]) => principal.startsWith('recipient:'))
            .map(([principal, access]) => `${principal}:${access}`)
            .sort();
          return readers.length > 0 ? [[`${dataset}/${layer}`, readers]] : [];
        }),
      ),
    );
  const share = (lakehouse: any) => Object.values<any>(lakehouse.resource.databricks_share)[0];
  const shareGrants = (lakehouse: any) => Object.values<any>(lakehouse.resource.databricks_grants).find((grants) => 'share' in grants);
  const BOTH = ['recipient:acme_prod_contoso_pricing:read', 'recipient:acme_prod_northwind_retail:read'];

  test('each recipient reads, in gold only, the datasets of the tables of its share: exactly the definition', () => {
    expect(recipientReads(definition)).toEqual({ 'exchange_rates/gold': BOTH, 'products/gold': BOTH });
    expect(recipientReads(databricks)).toEqual(recipientReads(definition));
    expect(accessMatrixDifferences(definition, databricks, { expected: 'the definition', actual: 'Databricks' })).toEqual([]);
    expect(recipientColumns([definition, databricks])).toEqual(['recipient:acme_prod_contoso_pricing', 'recipient:acme_prod_northwind_retail']);
  });

  test('fails when the share grants SELECT to a recipient the definition does not name', () => {
    const tampered = clone(terraform.lakehouse) as any;
    shareGrants(tampered).grant.push({ principal: 'acme_prod_fabrikam', privileges: ['SELECT'] });
    // In the definition's order of datasets.
    expect(differences(tampered)).toEqual([
      'products/gold recipient:acme_prod_fabrikam: read on Databricks, nothing in the definition',
      'exchange_rates/gold recipient:acme_prod_fabrikam: read on Databricks, nothing in the definition',
    ]);
  });

  test('fails when the share holds a table beyond the definition, or a whole schema', () => {
    const extraTable = clone(terraform.lakehouse) as any;
    share(extraTable).object.push({ name: 'acme_prod.gold.dim_customers', data_object_type: 'TABLE', shared_as: 'gold.dim_customers' });
    expect(differences(extraTable)).toEqual([
      'customers/gold recipient:acme_prod_contoso_pricing: read on Databricks, nothing in the definition',
      'customers/gold recipient:acme_prod_northwind_retail: read on Databricks, nothing in the definition',
    ]);
    const wholeSchema = clone(terraform.lakehouse) as any;
    share(wholeSchema).object = [{ name: 'acme_prod.gold', data_object_type: 'SCHEMA' }];
    expect(differences(wholeSchema)).toContain('customers/gold recipient:acme_prod_northwind_retail: read on Databricks, nothing in the definition');
  });

  test('fails, naming the share and the object, on a shared table whose datasets nobody can tell', () => {
    const unknown = clone(terraform.lakehouse) as any;
    share(unknown).object.push({ name: 'acme_prod.gold.partner_extract', data_object_type: 'TABLE' });
    expect(() => differences(unknown)).toThrow(
      'databricks_share acme_prod_retail_partner_catalog: object "acme_prod.gold.partner_extract" (TABLE) is no table of the pipelines or dbt models',
    );
  });
});

/**
 * A small HR definition: salaries and badge swipes are personal data that only people-ops may use (it
 * owns them, nobody reads them), in every layer; cost centers are finance's, read by analysts and by
 * people-ops in gold. No group owns every dataset and no group administers a service that reads the lake.
 */
function peopleDefinition(): PlatformConfig {
  return configWith((d) => {
    const web = d.datasets.find((x: any) => x.name === 'web_events');
    d.groups = {
      'people-ops': { description: 'HR operations; own personal data of employees', entraObjectId: '11111111-2222-4333-8444-555555555555' },
      finance: { description: 'Finance; own the cost centers', databricksGroup: 'finance-team' },
      analysts: { description: 'BI analysts', entraObjectId: '66666666-7777-4888-8999-000000000000' },
    };
    d.environments = { dev: d.environments.dev };
    delete d.environments.dev.aws.lakeAdminGroup;
    delete d.environments.dev.azure.analytics;
    delete d.environments.dev.azure.warehouse;
    d.cicd.environments = { dev: {} };
    d.mlUseCases = [];
    delete d.consumers;
    d.datasets = [
      {
        name: 'salaries',
        domain: 'people',
        description: 'Monthly salaries per employee, exported by the payroll system',
        source: { kind: 'files', pathPattern: 'incoming/payroll/*.csv', header: true, delimiter: ',' },
        format: 'csv',
        classification: 'pii',
        columns: [
          { name: 'employee_id', type: 'bigint' },
          { name: 'full_name', type: 'string', pii: true },
          { name: 'cost_center_id', type: 'string' },
          { name: 'gross_salary', type: 'decimal(18,2)', nullable: false },
        ],
        keys: ['employee_id'],
        owners: ['people-ops'],
        schedule: '0 3 * * *',
      },
      {
        ...web,
        name: 'badge_swipes',
        domain: 'people',
        description: 'Office badge swipes, streamed from the access control system',
        source: { kind: 'stream', topic: 'facilities.badge-swipes.v1', partitions: 2, retentionHours: 24 },
        owners: ['people-ops'],
        readers: {},
      },
      {
        name: 'cost_centers',
        domain: 'finance',
        description: 'Cost centers from the finance API',
        source: { kind: 'api', baseUrl: 'https://api.finance.example.com', path: '/v1/cost-centers', authSecret: 'finance/api', pagination: 'none' },
        format: 'json',
        classification: 'internal',
        columns: [
          { name: 'cost_center_id', type: 'string' },
          { name: 'cost_center_name', type: 'string', nullable: false },
        ],
        keys: ['cost_center_id'],
        owners: ['finance'],
        readers: { silver: ['analysts'], gold: ['analysts', 'people-ops'] },
        schedule: '0 4 * * *',
      },
    ];
  });
}

/** Its dbt project: staging views, silver tables, gold per dataset, a join of both domains and a calendar of no dataset. */
const PEOPLE_DBT: DbtProjectFiles = {
  seeds: [],
  materializations: { bronze: 'view', silver: 'view', gold: 'table' },
  models: [
    { path: 'bronze/people/stg_people__salaries.sql', sql: "select * from {{ source('people', 'salaries') }}" },
    { path: 'bronze/finance/stg_finance__cost_centers.sql', sql: 'select * from {{ source("finance", "cost_centers") }}' },
    { path: 'silver/people/int_salaries.sql', sql: "{{ config(materialized='table') }}\nselect * from {{ ref('stg_people__salaries') }}" },
    { path: 'silver/finance/int_cost_centers.sql', sql: "{{ config(materialized='table') }}\nselect * from {{ ref('stg_finance__cost_centers') }}" },
    { path: 'gold/people/agg_salary_bands.sql', sql: "select count(*) from {{ ref('int_salaries') }} {# ref('int_cost_centers') is not read #}" },
    { path: 'gold/finance/dim_cost_centers.sql', sql: "select * from {{ ref('int_cost_centers') }}" },
    {
      path: 'gold/people/fct_payroll_by_cost_center.sql',
      sql: "select * from {{ ref('int_salaries') }} join {{ ref('dim_cost_centers') }} using (cost_center_id)",
    },
    { path: 'gold/finance/dim_calendar.sql', sql: 'select 1 as day' },
  ],
};

describe('the effective access matrix of a definition with personal data that one group alone may use', () => {
  const config = peopleDefinition();
  const environment = environmentOf(config, 'dev');
  const { templates, manifest, terraform } = synthesized(config, environment);
  const lineage = modelLineage(PEOPLE_DBT, config);
  const dbt: DbtAccessInputs = { grants: JSON.parse(JSON.stringify(dbtModelGrants(config, lineage))), lineage };
  const aws = effectiveAwsAccess(config, templates, manifest);
  const databricks = effectiveDatabricksAccess(config, terraform.lakehouse, dbt, terraform.others);

  test('is the definition on both clouds', () => {
    expect(differencesOf(config, aws, 'AWS')).toEqual([]);
    expect(differencesOf(config, databricks, 'Databricks')).toEqual([]);
  });

  test.each(['salaries', 'badge_swipes'])('lets only people-ops use %s, on every cloud, in every layer', (dataset) => {
    const onlyPeopleOps = { bronze: ['people-ops:own'], silver: ['people-ops:own'], gold: ['people-ops:own'] };
    expect(usersOf(aws, dataset)).toEqual(onlyPeopleOps);
    expect(usersOf(databricks, dataset)).toEqual(onlyPeopleOps);
  });

  test("a join of salaries and cost centers is people-ops' only, at its weakest access, and the calendar is everyone's in gold", () => {
    expect(dbt.grants.fct_payroll_by_cost_center.grants).toEqual({ 'apply tag': [], modify: [], select: ['people-ops'] });
    expect(dbt.grants.dim_calendar.grants.select).toEqual(['analysts', 'finance-team', 'people-ops']);
  });

  test('grants nobody the bronze files: no group may read the bronze table of every dataset', () => {
    expect(Object.values<any>((terraform.lakehouse.resource as any).databricks_grants).filter((grants) => 'external_location' in grants)).toEqual([]);
  });
});
