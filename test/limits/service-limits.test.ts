import { limitContext, limitProblems, SERVICE_LIMITS, type ServiceLimit, serviceLimitProblems, shardLockOf } from '../../lib/limits';
import type { PlatformConfig } from '../../lib/definition';
import { addLargeDomain, itemName } from '../fixtures/large-domain';
import { configWith, exampleConfig, problemsAfter } from '../fixtures/platform';

function limit(id: string): ServiceLimit {
  const found = SERVICE_LIMITS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`test: no limit ${id}`);
  return found;
}

/** The problems of one limit on `config`, with the limit set to `value` (for limits no small definition can reach). */
function problemsAt(id: string, value: number, config: PlatformConfig = exampleConfig()): Array<{ path: readonly (string | number)[]; message: string }> {
  return limitProblems({ ...limit(id), value }, limitContext(config)).map(({ path, message }) => ({ path, message }));
}

describe('the service limits table', () => {
  test('gives each limit a unique id, a positive value, a documented https source and a use function', () => {
    expect(new Set(SERVICE_LIMITS.map((entry) => entry.id)).size).toBe(SERVICE_LIMITS.length);
    for (const entry of SERVICE_LIMITS) {
      expect([entry.id, entry.value > 0, /^https:\/\/(docs\.aws\.amazon\.com|learn\.microsoft\.com|docs\.databricks\.com)\//.test(entry.source)]).toEqual([
        entry.id,
        true,
        true,
      ]);
    }
  });

  test('covers the limits this platform can reach on each cloud', () => {
    expect(SERVICE_LIMITS.map((entry) => entry.id)).toEqual([
      'cloudformation.resources-per-stack',
      'cloudformation.template-bytes',
      'cloudformation.outputs-per-stack',
      'stepfunctions.definition-bytes',
      'stepfunctions.state-payload-bytes',
      'scheduler.schedules-per-region',
      'lakeformation.values-per-tag',
      'lakeformation.tags-per-resource',
      'glue.jobs-per-account',
      'eventhubs.hubs-per-namespace',
      'datafactory.activities-per-pipeline',
      'datafactory.entities-per-factory',
      'databricks.saved-jobs-per-workspace',
      'unitycatalog.tables-per-schema',
      'databricks.concurrent-pipeline-updates',
    ]);
  });

  test('accepts the example, and a 300-dataset domain, which the platform shards', () => {
    expect(serviceLimitProblems(exampleConfig())).toEqual([]);
    const large = configWith((definition) => addLargeDomain(definition, 300, { streams: true }));
    expect(serviceLimitProblems(large)).toEqual([]);
  });
});

