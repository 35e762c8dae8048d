import { Catalogue, type DatasetConfig, type EnvironmentConfig, isStream, LAYERS, layerAccess, type PlatformConfig } from '../definition';
import { databaseLoad } from '../lake/ingestion-arguments';
import { domainShardPart } from '../naming/stack-names';
import {
  DOMAIN_STACK_CONCERNS,
  type DomainStackConcern,
  type Footprint,
  holdsAny,
  pipelineDefinitionBytes,
  pipelinePayloadBytes,
  type SchemaVersionCount,
  stackFootprint,
} from './stack-footprint';

/**
 * The service limits this platform can reach, as data: each with its documented value and source, whether
 * it can be raised (and how), and how much of it a definition uses. `serviceLimitProblems` (check.ts)
 * holds every definition to the table at validation, so `npm run validate` and synth refuse a definition
 * that would fail at deploy time, naming the dataset or domain, the limit and the fix.
 */

/** Where a definition uses a limit, and how much. */
export interface LimitUse {
  /** What uses it, in words: `domain "sales", shard 1: stack <prefix>-<env>-ingestion-sales-1`. */
  readonly subject: string;
  /** The definition path a problem is reported at (e.g. `['datasets', 4, 'domain']`). */
  readonly path: readonly (string | number)[];
  readonly used: number;
  /**
   * The limit that applies to this use, where it differs from the table's value (a tier's value).
   * @default - the table's value
   */
  readonly allowed?: number;
  /** What to do when `used` exceeds `allowed`. */
  readonly fix: string;
}

/** What the use functions read: the resolved definition and the shards of each domain (lib/limits/domain-shards.ts). */
export interface LimitContext {
  readonly config: PlatformConfig;
  readonly shards: ReadonlyMap<string, readonly (readonly DatasetConfig[])[]>;
  /** The registered message schema versions of each stream. */
  readonly schemaVersions: SchemaVersionCount;
}

/** How a limit is raised; absent for a limit nobody can raise. */
export interface LimitIncrease {
  /** The Service Quotas code (AWS), where the quota is in Service Quotas. */
  readonly quotaCode?: string;
  /** How to ask, in words. */
  readonly how: string;
}

export interface ServiceLimit {
  /** `<service>.<what>`, stable: tests and the README refer to it. */
  readonly id: string;
  readonly cloud: 'aws' | 'azure' | 'databricks';
  readonly service: string;
  /** What is limited and per what, e.g. "resources per stack". */
  readonly limit: string;
  /** The documented default value; for a tiered limit, the value of the platform's default tier. */
  readonly value: number;
  /** The unit of `value` and of each use (e.g. "resources", "bytes"). */
  readonly unit: string;
  /** The page that documents the value. */
  readonly source: string;
  readonly increase?: LimitIncrease;
  /** Each place the definition uses the limit. */
  readonly uses: (context: LimitContext) => LimitUse[];
}

const awsEnvironments = (config: PlatformConfig) => config.environments.filter((env) => env.clouds.includes('aws') && env.aws);
const azureEnvironments = (config: PlatformConfig) => config.environments.filter((env) => env.clouds.includes('azure') && env.azure);
const databricksEnvironments = (config: PlatformConfig) => config.environments.filter((env) => env.clouds.includes('databricks') && env.databricks);

/** The definition path of a dataset's field, by name (the issue then names the dataset). */
function datasetPath(config: PlatformConfig, dataset: DatasetConfig, field: string): (string | number)[] {
  return ['datasets', config.datasets.indexOf(dataset), field];
}

/** The environments that share one AWS account and region (their account-wide quotas add up), in definition order. */
function byAccountAndRegion(config: PlatformConfig): Array<{ key: string; environments: EnvironmentConfig[] }> {
  const groups = new Map<string, EnvironmentConfig[]>();
  for (const env of awsEnvironments(config)) {
    const key = `account ${env.aws?.account} in ${env.aws?.region}`;
    groups.set(key, [...(groups.get(key) ?? []), env]);
  }
  return [...groups.entries()].map(([key, environments]) => ({ key, environments }));
}

