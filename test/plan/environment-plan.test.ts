import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { TerraformStack } from 'cdktf';
import { buildAwsApp } from '../../bin/aws-app';
import { buildCdktfApp } from '../../bin/cdktf-app';
import { environmentStacks } from '../../lib/plan/environment-plan';
import { addLargeDomain, itemName } from '../fixtures/large-domain';
import { configWith, environmentOf, exampleConfig } from '../fixtures/platform';

/** The stacks both apps really create, by name. */
function stacksOfApps(config: ReturnType<typeof exampleConfig>): string[] {
  const aws = buildAwsApp(config, { policyGates: false }).node.children.filter((child): child is Stack => Stack.isStack(child));
  const terraform = buildCdktfApp(config, { outdir: join(tmpdir(), 'unused-cdktf-out') }).node.children.filter((child) => child instanceof TerraformStack);
  return [...aws.map((stack) => stack.stackName), ...terraform.map((stack) => stack.node.id)].sort();
}

function plannedStacks(config: ReturnType<typeof exampleConfig>): string[] {
  return config.environments.flatMap((env) => environmentStacks(config, env).map((stack) => stack.name)).sort();
}

describe('environmentStacks', () => {
  test('lists exactly the stacks the CDK and CDKTF apps create for the example definition', () => {
    const config = exampleConfig();
    expect(plannedStacks(config)).toEqual(stacksOfApps(config));
  });

  test('follows the definition: no stream dataset, no streaming stack; no AWS, no AWS stacks', () => {
    const config = configWith((d) => {
      d.datasets = d.datasets.filter((dataset: { source: { kind: string } }) => dataset.source.kind !== 'stream');
      delete d.consumers; // the shares' dbt lineage reads the stream datasets
      d.environments.staging.clouds = ['azure', 'databricks'];
      delete d.environments.staging.aws;
    });
    expect(plannedStacks(config)).toEqual(stacksOfApps(config));
    expect(plannedStacks(config).filter((name) => name.includes('streaming'))).toEqual([]);
    expect(plannedStacks(config).filter((name) => name.startsWith('acme-staging-') && !/-(azure|databricks)-/.test(name))).toEqual([]);
  });

  test('gives Databricks stacks only to environments whose clouds include databricks', () => {
    const config = configWith((d) => {
      d.environments.dev.clouds = ['aws', 'azure'];
      delete d.environments.dev.databricks;
    });
    expect(plannedStacks(config)).toEqual(stacksOfApps(config));
    expect(plannedStacks(config).filter((name) => name.includes('-databricks-'))).toEqual([
      'acme-prod-databricks-lakehouse',
      'acme-prod-databricks-workspace',
      'acme-staging-databricks-lakehouse',
      'acme-staging-databricks-workspace',
    ]);
  });

  test('puts the Databricks workspace before the Azure ingestion stack that links it, and the lakehouse last', () => {
    const config = exampleConfig();
    const names = environmentStacks(config, config.environments[0]).map((stack) => stack.name);
    expect(names.indexOf('acme-dev-databricks-workspace')).toBeLessThan(names.indexOf('acme-dev-azure-ingestion'));
    expect(names.indexOf('acme-dev-azure-network')).toBeLessThan(names.indexOf('acme-dev-databricks-workspace'));
    expect(names.at(-1)).toBe('acme-dev-databricks-lakehouse');
  });

  test('deploys each pipeline stack after the kubernetes stack exactly where the Spark step may run on EMR on EKS', () => {
    const config = exampleConfig();
    const dependencies = (environment: string) =>
      environmentStacks(config, config.environments.find((env) => env.name === environment) as (typeof config.environments)[number])
        .filter((stack) => stack.concern === 'orchestration' && stack.domain !== undefined)
        .map((stack) => [stack.name, stack.dependsOn.map((dependency) => dependency.stack)]);
    expect(dependencies('prod')).toEqual([
      ['acme-prod-orchestration-sales', ['acme-prod-orchestration', 'acme-prod-kubernetes']],
      ['acme-prod-orchestration-marketing', ['acme-prod-orchestration', 'acme-prod-kubernetes']],
    ]);
    expect(dependencies('dev').flatMap(([, on]) => on)).not.toContain('acme-dev-kubernetes');
    const sales = environmentStacks(config, config.environments[2]).find((stack) => stack.name === 'acme-prod-orchestration-sales');
    expect(sales?.dependsOn[1].reason).toBe(
      'an execution may run the Spark step on the EMR on EKS virtual cluster, with its job role (sparkRuntime kubernetes)',
    );
  });

  test('plans the api stack where consumers.api deploys the gold API, after the stacks it takes its dependencies from', () => {
    const config = configWith((d) => (d.consumers.api.environments = ['dev', 'prod']));
    expect(plannedStacks(config)).toEqual(stacksOfApps(config));
    expect(plannedStacks(config).filter((name) => name.endsWith('-api'))).toEqual(['acme-dev-api', 'acme-prod-api']);
    const dev = environmentStacks(config, config.environments[0]);
    const api = dev.find((stack) => stack.concern === 'api');
    expect(api?.dependsOn.map((dependency) => dependency.stack)).toEqual([
      'acme-dev-storage',
      'acme-dev-network',
      'acme-dev-catalog',
      'acme-dev-analytics',
      'acme-dev-orchestration',
    ]);
    expect(api?.dependsOn[2].reason).toBe("the function's role reads the gold tables through the catalog's API tag");
    const withoutApi = configWith((d) => delete d.consumers.api);
    expect(plannedStacks(withoutApi).filter((name) => name.endsWith('-api'))).toEqual([]);
  });

  test('plans the cost stack of every environment with a budget, and none without one', () => {
    const config = configWith((d) => delete d.environments.dev.budget);
    expect(plannedStacks(config)).toEqual(stacksOfApps(config));
    expect(plannedStacks(config).filter((name) => name.endsWith('-cost'))).toEqual(['acme-prod-cost', 'acme-staging-cost']);
  });

  test('plans the cost stack without datasets, when there is no orchestration stack whose topic it could use', () => {
    const config = configWith((d) => {
      d.datasets = [];
      delete d.consumers; // they name datasets
    });
    expect(plannedStacks(config).filter((name) => /-(cost|orchestration)$/.test(name))).toEqual(['acme-dev-cost', 'acme-prod-cost', 'acme-staging-cost']);
  });
});

