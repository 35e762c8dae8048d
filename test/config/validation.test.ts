import { validateDefinition } from '../../lib/config';
import { exampleDefinition, problemsAfter } from '../fixtures/platform';

const dataset = (definition: Record<string, any>, name: string) => definition.datasets.find((d: any) => d.name === name);

describe('platform definition validation', () => {
  test('accepts the example definition', () => {
    expect(() => validateDefinition(exampleDefinition(), 'platform.yaml')).not.toThrow();
  });

  test.each<[string, (d: Record<string, any>) => void, string]>([
    [
      'an AWS account id is not 12 digits',
      (d) => (d.environments.prod.aws.account = '12345'),
      'environments.prod.aws.account: "12345" must be a 12-digit AWS account id',
    ],
    [
      'a key is misspelt',
      (d) => ((d.platform.costCentre = 'x'), delete d.platform.costCenter),
      'platform: unknown key "costCentre" (did you mean "costCenter"?); allowed keys: prefix, owner, costCenter, description',
    ],
    ['a required field is missing', (d) => delete d.platform.owner, 'platform.owner: is required; it must be a non-empty string'],
    [
      'a format is not supported',
      (d) => (dataset(d, 'products').format = 'xml'),
      'datasets[3].format: "xml" must be one of: json, csv, avro, parquet, orc, binary (dataset "products")',
    ],
    [
      'a source kind is unknown',
      (d) => (dataset(d, 'products').source.kind = 'ftp'),
      'datasets[3].source.kind: "ftp" must be one of: database, api, stream, files (dataset "products")',
    ],
    [
      'a classification is unknown',
      (d) => (dataset(d, 'orders').classification = 'secret'),
      'datasets[1].classification: "secret" must be one of: public, internal, confidential, pii (dataset "orders")',
    ],
    [
      'a schedule is not a cron expression',
      (d) => (dataset(d, 'orders').schedule = '0 * *'),
      'datasets[1].schedule: "0 * *" has 3 fields; expected 5 (minute hour day-of-month month day-of-week) (dataset "orders")',
    ],
    [
      'a cron field is out of range',
      (d) => (dataset(d, 'orders').schedule = '0 24 * * *'),
      'datasets[1].schedule: "0 24 * * *" hour "24" must stay within 0-23 (dataset "orders")',
    ],
    [
      'archive does not come after infrequent access',
      (d) => (d.lifecycle.bronze.archiveAfterDays = 20),
      'lifecycle.bronze.archiveAfterDays: (20) must be greater than infrequentAccessAfterDays (30) (in environments dev, staging, prod)',
    ],
    [
      'an environment override expires data before it is archived',
      (d) => (d.environments.dev.lifecycle.bronze.expireAfterDays = 100),
      'environments.dev.lifecycle.bronze.expireAfterDays: (100) must be greater than archiveAfterDays (180)',
    ],
    [
      'bronze expires before its retention lock ends',
      (d) => (d.environments.staging.lifecycle = { bronze: { expireAfterDays: 200 } }),
      'environments.staging.lifecycle.bronze.expireAfterDays: (200) must be at least retainDays (365): bronze objects stay locked ' +
        'for retainDays, so they cannot expire earlier; raise expireAfterDays or lower retainDays',
    ],
    [
      'a shared bronze expiry comes before the default retention',
      (d) => {
        delete d.lifecycle.bronze.retainDays;
        d.lifecycle.bronze.expireAfterDays = 60;
        delete d.lifecycle.bronze.archiveAfterDays;
        delete d.environments.dev.lifecycle.bronze;
      },
      'lifecycle.bronze.expireAfterDays: (60) must be at least retainDays (90, the default): bronze objects stay locked for ' +
        'retainDays, so they cannot expire earlier; raise expireAfterDays or lower retainDays (in environments dev, staging, prod)',
    ],
    [
      'a retention is not a positive whole number',
      (d) => (d.lifecycle.bronze.retainDays = 0),
      'lifecycle.bronze.retainDays: 0 must be a whole number of days from 1 to 36500',
    ],
    [
      'a retention is a fraction',
      (d) => (d.environments.dev.lifecycle.bronze.retainDays = 1.5),
      'environments.dev.lifecycle.bronze.retainDays: 1.5 must be a whole number of days from 1 to 36500',
    ],
    [
      'a derived layer is given a retention lock',
      (d) => (d.lifecycle.silver.retainDays = 30),
      'lifecycle.silver: unknown key "retainDays"; allowed keys: ' +
        'infrequentAccessAfterDays, archiveAfterDays, expireAfterDays, noncurrentVersionExpireAfterDays',
    ],
    [
      'a lock mode is unknown',
      (d) => (d.environments.prod.dataProtection.bronzeLockMode = 'legal-hold'),
      'environments.prod.dataProtection.bronzeLockMode: "legal-hold" must be one of: governance, compliance',
    ],
    [
      'an environment destroyed with its stack locks bronze in compliance mode',
      (d) => (d.environments.dev.dataProtection.bronzeLockMode = 'compliance'),
      'environments.dev.dataProtection.onDelete: "destroy" contradicts bronzeLockMode "compliance": nobody can lift a ' +
        "compliance-mode lock, so the bronze bucket and filesystem cannot be emptied or destroyed before every object's " +
        'retention ends; use "retain", or bronzeLockMode "governance"',
    ],
    [
      'infrequent access comes before S3 allows it',
      (d) => (d.lifecycle.silver.infrequentAccessAfterDays = 7),
      'lifecycle.silver.infrequentAccessAfterDays: 7 must be a whole number of days from 30 to 36500',
    ],
    [
      'a lifecycle day count is zero',
      (d) => (d.lifecycle.gold.noncurrentVersionExpireAfterDays = 0),
      'lifecycle.gold.noncurrentVersionExpireAfterDays: 0 must be a whole number of days from 1 to 36500',
    ],
    [
      'production may destroy data',
      (d) => (d.environments.prod.dataProtection.onDelete = 'destroy'),
      'environments.prod.dataProtection.onDelete: "destroy" is not allowed in a production environment; ' +
        'production must be "retain" so that data is never destroyed',
    ],
    [
      'two datasets share a name',
      (d) => (dataset(d, 'campaigns').name = 'orders'),
      'datasets[6].name: "orders" is already the name of datasets[1]; dataset names must be unique (dataset "orders")',
    ],
    [
      'a reader is not a defined group',
      (d) => (dataset(d, 'orders').readers.gold = ['analyst']),
      'datasets[1].readers.gold[0]: "analyst" is not a defined group (did you mean "analysts"?); ' +
        'groups: data-engineering, analysts, data-science, marketing-analysts (dataset "orders")',
    ],
    [
      'an owner is not a defined group',
      (d) => (dataset(d, 'orders').owners = ['finance']),
      'datasets[1].owners[0]: "finance" is not a defined group; groups: data-engineering, analysts, data-science, marketing-analysts (dataset "orders")',
    ],
    [
      'a key is not a column',
      (d) => (dataset(d, 'orders').keys = ['orderid']),
      'datasets[1].keys[0]: "orderid" is not a column of this dataset (did you mean "order_id"?); ' +
        'columns: order_id, customer_id, order_status, currency_code, order_total, ordered_at, updated_at ' +
        '(dataset "orders")',
    ],
    [
      'a quality rule names a missing column',
      (d) => dataset(d, 'orders').quality.push({ rule: 'not_null', column: 'total' }),
      'datasets[1].quality[4].column: "total" is not a column of this dataset; columns: order_id, ' +
        'customer_id, order_status, currency_code, order_total, ordered_at, updated_at (dataset "orders")',
    ],
    [
      'a stream dataset has a cron schedule',
      (d) => (dataset(d, 'web_events').schedule = '0 * * * *'),
      'datasets[5].schedule: "0 * * * *" is not allowed for a stream source; stream datasets must be "continuous" (dataset "web_events")',
    ],
    [
      'a batch dataset is continuous',
      (d) => (dataset(d, 'products').schedule = 'continuous'),
      'datasets[3].schedule: "continuous" is only for stream sources; a files source needs a five-field cron expression (dataset "products")',
    ],
    [
      'a schedule Data Factory cannot express, with Azure environments',
      (d) => (dataset(d, 'orders').schedule = '0 1 * 1-3 *'),
      'datasets[1].schedule: "0 1 * 1-3 *" cannot be a Data Factory schedule trigger (Azure environments: ' +
        'dev, staging, prod): Data Factory schedules cannot be limited to some months; use "*" for ' +
        'the month (dataset "orders")',
    ],
    [
      'a database source without CDC has neither a change-tracking column nor a snapshot load',
      (d) => (dataset(d, 'orders').cdc = false),
      'datasets[1].source: a database source without cdc needs changeTrackingColumn (a column every insert and update sets to a strictly ' +
        'increasing value) or load: snapshot; a bookmark on the keys alone never reads an updated row again (dataset "orders")',
    ],
    [
      'a change-tracking column is not a column',
      (d) => Object.assign(dataset(d, 'orders'), { cdc: false, source: { ...dataset(d, 'orders').source, changeTrackingColumn: 'update_at' } }),
      'datasets[1].source.changeTrackingColumn: "update_at" is not a column of this dataset (did you mean "updated_at"?); columns: order_id, ' +
        'customer_id, order_status, currency_code, order_total, ordered_at, updated_at (dataset "orders")',
    ],
    [
      'a change-tracking column is nullable and of a type that does not order changes',
      (d) => Object.assign(dataset(d, 'orders'), { cdc: false, source: { ...dataset(d, 'orders').source, changeTrackingColumn: 'currency_code' } }),
      'datasets[1].source.changeTrackingColumn: "currency_code" is a string column; a change-tracking column must be int, bigint, timestamp or ' +
        'decimal(p,0) (dataset "orders")',
    ],
    [
      'a change-tracking column is nullable',
      (d) =>
        Object.assign(dataset(d, 'orders'), {
          cdc: false,
          columns: [...dataset(d, 'orders').columns, { name: 'row_version', type: 'bigint' }],
          source: { ...dataset(d, 'orders').source, changeTrackingColumn: 'row_version' },
        }),
      'datasets[1].source.changeTrackingColumn: "row_version" is nullable; a change-tracking column must be nullable: false (dataset "orders")',
    ],
    [
      'a CDC dataset also names a change-tracking column',
      (d) => (dataset(d, 'orders').source.changeTrackingColumn = 'updated_at'),
      'datasets[1].source.changeTrackingColumn: is not used with cdc: true (change events are read by _change_seq); remove it (dataset "orders")',
    ],
    [
      'a snapshot load also names a change-tracking column',
      (d) =>
        Object.assign(dataset(d, 'orders'), { cdc: false, source: { ...dataset(d, 'orders').source, load: 'snapshot', changeTrackingColumn: 'updated_at' } }),
      'datasets[1].source.changeTrackingColumn: is not used with load: snapshot (the whole table is read every run); remove one of them (dataset "orders")',
    ],
    [
      'a database load is unknown',
      (d) => Object.assign(dataset(d, 'orders'), { cdc: false, source: { ...dataset(d, 'orders').source, load: 'merge' } }),
      'datasets[1].source.load: "merge" must be one of: incremental, snapshot (dataset "orders")',
    ],
    [
      'cdc is neither true, false nor change-data settings',
      (d) => (dataset(d, 'orders').cdc = 'yes'),
      'datasets[1].cdc: "yes" must be true, false or a mapping with scdType (dataset "orders")',
    ],
    ['an SCD type is unknown', (d) => (dataset(d, 'orders').cdc = { scdType: 3 }), 'datasets[1].cdc.scdType: 3 must be one of: 1, 2 (dataset "orders")'],
    [
      'a database dataset asks for SCD type 2',
      (d) => (dataset(d, 'orders').cdc = { scdType: 2 }),
      'datasets[1].cdc.scdType: (2) is not available for a database source: SCD type 2 history is kept by the Databricks stream pipeline ' +
        '(AUTO CDC) only; use 1 (the current row of each key) (dataset "orders")',
    ],
    [
      'a stream asks for SCD type 2 in environments on AWS',
      (d) => (dataset(d, 'web_events').cdc = { scdType: 2 }),
      'datasets[5].cdc.scdType: (2) is not available in environments that deploy to AWS (dev, staging, prod): SCD type 2 history is kept by ' +
        'the Databricks stream pipeline (AUTO CDC) only, and the silver step on AWS keeps the current row of each key; use 1, or deploy ' +
        'those environments to azure and databricks only (dataset "web_events")',
    ],
    [
      'a stream carries a file format',
      (d) => (dataset(d, 'web_events').format = 'parquet'),
      'datasets[5].format: "parquet" is not a message format; stream datasets must be json or avro (dataset "web_events")',
    ],
    [
      'pii columns sit in a dataset not classified pii',
      (d) => (dataset(d, 'customers').classification = 'internal'),
      'datasets[0].classification: "internal" is too low: columns email, full_name are marked pii, ' +
        'so the dataset must be classified "pii" (dataset "customers")',
    ],
    [
      'an environment uses a cloud without its settings',
      (d) => delete d.environments.staging.azure,
      'environments.staging.azure: is required because clouds includes "azure"',
    ],
    [
      'databricks is used without azure',
      (d) => ((d.environments.dev.clouds = ['aws', 'databricks']), delete d.environments.dev.azure),
      'environments.dev.clouds: includes "databricks" without "azure"; the Databricks workspace runs on Azure',
    ],
    [
      'a composed storage account name is too long',
      (d) => (d.platform.prefix = 'acmecorporat'),
      'environments.staging: Azure storage account name "acmecorporatstagingdlec5f" is 25 characters; ' +
        'allowed: 3-24 (composed from platform.prefix "acmecorporat" and environment "staging"; shorten ' +
        'one of them)',
    ],
    [
      'a composed Step Functions pipeline name is too long',
      (d) => (dataset(d, 'campaigns').domain = 'marketing_and_customer_engagement_analytics_for_the_web_shop'),
      'datasets[6]: Step Functions state machine name "acme-staging-pipeline-marketing_and_customer_engagement_analytics_for_the_web_shop" ' +
        'is 82 characters; allowed: 1-80 (composed from platform.prefix "acme", environment "staging", ' +
        'domain "marketing_and_customer_engagement_analytics_for_the_web_shop" and dataset "campaigns"; ' +
        'shorten one of them)',
    ],
    [
      'two stream datasets share a topic',
      (d) => d.datasets.push({ ...dataset(d, 'web_events'), name: 'web_events_replay' }),
      'datasets[8].source.topic: "web.clickstream.v1" is already the topic of datasets[5]; each stream ' +
        'dataset needs a topic of its own (dataset "web_events_replay")',
    ],
    [
      'an API is not reached over https',
      (d) => (dataset(d, 'campaigns').source.baseUrl = 'http://api.example.com'),
      'datasets[6].source.baseUrl: "http://api.example.com" must be an https:// URL (dataset "campaigns")',
    ],
    [
      'a group reference list repeats itself',
      (d) => (dataset(d, 'orders').owners = ['data-engineering', 'data-engineering']),
      'datasets[1].owners: lists "data-engineering" more than once (dataset "orders")',
    ],
    [
      'a range rule has no bounds',
      (d) => dataset(d, 'orders').quality.push({ rule: 'range', column: 'order_total' }),
      'datasets[1].quality[4]: a range rule needs min, max or both (dataset "orders")',
    ],
    [
      'spark sizing is upside down',
      (d) => (d.environments.prod.sizing.sparkMinWorkers = 32),
      'environments.prod.sizing.sparkMaxWorkers: (16) must be at least sparkMinWorkers (32)',
    ],
    [
      'an AWS region is misspelt',
      (d) => (d.environments.prod.aws.region = 'eu-west-9'),
      'environments.prod.aws.region: "eu-west-9" is not an AWS region (did you mean "eu-west-1"?); regions in partition aws: ' +
        'af-south-1, ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1, ' +
        'ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-6, ap-southeast-7, ca-central-1, ca-west-1, ' +
        'eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, il-central-1, me-central-1, ' +
        'me-south-1, me-west-1, mx-central-1, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2',
    ],
    [
      'an AWS region of another partition is misspelt',
      (d) => (d.environments.prod.aws.region = 'cn-north-2'),
      'environments.prod.aws.region: "cn-north-2" is not an AWS region (did you mean "cn-north-1"?); regions in partition aws-cn: cn-north-1, cn-northwest-1',
    ],
    [
      'an Azure location is misspelt',
      (d) => (d.environments.dev.azure.location = 'westeurope9'),
      'environments.dev.azure.location: "westeurope9" is not an Azure location (did you mean "westeurope"?); ' +
        "locations: lib/definition/azure-locations.ts (the public cloud's, as `az account list-locations` names them)",
    ],
    [
      'an Azure location is written as its display name',
      (d) => (d.environments.dev.azure.location = 'West Europe'),
      'environments.dev.azure.location: "West Europe" is not an Azure location (did you mean "westeurope"?); ' +
        "locations: lib/definition/azure-locations.ts (the public cloud's, as `az account list-locations` names them)",
    ],
    ['a region is not a string', (d) => (d.environments.prod.aws.region = 1), 'environments.prod.aws.region: 1 must be an AWS region such as eu-west-1'],
    ['a budget amount is not positive', (d) => (d.environments.dev.budget.amount = 0), 'environments.dev.budget.amount: 0 must be a positive number'],
    [
      'a budget threshold is not positive',
      (d) => (d.environments.dev.budget.thresholds = [-5, 80]),
      'environments.dev.budget.thresholds[0]: -5 must be a percentage above 0 and at most 1000',
    ],
    [
      'a budget threshold is above the maximum',
      (d) => (d.environments.dev.budget.thresholds = [50, 1500]),
      'environments.dev.budget.thresholds[1]: 1500 must be a percentage above 0 and at most 1000',
    ],
    [
      'budget thresholds are not increasing',
      (d) => (d.environments.dev.budget.thresholds = [50, 100, 80]),
      'environments.dev.budget.thresholds: [50, 100, 80] must be strictly increasing; 80 does not come after 100',
    ],
    [
      'forecast thresholds repeat a value',
      (d) => (d.environments.dev.budget.forecastThresholds = [100, 100]),
      'environments.dev.budget.forecastThresholds: [100, 100] must be strictly increasing; 100 does not come after 100',
    ],
    [
      'a production budget has no recipients',
      (d) => delete d.environments.prod.budget.recipients,
      'environments.prod.budget.recipients: is empty in production environment prod; name at least one email address that receives budget and anomaly alerts',
    ],
    [
      'a budget recipient is not an email address',
      (d) => (d.environments.dev.budget.recipients = ['finops']),
      'environments.dev.budget.recipients[0]: "finops" must be an email address',
    ],
    [
      'a budget starts mid-month',
      (d) => (d.environments.dev.budget.startDate = '2026-01-15'),
      'environments.dev.budget.startDate: "2026-01-15" must be the first day of a month, YYYY-MM-01',
    ],
    [
      'a budget of an AWS environment is not in USD',
      (d) => (d.environments.dev.budget.currency = 'EUR'),
      'environments.dev.budget.currency: "EUR" is not accepted by AWS Budgets, which counts cost budgets in USD; allowed where clouds includes "aws": USD',
    ],
    [
      'a budget currency is unknown',
      (d) => (d.environments.dev.budget.currency = 'DOGE'),
      'environments.dev.budget.currency: "DOGE" must be one of: USD, EUR, GBP',
    ],
    [
      'a budget anomaly threshold is negative',
      (d) => (d.environments.dev.budget.anomalyThreshold = -1),
      'environments.dev.budget.anomalyThreshold: -1 must be a positive number',
    ],
  ])('fails when %s', (_name, change, message) => {
    expect(problemsAfter(change)).toContain(message);
  });

  test.each([
    ['cn-northwest-1', 'the aws-cn partition'],
    ['us-gov-west-1', 'the aws-us-gov partition'],
    ['eusc-de-east-1', 'the European Sovereign Cloud'],
  ])('accepts the AWS region %s (%s)', (region) => {
    const definition = exampleDefinition();
    definition.environments.prod.aws.region = region;
    expect(() => validateDefinition(definition, 'platform.yaml')).not.toThrow();
  });

  test.each(['germanywestcentral', 'eastus2', 'swedencentral'])('accepts the Azure location %s', (location) => {
    const definition = exampleDefinition();
    definition.environments.dev.azure.location = location;
    expect(() => validateDefinition(definition, 'platform.yaml')).not.toThrow();
  });

  test('accepts a month-limited schedule when no environment uses Azure', () => {
    const definition = exampleDefinition();
    for (const env of Object.values<Record<string, any>>(definition.environments)) {
      env.clouds = ['aws'];
      delete env.azure;
      delete env.databricks;
    }
    delete definition.consumers.shares; // shares are Databricks objects
    delete definition.mlUseCases[0].serving; // served on Databricks only
    dataset(definition, 'orders').schedule = '0 1 * 1-3 *';
    expect(() => validateDefinition(definition, 'platform.yaml')).not.toThrow();
  });

  test('resolves change-data settings: cdc: true is SCD type 1, a stream on Azure and Databricks only may keep SCD type 2', () => {
    const definition = exampleDefinition();
    for (const env of Object.values<Record<string, any>>(definition.environments)) {
      env.clouds = ['azure', 'databricks'];
      delete env.aws;
    }
    dataset(definition, 'web_events').cdc = { scdType: 2 };
    const datasets = validateDefinition(definition, 'platform.yaml').datasets;
    expect(datasets.find((d) => d.name === 'web_events')).toMatchObject({ cdc: true, scdType: 2 });
    expect(datasets.find((d) => d.name === 'orders')).toMatchObject({ cdc: true, scdType: 1 });
    expect(datasets.find((d) => d.name === 'newsletter_signups')).not.toHaveProperty('scdType');
  });

  test('reports every shape problem at once', () => {
    const problems = problemsAfter((d) => {
      d.environments.prod.aws.account = '12345';
      d.environments.dev.azure.tenantId = 'not-a-guid';
      dataset(d, 'orders').format = 'xml';
      d.platform.prefx = 'x';
    });
    expect(problems).toHaveLength(4);
  });

  test('reports every cross-field problem at once', () => {
    const problems = problemsAfter((d) => {
      d.environments.prod.dataProtection.onDelete = 'destroy';
      dataset(d, 'orders').keys = ['nope'];
      dataset(d, 'products').owners = ['nobody'];
    });
    expect(problems).toHaveLength(3);
  });

  test('fails when the definition is empty', () => {
    expect(() => validateDefinition(null, 'empty.yaml')).toThrow(
      'empty.yaml: 1 problem in the platform definition:\n  - (definition root): is empty; expected the platform definition',
    );
  });
});