describe('each limit, on a definition that breaks it', () => {
  test('cloudformation.resources-per-stack: a recorded shard that holds too many datasets, naming the domain, shard and stack, and how to move them', () => {
    const config = configWith((definition) => addLargeDomain(definition, 200));
    // Everything recorded in one shard: 200 batch datasets make about 600 ingestion resources.
    const crammed = { ...config, shardLock: { big: [config.datasets.filter((d) => d.domain === 'big').map((d) => d.name)] } };
    const problems = serviceLimitProblems(crammed).filter((problem) => problem.limit === 'cloudformation.resources-per-stack');
    expect(problems).toEqual([
      {
        limit: 'cloudformation.resources-per-stack',
        path: ['datasets', config.datasets.findIndex((d) => d.name === itemName(0)), 'domain'],
        message: expect.stringMatching(
          new RegExp(
            String.raw`^domain "big", shard 0: stack acme-<env>-ingestion-big needs 6\d\d resources, beyond AWS CloudFormation's limit of 500 ` +
              String.raw`resources per stack \(fixed\), https://docs\.aws\.amazon\.com/\S+: the platform shards a domain automatically but never ` +
              String.raw`moves a recorded dataset: move some of shard 0's datasets of domain "big" to a new shard in platform\.shards\.yaml`,
          ),
        ),
      },
    ]);
    expect(serviceLimitProblems({ ...config, shardLock: shardLockOf(config) })).toEqual([]);
  });

  test('cloudformation.template-bytes: a dataset too wide for any stack fails validation, naming it', () => {
    const problems = problemsAfter((definition) => {
      const products = definition.datasets.find((d: { name: string }) => d.name === 'products');
      products.columns = [...products.columns, ...Array.from({ length: 12_000 }, (_, c) => ({ name: `attribute_${c}`, type: 'string' }))];
    });
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw`^datasets\[\d+\]\.domain: domain "sales", shard \d+: stack acme-<env>-catalog-sales(-\d+)? needs [\d,]+ bytes, beyond AWS ` +
            String.raw`CloudFormation's limit of 1,000,000 bytes of template body \(from S3\) per stack \(fixed\), \S+: dataset "products" alone ` +
            String.raw`fills the stack and a dataset's resources cannot be split over stacks`,
        ),
      ),
    );
  });

  test('cloudformation.outputs-per-stack: names the environment and says it would be a bug', () => {
    expect(problemsAt('cloudformation.outputs-per-stack', 10)[0]).toEqual({
      path: ['environments', 'dev'],
      message: expect.stringContaining(
        'the shared stacks of environment "dev" (storage, catalog, orchestration, streaming) needs ' +
          "30 outputs, beyond AWS CloudFormation's limit of 10 outputs per stack",
      ),
    });
  });

  test.each([
    ['stepfunctions.definition-bytes', 20_000, "bytes, beyond AWS Step Functions's limit of 20,000 bytes of state machine definition (fixed)"],
    ['stepfunctions.state-payload-bytes', 100, "bytes, beyond AWS Step Functions's limit of 100 bytes of state input or output (payload) (fixed)"],
  ])('%s: names the domain of the pipeline and says to split it', (id, value, text) => {
    const problems = problemsAt(id, value);
    expect(problems[0]).toEqual({
      path: ['datasets', exampleConfig().datasets.findIndex((d) => d.name === 'customers'), 'domain'],
      message: expect.stringMatching(
        new RegExp(
          `^pipeline of domain "sales" \\(5 batch datasets\\) needs [\\d,]+ ${text.replace(/[()]/g, '\\$&')}.*split domain "sales" into smaller domains$`,
        ),
      ),
    });
  });

  test('stepfunctions.state-payload-bytes: the example is far below the limit', () => {
    expect(problemsAt('stepfunctions.state-payload-bytes', 262_144)).toEqual([]);
  });

  test('scheduler.schedules-per-region: names the account, region and environments, and the quota to raise', () => {
    expect(problemsAt('scheduler.schedules-per-region', 5)[0]).toEqual({
      path: ['environments', 'dev', 'aws', 'account'],
      message: expect.stringMatching(
        new RegExp(
          String.raw`^account 111111111111 in eu-west-1 \(environments dev: a schedule per batch dataset each\) needs 7 schedules.*` +
            String.raw`\(raisable: Service Quotas, Amazon EventBridge Scheduler, "Number of schedules"\).*request an increase`,
        ),
      ),
    });
  });

  test('lakeformation.values-per-tag: names the domain beyond the limit', () => {
    expect(problemsAt('lakeformation.values-per-tag', 1)).toEqual([
      {
        path: ['datasets', exampleConfig().datasets.findIndex((d) => d.name === 'web_events'), 'domain'],
        message: expect.stringContaining("2 domains) needs 2 values, beyond AWS Lake Formation's limit of 1 values per LF-tag (fixed)"),
      },
    ]);
  });

  test('lakeformation.tags-per-resource: names each dataset with too many groups', () => {
    const problems = problemsAt('lakeformation.tags-per-resource', 3);
    expect(problems.map((problem) => problem.message)).toContainEqual(
      expect.stringMatching(
        /^the tables of dataset "orders" \(the domain tag and an access tag per group with access: \d\) needs \d tags.*give fewer groups access/,
      ),
    );
  });

  test('glue.jobs-per-account: names the account and quota L-611FDDE4', () => {
    expect(problemsAt('glue.jobs-per-account', 5)[0].message).toMatch(
      /^account 111111111111 in eu-west-1 .* needs 8 jobs, beyond AWS Glue's limit of 5 jobs per account and region \(raisable: .*quota L-611FDDE4\)/,
    );
  });

  test('eventhubs.hubs-per-namespace: more streams than a Standard namespace holds fail validation, saying to change the tier', () => {
    const problems = problemsAfter((definition) => {
      const web = definition.datasets.find((d: { name: string }) => d.name === 'web_events');
      for (let i = 0; i < 10; i++) definition.datasets.push(structuredClone({ ...web, name: `web_events_${i}`, source: { ...web.source, topic: `web.${i}` } }));
    });
    expect(problems).toContainEqual(
      'environments.dev.azure.streaming.sku: the Event Hubs namespace of environment "dev" (Standard: ' +
        "a hub per stream dataset) needs 11 event hubs, beyond Azure Event Hubs's limit of 10 " +
        ('event hubs per namespace (Basic and Standard 10, Premium 100 per processing unit, Dedicated ' +
          '1000) (fixed), https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas: ') +
        'change environments.dev.azure.streaming.sku to Premium (100 event hubs per processing unit)',
    );
  });

  test('eventhubs.hubs-per-namespace: a Premium namespace holds 100 hubs per processing unit', () => {
    const premium = configWith((definition) => {
      addLargeDomain(definition, 440, { streams: true }); // 110 streams
      for (const env of Object.values<any>(definition.environments)) if (env.azure) env.azure.streaming = { sku: 'Premium', capacity: 2 };
    });
    expect(problemsAt('eventhubs.hubs-per-namespace', 10, premium)).toEqual([]);
    const one = {
      ...premium,
      environments: premium.environments.map((env) =>
        env.azure ? { ...env, azure: { ...env.azure, streaming: { sku: 'Premium' as const, capacity: 1 } } } : env,
      ),
    };
    expect(problemsAt('eventhubs.hubs-per-namespace', 10, one)[0].message).toMatch(
      /needs 111 event hubs, beyond Azure Event Hubs's limit of 100 .*: raise environments\.dev\.azure\.streaming\.capacity/,
    );
  });

  test.each([
    [
      'datafactory.activities-per-pipeline',
      5,
      /^the copy pipelines of environment "dev" .* needs 12 activities, beyond Azure Data Factory's limit of 5 activities per pipeline \(fixed\)/,
    ],
    [
      'datafactory.entities-per-factory',
      20,
      /^the Data Factory of environment "dev" \(\d+ batch datasets\) needs \d+ entities.*\(raisable: an Azure support request.*\).*ask Azure support/,
    ],
    [
      'databricks.saved-jobs-per-workspace',
      1,
      /^the workspace of environment "dev" .* needs \d+ jobs, beyond Databricks's limit of 1 saved jobs per workspace \(fixed\)/,
    ],
    [
      'unitycatalog.tables-per-schema',
      5,
      /^each layer schema of environment "dev" \(a table per dataset: \d+\) needs \d+ tables.*\(raisable: the Databricks account team/,
    ],
    [
      'databricks.concurrent-pipeline-updates',
      0,
      /^the workspace of environment "dev" \(a continuous pipeline per domain with streams: 1\) needs 1 pipelines.*put streams in fewer domains$/,
    ],
  ])('%s: names the environment, the limit and the fix', (id, value, message) => {
    expect(problemsAt(id, value)[0].message).toMatch(message);
  });
});