describe('per-domain stacks of a large domain', () => {
  test('come in shards: shard 0 keeps the domain name, each shard deploys after its own catalog stack and holds its datasets', () => {
    const config = configWith((definition) => addLargeDomain(definition, 300, { streams: true }));
    const stacks = environmentStacks(config, environmentOf(config, 'dev'));
    const big = stacks.filter((stack) => stack.domain === 'big' && stack.concern !== 'orchestration');
    expect(big.filter((stack) => stack.shard === 0).map((stack) => stack.name)).toEqual([
      'acme-dev-catalog-big',
      'acme-dev-ingestion-big',
      'acme-dev-streaming-big',
    ]);
    const ingestion1 = stacks.find((stack) => stack.name === 'acme-dev-ingestion-big-1');
    expect(ingestion1?.dependsOn.map((dependency) => dependency.stack)).toContain('acme-dev-catalog-big-1');
    expect(stacks.find((stack) => stack.name === 'acme-dev-streaming-big-1')?.dependsOn.map((dependency) => dependency.stack)).toContain(
      'acme-dev-catalog-big-1',
    );
    const catalogs = big.filter((stack) => stack.concern === 'catalog');
    expect(catalogs.flatMap((stack) => stack.datasets ?? []).sort()).toEqual(Array.from({ length: 300 }, (_, index) => itemName(index)));
    // One pipeline per domain, however many shards.
    expect(stacks.filter((stack) => stack.concern === 'orchestration' && stack.domain === 'big').map((stack) => stack.name)).toEqual([
      'acme-dev-orchestration-big',
    ]);
  });
});
