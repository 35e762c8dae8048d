import { type DatasetConfig, isBatch, isStream } from '../definition';

/**
 * How large the per-domain AWS stacks of a set of datasets get: CloudFormation resources and template
 * bytes (as the CDK writes the template), and the Step Functions definition and state payload of a
 * domain's pipeline. Upper estimates, additive per dataset, so a shard's size is the sum of its
 * datasets' shares; `test/limits/stack-footprint.test.ts` synthesizes stacks of varied datasets (every
 * source kind and format, wide tables, long names) and holds each estimate above what the CDK writes.
 */

/** What a stack holds, or what one dataset adds to it. */
export interface Footprint {
  readonly resources: number;
  readonly templateBytes: number;
}

/** The per-domain stacks a shard of a domain is split into (one of each, where it has datasets of that kind). */
export const DOMAIN_STACK_CONCERNS = ['catalog', 'ingestion', 'streaming'] as const;
export type DomainStackConcern = (typeof DOMAIN_STACK_CONCERNS)[number];

/** What a dataset brings into a template besides its names: its columns, each with name, type and comment. */
function columnBytes(dataset: DatasetConfig, perColumn: number, perCharacter: number): number {
  return dataset.columns.reduce(
    (sum, column) => sum + perColumn + perCharacter * (column.name.length + column.type.length + (column.description?.length ?? 0)),
    0,
  );
}

function qualityRuleBytes(dataset: DatasetConfig): number {
  return 250 * dataset.quality.length;
}

/** The registered message schema versions of a stream (each a resource of its own after the first). */
export type SchemaVersionCount = (dataset: DatasetConfig) => number;

interface ConcernModel {
  /** What the stack holds of its own once it holds any dataset. */
  readonly base: (datasets: readonly DatasetConfig[]) => Footprint;
  /** What one dataset adds to the stack; zero for a dataset the stack does not hold. */
  readonly share: (dataset: DatasetConfig, schemaVersions: SchemaVersionCount) => Footprint;
}

/** An empty stack, or a dataset a stack does not hold. */
export const NO_FOOTPRINT: Footprint = { resources: 0, templateBytes: 0 };

/**
 * Customer managed policies IAM attaches to one role by default (adjustable to 20; IAM quotas page). The
 * roles of a domain's stacks keep what grows with their datasets in such policies (constructs/aws
 * PackedManagedPolicies, which fails synth beyond it), so a stack's estimate counts as many per role.
 */
export const IAM_MANAGED_POLICIES_PER_ROLE = 10;

/**
 * The model of each per-domain stack (measured on prod templates: names are longest there):
 * - catalog: a bronze table and its Lake Formation tag association per dataset;
 * - ingestion: per batch dataset a Glue job, a data-quality ruleset and the data-quality role's table
 *   grant; per stream dataset a ruleset; the domain's role, policy, log group, script and grants once, and
 *   at most IAM_MANAGED_POLICIES_PER_ROLE managed policies for each of its two roles (ingestion, data quality);
 * - streaming: per stream a Glue streaming job, its trigger and its message schema (one more resource per
 *   later schema version); the domain's streaming role, policy and grants once, and at most
 *   IAM_MANAGED_POLICIES_PER_ROLE managed policies for the role.
 */
const MODELS: Record<DomainStackConcern, ConcernModel> = {
  catalog: {
    base: () => ({ resources: 0, templateBytes: 2_000 }),
    share: (dataset) => ({
      resources: 2,
      templateBytes: 3_000 + 8 * dataset.name.length + 2 * dataset.description.length + columnBytes(dataset, 50, 2),
    }),
  },
  ingestion: {
    base: (datasets) =>
      datasets.some(isBatch) ? { resources: 9 + 2 * IAM_MANAGED_POLICIES_PER_ROLE, templateBytes: 15_000 } : { resources: 0, templateBytes: 1_500 },
    share: (dataset) =>
      isBatch(dataset)
        ? {
            resources: 3,
            templateBytes: 5_500 + 30 * dataset.name.length + 3 * dataset.description.length + columnBytes(dataset, 45, 1.5) + qualityRuleBytes(dataset),
          }
        : { resources: 1, templateBytes: 800 + 5 * dataset.name.length + dataset.description.length + qualityRuleBytes(dataset) },
  },
  streaming: {
    base: (datasets) => (datasets.some(isStream) ? { resources: 4 + IAM_MANAGED_POLICIES_PER_ROLE, templateBytes: 10_000 } : NO_FOOTPRINT),
    share: (dataset, schemaVersions) => {
      if (!isStream(dataset)) return NO_FOOTPRINT;
      const versions = Math.max(1, schemaVersions(dataset));
      return {
        resources: 3 + (versions - 1),
        templateBytes:
          7_500 +
          35 * dataset.name.length +
          4 * dataset.source.topic.length +
          2 * dataset.description.length +
          columnBytes(dataset, 90, 3) +
          versions * (300 + columnBytes(dataset, 60, 1)),
      };
    },
  },
};

/** The share of one dataset in the stack of `concern` that holds it. */
export function datasetFootprint(concern: DomainStackConcern, dataset: DatasetConfig, schemaVersions: SchemaVersionCount): Footprint {
  return MODELS[concern].share(dataset, schemaVersions);
}

/** The size of the `concern` stack holding `datasets`; nothing when it holds none of their kind (no such stack). */
export function stackFootprint(concern: DomainStackConcern, datasets: readonly DatasetConfig[], schemaVersions: SchemaVersionCount): Footprint {
  if (!holdsAny(concern, datasets)) return NO_FOOTPRINT;
  return datasets.reduce((total, dataset) => add(total, MODELS[concern].share(dataset, schemaVersions)), MODELS[concern].base(datasets));
}

/** What the `concern` stack holds of its own, given its datasets (only their kinds matter). */
export function stackBase(concern: DomainStackConcern, datasets: readonly DatasetConfig[]): Footprint {
  return holdsAny(concern, datasets) ? MODELS[concern].base(datasets) : NO_FOOTPRINT;
}

/** Whether a shard with `datasets` gets a `concern` stack: the streaming stack only where it has streams. */
export function holdsAny(concern: DomainStackConcern, datasets: readonly DatasetConfig[]): boolean {
  return concern === 'streaming' ? datasets.some(isStream) : datasets.length > 0;
}

export function add(a: Footprint, b: Footprint): Footprint {
  return { resources: a.resources + b.resources, templateBytes: a.templateBytes + b.templateBytes };
}

/**
 * Characters of a domain pipeline's Amazon States Language definition: its fixed states (the EMR on EKS
 * branch included) and, per batch dataset, its name in the input check and its job's name in the lookup
 * table (`constructs/aws/pipeline-definition.ts`).
 */
export function pipelineDefinitionBytes(batch: readonly Pick<DatasetConfig, 'name'>[]): number {
  return 20_000 + batch.reduce((sum, dataset) => sum + 100 + 6 * dataset.name.length, 0);
}

/**
 * The largest state payload of a domain pipeline's execution: the input naming every batch dataset
 * (`{"datasets": [...]}`, as `platform run` sends it), which the plan state keeps as a variable; each
 * ingestion job's result is dropped inside the Map, so the Map's output is a few bytes per dataset.
 */
export function pipelinePayloadBytes(batch: readonly Pick<DatasetConfig, 'name'>[]): number {
  return 64 + batch.reduce((sum, dataset) => sum + dataset.name.length + 3, 0);
}