describe('raised service quotas (serviceQuotas)', () => {
  const withQuota = (quotas: Record<string, number>): PlatformConfig => ({ ...exampleConfig(), serviceQuotas: quotas });

  test('validation holds the definition to the raised value instead of the default', () => {
    const jobs = limitContext(exampleConfig());
    const used = Math.max(
      ...limit('glue.jobs-per-account')
        .uses(jobs)
        .map((use) => use.used),
    );
    // The default set below the example's use: refused; raised above it: accepted; raised but still below: refused, saying so.
    expect(limitProblems({ ...limit('glue.jobs-per-account'), value: 1 }, jobs)).not.toEqual([]);
    expect(limitProblems({ ...limit('glue.jobs-per-account'), value: 1 }, limitContext(withQuota({ 'glue.jobs-per-account': used })))).toEqual([]);
    const short = limitProblems({ ...limit('glue.jobs-per-account'), value: 1 }, limitContext(withQuota({ 'glue.jobs-per-account': used - 1 })));
    expect(short.length).toBeGreaterThan(0);
    expect(short[0].message).toContain(`limit of ${(used - 1).toLocaleString('en-US')} jobs`);
    expect(short[0].message).toContain('raised from 1 by serviceQuotas');
  });

  test('a raisable limit says how to raise it and to declare the raised value under serviceQuotas', () => {
    const [problem] = limitProblems({ ...limit('glue.jobs-per-account'), value: 1 }, limitContext(exampleConfig()));
    expect(problem.message).toMatch(/\(raisable: Service Quotas, AWS Glue, "Max jobs per account", quota L-611FDDE4\)/);
    expect(problem.message).toMatch(/; once raised, declare the new value as serviceQuotas\.glue\.jobs-per-account in the definition$/);
  });

  test('refuses an unknown limit, a limit nobody can raise and a value not above the default, naming the entry', () => {
    expect(
      problemsAfter((definition) => {
        definition.serviceQuotas = { 'glue.jobs': 2000, 'cloudformation.resources-per-stack': 1000, 'glue.jobs-per-account': 1000 };
      }),
    ).toEqual([
      expect.stringMatching(
        /^serviceQuotas\.glue\.jobs: "glue\.jobs" is not a limit of lib\/limits\/service-limits\.ts; raisable limits: .*glue\.jobs-per-account/,
      ),
      expect.stringMatching(/^serviceQuotas\.cloudformation\.resources-per-stack: .* \(500\) cannot be raised; raisable limits: /),
      expect.stringMatching(/^serviceQuotas\.glue\.jobs-per-account: 1,000 is not above the default of 1,000 jobs: declare only a raised quota$/),
    ]);
    expect(problemsAfter((definition) => (definition.serviceQuotas = { 'glue.jobs-per-account': 2.5 }))).toEqual([
      expect.stringMatching(/^serviceQuotas\.glue\.jobs-per-account: 2\.5 must be a whole number/),
    ]);
  });
});