const CLOUDFORMATION_QUOTAS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html';

/**
 * Each per-domain stack of each shard (as every AWS environment plans it), with its estimated size. The
 * fix depends on why the stack is too large: a lone dataset cannot be split; a recorded shard is never
 * rearranged by the platform, only by hand.
 */
function domainStackUses(context: LimitContext, measure: (footprint: Footprint) => number): LimitUse[] {
  const { config } = context;
  const environment = awsEnvironments(config)[0];
  if (!environment) return [];
  return [...context.shards].flatMap(([domain, shards]) =>
    shards.flatMap((datasets, shard) =>
      DOMAIN_STACK_CONCERNS.filter((concern: DomainStackConcern) => holdsAny(concern, datasets)).map((concern) => {
        const stack = `${config.prefix}-<env>-${concern}-${domainShardPart(domain, shard).replace(/_/g, '-')}`;
        const fix =
          datasets.length === 1
            ? `dataset "${datasets[0].name}" alone fills the stack and a dataset's resources cannot be split ` +
              `over stacks: give it fewer columns, quality rules or schema versions`
            : config.shardLock?.[domain] !== undefined
              ? `the platform shards a domain automatically but never moves a recorded dataset: move some of shard ${shard}'s datasets of domain ` +
                `"${domain}" to a new shard in platform.shards.yaml (their resources are then replaced), or narrow their tables`
              : `the platform shards domain "${domain}" automatically; this shard was filled before its tables ` +
                `widened: narrow them, or record a new split in platform.shards.yaml`;
        return {
          subject: `domain "${domain}", shard ${shard}: stack ${stack}`,
          path: datasetPath(config, datasets[0], 'domain'),
          used: measure(stackFootprint(concern, datasets, context.schemaVersions)),
          fix,
        };
      }),
    ),
  );
}

/** Each domain's pipeline (one Step Functions state machine per domain and AWS environment). */
function pipelineUses(context: LimitContext, measure: (batch: readonly DatasetConfig[]) => number, what: string): LimitUse[] {
  const { config } = context;
  if (awsEnvironments(config).length === 0) return [];
  return Catalogue.of(config)
    .pipelines()
    .filter((pipeline) => pipeline.batchDatasets.length > 0)
    .map((pipeline) => ({
      subject: `pipeline of domain "${pipeline.name}" (${pipeline.batchDatasets.length} batch datasets)`,
      path: datasetPath(config, pipeline.batchDatasets[0], 'domain'),
      used: measure(pipeline.batchDatasets),
      fix: `a domain's batch datasets share one ${what}, which cannot be raised: split domain "${pipeline.name}" into smaller domains`,
    }));
}

/** The Event Hubs an environment's namespace may hold, per tier and capacity (Premium: per processing unit). */
export const EVENT_HUBS_PER_NAMESPACE: Readonly<Record<string, { readonly hubs: number; readonly perCapacityUnit: boolean }>> = {
  Basic: { hubs: 10, perCapacityUnit: false },
  Standard: { hubs: 10, perCapacityUnit: false },
  Premium: { hubs: 100, perCapacityUnit: true },
  Dedicated: { hubs: 1000, perCapacityUnit: false },
};

/**
 * Data Factory entities of one batch dataset's copy (constructs/azure/dataset-copy-pipeline.ts): its
 * pipeline, trigger, source and sink datasets; a source linked service for database and API sources; a
 * watermark state dataset where Data Factory keeps one (files, and databases loaded incrementally without CDC).
 */
function dataFactoryEntitiesOf(dataset: DatasetConfig): number {
  const source = dataset.source;
  const linkedService = source.kind === 'database' || source.kind === 'api';
  const watermark = source.kind === 'files' || (source.kind === 'database' && !dataset.cdc && databaseLoad(dataset, source) === 'incremental');
  return 4 + (linkedService ? 1 : 0) + (watermark ? 1 : 0);
}

/** What a factory holds besides the datasets' copies: its linked services (lake, Key Vault, SQL, Databricks) and runtime. */
const DATA_FACTORY_SHARED_ENTITIES = 6;

