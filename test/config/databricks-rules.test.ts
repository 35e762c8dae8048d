import { validateDefinition } from '../../lib/config';
import { dbtModelNames } from '../../lib/config/dbt-models';
import { environmentOf, exampleConfig, exampleDefinition, problemsAfter } from '../fixtures/platform';

const dataset = (definition: Record<string, any>, name: string) => definition.datasets.find((d: any) => d.name === name);

describe('Databricks rules of the platform definition', () => {
  test.each<[string, (d: Record<string, any>) => void, string]>([
    [
      'an ML use case names a feature table that is no gold dbt model',
      (d) => (d.mlUseCases[0].featureTables = ['ml_customer_churn_feature']),
      'mlUseCases[0].featureTables[0]: "ml_customer_churn_feature" is not a gold dbt model (did you mean "ml_customer_churn_features"?); gold models: ',
    ],
    [
      'an ML use case names a group that does not exist',
      (d) => (d.mlUseCases[0].readers = ['marketing']),
      'mlUseCases[0].readers[0]: "marketing" is not a defined group; groups: data-engineering, analysts, data-science, marketing-analysts',
    ],
    [
      'an ML use case owner is not a group',
      (d) => (d.mlUseCases[0].owners = ['data-scientists']),
      'mlUseCases[0].owners[0]: "data-scientists" is not a defined group (did you mean "data-science"?)',
    ],
    [
      'two ML use cases share a name',
      (d) => d.mlUseCases.push({ ...d.mlUseCases[0] }),
      'mlUseCases[1].name: "customer_churn" is already the name of mlUseCases[0]; ML use case names must be unique',
    ],
    [
      'a production workspace has no AzureDatabricks object id for its customer-managed keys',
      (d) => delete d.environments.prod.databricks.azureDatabricksObjectId,
      'environments.prod.databricks.azureDatabricksObjectId: is required in a production environment',
    ],
    [
      'a dataset reader group does not exist',
      (d) => (dataset(d, 'web_events').readers.gold = ['bi-team']),
      'datasets[5].readers.gold[0]: "bi-team" is not a defined group; groups: ',
    ],
    [
      'a stream dataset has no topic',
      (d) => delete dataset(d, 'web_events').source.topic,
      'datasets[5].source.topic: is required; it must be a Kafka topic name (letters, digits, ._-) (dataset "web_events")',
    ],
    [
      'the dbt schedule is not a cron expression',
      (d) => (d.environments.dev.databricks.dbtSchedule = 'daily'),
      'environments.dev.databricks.dbtSchedule: "daily" has 1 field; expected 5',
    ],
    [
      'a node type is not an Azure VM size',
      (d) => (d.environments.dev.databricks.nodeTypes = ['m5.xlarge']),
      'environments.dev.databricks.nodeTypes[0]: "m5.xlarge" must be an Azure VM size such as Standard_D4ds_v5',
    ],
    [
      'the dbt repository is not on a Git host the jobs service knows',
      (d) => (d.dbt.repositoryUrl = 'https://git.acme.example.com/platform.git'),
      'dbt.repositoryUrl: "https://git.acme.example.com/platform.git" is on git.acme.example.com',
    ],
    [
      'an environment with a warehouse pins a runtime that cannot use the service credential of the warehouse load',
      (d) => (d.environments.dev.databricks.runtimeVersion = '14.3.x-scala2.12'),
      `environments.dev.databricks.runtimeVersion: "14.3.x-scala2.12" cannot run the dbt job's gold warehouse load, which signs in to Azure SQL ` +
        'through a Unity Catalog service credential: that needs Databricks Runtime 15.4 or later',
    ],
    [
      'an environment with ML use cases pins a runtime older than 16.4',
      (d) => (d.environments.dev.databricks.runtimeVersion = '15.4.x-scala2.12'),
      'environments.dev.databricks.runtimeVersion: "15.4.x-scala2.12" cannot run the training jobs of mlUseCases: the scikit-learn and skops ' +
        'they install need numpy 1.25 or later',
    ],
    [
      'an environment with ML use cases leaves the runtime at its default (15.4)',
      (d) => delete d.environments.dev.databricks.runtimeVersion,
      'environments.dev.databricks.runtimeVersion: "15.4.x-scala2.12" cannot run the training jobs of mlUseCases',
    ],
    ['an ML use case has no label', (d) => delete d.mlUseCases[0].label, 'mlUseCases[0].label: is required; it must be lowercase snake_case'],
    [
      'an ML use case predicts one of its keys',
      (d) => (d.mlUseCases[0].label = 'customer_id'),
      'mlUseCases[0].label: "customer_id" is also one of keys (customer_id); the label is what the model predicts, not a row key',
    ],
    [
      'an ML training schedule is not a cron expression',
      (d) => (d.mlUseCases[0].trainingSchedule = 'weekly'),
      'mlUseCases[0].trainingSchedule: "weekly" has 1 field; expected 5',
    ],
    [
      'an ML training schedule names both a day of the month and of the week (Quartz cannot)',
      (d) => (d.mlUseCases[0].trainingSchedule = '0 6 1 * 1'),
      'mlUseCases[0].trainingSchedule: ',
    ],
    [
      'a model is served in an environment that does not exist',
      (d) => (d.mlUseCases[0].serving.environments = ['production']),
      'mlUseCases[0].serving.environments[0]: "production" is not an environment; environments with Databricks: dev, staging, prod',
    ],
    [
      'a model is served in an environment without Databricks',
      (d) => {
        d.environments.staging.clouds = ['aws', 'azure'];
        delete d.environments.staging.databricks;
        d.mlUseCases[0].serving.environments = ['staging'];
      },
      'mlUseCases[0].serving.environments[0]: "staging" does not deploy the databricks cloud; environments with Databricks: dev, prod',
    ],
    [
      'a serving endpoint has a workload size Databricks does not offer',
      (d) => (d.mlUseCases[0].serving.workloadSize = 'XLarge'),
      'mlUseCases[0].serving.workloadSize: "XLarge" must be one of: Small, Medium, Large',
    ],
    [
      "a serving endpoint's composed name is longer than Databricks allows",
      (d) => (d.mlUseCases[0].name = `churn_${'x'.repeat(54)}`),
      `mlUseCases[0].name: Databricks model-serving endpoint name "acme-prod-churn-${'x'.repeat(54)}" is 70 characters; allowed: 1-63`,
    ],
  ])('fails when %s', (_name, change, message) => {
    const problems = problemsAfter(change);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });

  test('resolves the Databricks defaults and the ML use cases', () => {
    const config = exampleConfig();
    expect(environmentOf(config, 'dev').databricks).toMatchObject({
      runtimeVersion: '16.4.x-scala2.12',
      nodeTypes: ['Standard_D4ds_v5', 'Standard_D8ds_v5'],
      dbtSchedule: '0 5 * * *',
    });
    expect(environmentOf(config, 'prod').databricks).toMatchObject({ nodeTypes: ['Standard_D8ds_v5', 'Standard_D16ds_v5'], dbtSchedule: '0 4 * * *' });
    expect(config.dbt).toEqual({ repositoryUrl: 'https://github.com/acme/cloud-platform-solutions.git', branch: 'main', projectDirectory: 'dbt' });
    expect(config.mlUseCases).toEqual([
      expect.objectContaining({
        name: 'customer_churn',
        featureTables: ['ml_customer_churn_features'],
        label: 'is_churned',
        keys: ['customer_id'],
        trainingSchedule: '0 6 * * 1',
        readers: ['marketing-analysts'],
        serving: { environments: ['prod'], workloadSize: 'Small', scaleToZero: true },
      }),
    ]);
  });

  test('accepts an older runtime where neither a warehouse load nor an ML training job runs, and 15.4 or later where only a load does', () => {
    const definition = exampleDefinition();
    delete definition.mlUseCases;
    definition.environments.staging.databricks.runtimeVersion = '14.3.x-scala2.12';
    definition.environments.dev.databricks.runtimeVersion = '15.4.x-scala2.12';
    expect(environmentOf(validateDefinition(definition, 'platform.yaml'), 'staging').databricks?.runtimeVersion).toBe('14.3.x-scala2.12');
  });

  test('serves on the smallest compute, scaling to zero, when serving gives no size', () => {
    const definition = exampleDefinition();
    definition.mlUseCases[0].serving = { environments: ['dev'] };
    expect(validateDefinition(definition, 'platform.yaml').mlUseCases[0].serving).toEqual({ environments: ['dev'], workloadSize: 'Small', scaleToZero: true });
  });

  test('accepts a definition without dbt and ML use cases', () => {
    const definition = exampleDefinition();
    delete definition.dbt;
    delete definition.mlUseCases;
    const config = validateDefinition(definition, 'platform.yaml');
    expect(config.dbt).toBeUndefined();
    expect(config.mlUseCases).toEqual([]);
  });

  test("reads the gold models of the repository's dbt project", () => {
    expect(dbtModelNames('gold')).toEqual(expect.arrayContaining(['customer_360', 'fct_orders', 'ml_customer_churn_features']));
    expect(dbtModelNames('gold', '/nonexistent')).toEqual([]);
  });
});