/**
 * Most activities of one dataset's copy pipeline: a change-feed copy (read the position, copy, land the
 * changes, store the position, with their checks) and the Databricks processing run after it.
 */
export const DATA_FACTORY_ACTIVITIES_PER_COPY = 12;

/** The most exports (CloudFormation outputs) one shared stack gives the per-domain stacks: one per shared value, never per dataset. */
export const SHARED_STACK_EXPORTS = 30;

export const SERVICE_LIMITS: readonly ServiceLimit[] = [
  {
    id: 'cloudformation.resources-per-stack',
    cloud: 'aws',
    service: 'AWS CloudFormation',
    limit: 'resources per stack',
    value: 500,
    unit: 'resources',
    source: CLOUDFORMATION_QUOTAS,
    uses: (context) => domainStackUses(context, (footprint) => footprint.resources),
  },
  {
    id: 'cloudformation.template-bytes',
    cloud: 'aws',
    service: 'AWS CloudFormation',
    limit: 'bytes of template body (from S3) per stack',
    value: 1_000_000,
    unit: 'bytes',
    source: CLOUDFORMATION_QUOTAS,
    uses: (context) => domainStackUses(context, (footprint) => footprint.templateBytes),
  },
  {
    id: 'cloudformation.outputs-per-stack',
    cloud: 'aws',
    service: 'AWS CloudFormation',
    limit: 'outputs per stack',
    value: 200,
    unit: 'outputs',
    source: CLOUDFORMATION_QUOTAS,
    // Per-domain stacks declare no outputs; the shared stacks they use export each shared value once (the CDK
    // reuses an export for every stack that reads it), so exports do not grow with datasets or domains.
    uses: ({ config }) =>
      awsEnvironments(config).map((env) => ({
        subject: `the shared stacks of environment "${env.name}" (storage, catalog, orchestration, streaming)`,
        path: ['environments', env.name],
        used: SHARED_STACK_EXPORTS,
        fix: 'a shared stack exports each value once; more exports mean a construct exports per dataset: report it as a bug',
      })),
  },
  {
    id: 'stepfunctions.definition-bytes',
    cloud: 'aws',
    service: 'AWS Step Functions',
    limit: 'bytes of state machine definition',
    value: 1_048_576,
    unit: 'bytes',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html',
    uses: (context) => pipelineUses(context, pipelineDefinitionBytes, 'state machine definition'),
  },
  {
    id: 'stepfunctions.state-payload-bytes',
    cloud: 'aws',
    service: 'AWS Step Functions',
    limit: 'bytes of state input or output (payload)',
    value: 262_144,
    unit: 'bytes',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html',
    uses: (context) => pipelineUses(context, pipelinePayloadBytes, 'execution input (every dataset name)'),
  },
  {
    id: 'scheduler.schedules-per-region',
    cloud: 'aws',
    service: 'Amazon EventBridge Scheduler',
    limit: 'schedules per account and region',
    value: 10_000_000,
    unit: 'schedules',
    source: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html',
    increase: { how: 'Service Quotas, Amazon EventBridge Scheduler, "Number of schedules"' },
    uses: ({ config }) =>
      byAccountAndRegion(config).map(({ key, environments }) => ({
        subject: `${key} (environments ${environments.map((env) => env.name).join(', ')}: a schedule per batch dataset each)`,
        path: ['environments', environments[0].name, 'aws', 'account'],
        used: environments.length * Catalogue.of(config).batch().length,
        fix: `request an increase of "Number of schedules" in Service Quotas (EventBridge Scheduler) for ${key}, or give an environment its own account`,
      })),
  },
  {
    id: 'lakeformation.values-per-tag',
    cloud: 'aws',
    service: 'AWS Lake Formation',
    limit: 'values per LF-tag',
    value: 1000,
    unit: 'values',
    source: 'https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-notes.html',
    uses: ({ config }) => {
      const domains = Catalogue.of(config).domainsInDefinitionOrder();
      if (awsEnvironments(config).length === 0 || domains.length === 0) return [];
      const last = Catalogue.of(config).byDomain(domains[domains.length - 1])[0];
      return [
        {
          subject: `the domain tag <prefix>_<env>_domain (one value per domain: ${domains.length} domains)`,
          path: datasetPath(config, last, 'domain'),
          used: domains.length,
          fix: 'the domain tag holds one value per domain and cannot take more: merge domains',
        },
      ];
    },
  },
  {
    id: 'lakeformation.tags-per-resource',
    cloud: 'aws',
    service: 'AWS Lake Formation',
    limit: 'LF-tags per resource',
    value: 50,
    unit: 'tags',
    source: 'https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-notes.html',
    uses: ({ config }) =>
      awsEnvironments(config).length === 0
        ? []
        : config.datasets.map((dataset) => {
            const groups = new Set(LAYERS.flatMap((layer) => [...layerAccess(dataset, layer).keys()]));
            return {
              subject: `the tables of dataset "${dataset.name}" (the domain tag and an access tag per group with access: ${groups.size})`,
              path: datasetPath(config, dataset, 'readers'),
              used: 1 + groups.size,
              fix: 'a table takes at most 50 LF-tags: give fewer groups access to the dataset (grant a group that holds them)',
            };
          }),
  },
  {
    id: 'glue.jobs-per-account',
    cloud: 'aws',
    service: 'AWS Glue',
    limit: 'jobs per account and region',
    value: 1000,
    unit: 'jobs',
    source: 'https://docs.aws.amazon.com/general/latest/gr/glue.html',
    increase: { quotaCode: 'L-611FDDE4', how: 'Service Quotas, AWS Glue, "Max jobs per account"' },
    uses: ({ config }) =>
      byAccountAndRegion(config).map(({ key, environments }) => ({
        subject: `${key} (environments ${environments.map((env) => env.name).join(', ')}: a Glue job per dataset each)`,
        path: ['environments', environments[0].name, 'aws', 'account'],
        used: environments.length * config.datasets.length,
        fix: `request an increase of "Max jobs per account" (quota L-611FDDE4) in Service Quotas for ${key}, or give an environment its own account`,
      })),
  },
  {
    id: 'eventhubs.hubs-per-namespace',
    cloud: 'azure',
    service: 'Azure Event Hubs',
    limit: 'event hubs per namespace (Basic and Standard 10, Premium 100 per processing unit, Dedicated 1000)',
    value: EVENT_HUBS_PER_NAMESPACE.Standard.hubs,
    unit: 'event hubs',
    source: 'https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas',
    uses: ({ config }) => {
      const streams = Catalogue.of(config).streams();
      if (streams.length === 0) return [];
      return azureEnvironments(config).map((env) => {
        const { sku, capacity } = env.azure?.streaming ?? { sku: 'Standard', capacity: 1 };
        const tier = EVENT_HUBS_PER_NAMESPACE[sku];
        const allowed = tier.hubs * (tier.perCapacityUnit ? capacity : 1);
        return {
          subject:
            `the Event Hubs namespace of environment "${env.name}" (${sku}${tier.perCapacityUnit ? `, ${capacity} processing units` : ''}: ` +
            `a hub per stream dataset)`,
          path: ['environments', env.name, 'azure', 'streaming', 'sku'],
          used: streams.length,
          allowed,
          fix:
            sku === 'Premium'
              ? `raise environments.${env.name}.azure.streaming.capacity (100 event hubs per processing unit)`
              : `change environments.${env.name}.azure.streaming.sku to Premium (100 event hubs per processing unit)`,
        };
      });
    },
  },
  {
    id: 'datafactory.activities-per-pipeline',
    cloud: 'azure',
    service: 'Azure Data Factory',
    limit: 'activities per pipeline',
    value: 80,
    unit: 'activities',
    source: 'https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-data-factory-limits',
    // One copy pipeline per dataset: its activities do not grow with the catalogue.
    uses: ({ config }) =>
      azureEnvironments(config).flatMap((env) =>
        Catalogue.of(config)
          .batch()
          .slice(0, 1)
          .map((dataset) => ({
            subject: `the copy pipelines of environment "${env.name}" (one per batch dataset, at most ${DATA_FACTORY_ACTIVITIES_PER_COPY} activities each)`,
            path: datasetPath(config, dataset, 'source'),
            used: DATA_FACTORY_ACTIVITIES_PER_COPY,
            fix: 'a copy pipeline holds one dataset; more activities mean the pipeline layout changed: report it as a bug',
          })),
      ),
  },
  {
    id: 'datafactory.entities-per-factory',
    cloud: 'azure',
    service: 'Azure Data Factory',
    limit: 'entities (pipelines, datasets, triggers, linked services, runtimes) per factory',
    value: 5000,
    unit: 'entities',
    source: 'https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-data-factory-limits',
    increase: { how: 'an Azure support request for "Data Factory: total entities per factory"' },
    uses: ({ config }) => {
      const batch = Catalogue.of(config).batch();
      if (batch.length === 0) return [];
      return azureEnvironments(config).map((env) => ({
        subject: `the Data Factory of environment "${env.name}" (${batch.length} batch datasets)`,
        path: ['environments', env.name, 'azure'],
        used: DATA_FACTORY_SHARED_ENTITIES + batch.reduce((sum, dataset) => sum + dataFactoryEntitiesOf(dataset), 0),
        fix: 'ask Azure support to raise "total entities per factory"; one factory per environment holds every copy (factories are not sharded)',
      }));
    },
  },
  {
    id: 'databricks.saved-jobs-per-workspace',
    cloud: 'databricks',
    service: 'Databricks',
    limit: 'saved jobs per workspace',
    value: 10_000,
    unit: 'jobs',
    source: 'https://docs.databricks.com/aws/en/resources/limits',
    uses: ({ config }) =>
      databricksEnvironments(config).map((env) => ({
        subject: `the workspace of environment "${env.name}" (the table grants job, the dbt job and a training job per ML use case)`,
        path: ['environments', env.name, 'databricks'],
        used: 1 + (config.dbt ? 1 : 0) + config.mlUseCases.length,
        fix: 'a workspace saves at most 10,000 jobs and the limit is fixed: give fewer ML use cases a training job',
      })),
  },
  {
    id: 'unitycatalog.tables-per-schema',
    cloud: 'databricks',
    service: 'Databricks Unity Catalog',
    limit: 'tables per schema',
    value: 10_000,
    unit: 'tables',
    source: 'https://docs.databricks.com/aws/en/data-governance/unity-catalog/#resource-quotas',
    increase: { how: 'the Databricks account team (Unity Catalog resource quotas)' },
    uses: ({ config }) =>
      databricksEnvironments(config).map((env) => ({
        subject: `each layer schema of environment "${env.name}" (a table per dataset: ${config.datasets.length})`,
        path: ['datasets'],
        used: config.datasets.length,
        fix: 'each layer schema holds a table per dataset: ask the Databricks account team to raise "tables per schema"',
      })),
  },
  {
    id: 'databricks.concurrent-pipeline-updates',
    cloud: 'databricks',
    service: 'Databricks Lakeflow Declarative Pipelines (Delta Live Tables)',
    limit: 'concurrent pipeline updates per workspace',
    value: 100,
    unit: 'pipelines',
    source: 'https://docs.databricks.com/aws/en/resources/limits',
    uses: ({ config }) => {
      const domains = Catalogue.of(config).streamDomains();
      if (domains.length === 0) return [];
      return databricksEnvironments(config).map((env) => ({
        subject: `the workspace of environment "${env.name}" (a continuous pipeline per domain with streams: ${domains.length})`,
        path: datasetPath(
          config,
          Catalogue.of(config)
            .byDomain(domains[domains.length - 1])
            .filter(isStream)[0],
          'domain',
        ),
        used: domains.length,
        fix: 'each domain with streams runs one continuous pipeline and the limit is fixed: put streams in fewer domains',
      }));
    },
  },
];

/** The documented value of the limit `id`. */
export function limitValue(id: string): number {
  const limit = SERVICE_LIMITS.find((candidate) => candidate.id === id);
  if (!limit) throw new Error(`no service limit "${id}"; limits: ${SERVICE_LIMITS.map((candidate) => candidate.id).join(', ')}`);
  return limit.value;
}
