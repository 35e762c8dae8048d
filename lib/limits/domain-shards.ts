import { Catalogue, type DatasetConfig, isStream, type PlatformConfig, type ShardLock } from '../definition';
import { limitValue } from './service-limits';
import {
  add,
  DOMAIN_STACK_CONCERNS,
  datasetFootprint,
  type DomainStackConcern,
  type Footprint,
  holdsAny,
  NO_FOOTPRINT,
  type SchemaVersionCount,
  stackBase,
} from './stack-footprint';

/**
 * How a domain's datasets are spread over its per-domain AWS stacks (catalog, ingestion, streaming), so
 * that a domain of any size deploys, and a dataset never moves to another stack (and never changes its
 * logical ids) when datasets are added or removed.
 *
 * A pure function of the current datasets cannot be both: the number of shards must grow with the
 * domain, and any rule that derives a dataset's shard from the set (or from a hash modulo the count)
 * moves datasets when the count changes. So the assignment is recorded, like a lockfile:
 * `platform.shards.yaml` beside the definition (`npm run shards` writes it) lists, for every domain that
 * spans more than one shard, the datasets of each shard. A recorded dataset stays where it is; a new one
 * goes to the first shard with room, else to a new shard. A domain with no entries gets the same fresh
 * assignment (first fit, in definition order), so a small domain needs no entry, its stacks keep their
 * names, and a definition validated in memory needs no file.
 *
 * A domain is recorded from the moment it fills more than SHARD_RECORD_FILL of its first shard, before it
 * needs a second one: so when it outgrows shard 0, the datasets deployed in shard 0 are known and stay
 * there, whatever order the definition lists them in (a fresh first-fit split of an unrecorded domain could
 * put a deployed dataset in the new shard if one was inserted before it or widened).
 */

/** The share of CloudFormation's limits a shard may fill when datasets are assigned: room for tables to widen later. */
export const SHARD_FILL = 0.8;

/** The share of a shard's capacity above which its domain is recorded in `platform.shards.yaml` (see above). */
export const SHARD_RECORD_FILL = 0.5;

/** Most a shard's stacks may hold when a dataset is added to it. */
export const SHARD_CAPACITY: Footprint = {
  resources: Math.floor(limitValue('cloudformation.resources-per-stack') * SHARD_FILL),
  templateBytes: Math.floor(limitValue('cloudformation.template-bytes') * SHARD_FILL),
};

/** The shards of one domain, shard 0 first; a shard left empty (its datasets removed) keeps its place. */
export type DomainShards = readonly (readonly DatasetConfig[])[];

/** The registered schema versions of each stream, as the streaming stack registers them. */
export function schemaVersionsOf(config: Pick<PlatformConfig, 'streamSchemas'>): SchemaVersionCount {
  return (dataset) => config.streamSchemas[dataset.name]?.length ?? 1;
}

/** A shard being filled: its datasets and the running share totals of each of its stacks. */
class OpenShard {
  readonly datasets: DatasetConfig[] = [];
  private readonly shares = new Map<DomainStackConcern, Footprint>();
  /** Its first batch and first stream dataset: what the stacks' own resources depend on. */
  private readonly kinds: DatasetConfig[] = [];

  constructor(private readonly schemaVersions: SchemaVersionCount) {}

  /** Whether `dataset` fits, every stack of the shard staying within SHARD_CAPACITY. */
  hasRoomFor(dataset: DatasetConfig): boolean {
    return DOMAIN_STACK_CONCERNS.every((concern) => {
      const after = this.sizeWith(concern, dataset);
      return after.resources <= SHARD_CAPACITY.resources && after.templateBytes <= SHARD_CAPACITY.templateBytes;
    });
  }

  /** The largest share of SHARD_CAPACITY (resources or template bytes) any stack of the shard takes. */
  fill(): number {
    return Math.max(
      0,
      ...DOMAIN_STACK_CONCERNS.map((concern) => {
        if (!holdsAny(concern, this.kinds)) return 0;
        const size = add(stackBase(concern, this.kinds), this.shares.get(concern) ?? NO_FOOTPRINT);
        return Math.max(size.resources / SHARD_CAPACITY.resources, size.templateBytes / SHARD_CAPACITY.templateBytes);
      }),
    );
  }

  add(dataset: DatasetConfig): void {
    for (const concern of DOMAIN_STACK_CONCERNS)
      this.shares.set(concern, add(this.shares.get(concern) ?? NO_FOOTPRINT, datasetFootprint(concern, dataset, this.schemaVersions)));
    if (!this.kinds.some((kind) => isStream(kind) === isStream(dataset))) this.kinds.push(dataset);
    this.datasets.push(dataset);
  }

  private sizeWith(concern: DomainStackConcern, dataset: DatasetConfig): Footprint {
    const kinds = [...this.kinds, dataset];
    if (!holdsAny(concern, kinds)) return NO_FOOTPRINT;
    return add(add(stackBase(concern, kinds), this.shares.get(concern) ?? NO_FOOTPRINT), datasetFootprint(concern, dataset, this.schemaVersions));
  }
}

/**
 * The shards of every domain, by domain (sorted): recorded datasets where `config.shardLock` puts them
 * (names no longer in the domain are dropped), every other dataset, in definition order, in the first
 * shard with room, else in a new shard.
 */
export function domainShards(config: Pick<PlatformConfig, 'datasets' | 'streamSchemas' | 'shardLock'>): ReadonlyMap<string, DomainShards> {
  return new Map([...openShards(config)].map(([domain, shards]) => [domain, shards.map((shard) => shard.datasets)]));
}

function openShards(config: Pick<PlatformConfig, 'datasets' | 'streamSchemas' | 'shardLock'>): Map<string, OpenShard[]> {
  const catalogue = Catalogue.of(config);
  const schemaVersions = schemaVersionsOf(config);
  const result = new Map<string, OpenShard[]>();
  for (const domain of catalogue.domains()) {
    const datasets = catalogue.byDomain(domain);
    const byName = new Map(datasets.map((dataset) => [dataset.name, dataset]));
    const shards = (config.shardLock?.[domain] ?? []).map((names) => {
      const shard = new OpenShard(schemaVersions);
      for (const name of names) {
        const dataset = byName.get(name);
        if (dataset && !shard.datasets.includes(dataset)) shard.add(dataset);
      }
      return shard;
    });
    const placed = new Set(shards.flatMap((shard) => shard.datasets.map((dataset) => dataset.name)));
    for (const dataset of datasets) {
      if (placed.has(dataset.name)) continue;
      let shard = shards.find((candidate) => candidate.hasRoomFor(dataset));
      if (!shard) {
        shard = new OpenShard(schemaVersions);
        shards.push(shard);
      }
      shard.add(dataset);
    }
    result.set(domain, shards);
  }
  return result;
}

/** Whether a domain's shards must be recorded: it spans several, or fills more than SHARD_RECORD_FILL of its first. */
function mustRecord(shards: readonly OpenShard[]): boolean {
  return shards.slice(1).some((shard) => shard.datasets.length > 0) || (shards[0]?.fill() ?? 0) > SHARD_RECORD_FILL;
}

/** The shards of one domain (see `domainShards`). */
export function shardsOfDomain(config: Pick<PlatformConfig, 'datasets' | 'streamSchemas' | 'shardLock'>, domain: string): DomainShards {
  const shards = domainShards(config).get(domain);
  if (!shards) throw new Error(`domain "${domain}" has no datasets; domains: ${Catalogue.of(config).domains().join(', ') || '(none)'}`);
  return shards;
}

/**
 * What `platform.shards.yaml` should record: every domain that spans several shards or fills more than
 * SHARD_RECORD_FILL of its first (a recorded domain stays recorded), with the dataset names of each shard
 * (trailing empty shards dropped, inner ones kept so numbers stay).
 */
export function shardLockOf(config: Pick<PlatformConfig, 'datasets' | 'streamSchemas' | 'shardLock'>): ShardLock {
  const lock: Record<string, string[][]> = {};
  for (const [domain, shards] of openShards(config)) {
    const names = shards.map((shard) => shard.datasets.map((dataset) => dataset.name));
    while (names.length > 1 && names[names.length - 1].length === 0) names.pop();
    if (mustRecord(shards) || config.shardLock?.[domain] !== undefined) lock[domain] = names;
  }
  return lock;
}

/** One way the recorded shards differ from what `npm run shards` would record. */
export interface ShardLockProblem {
  /** The dataset the problem is about, or the domain's first dataset. */
  readonly dataset: string;
  readonly message: string;
}

/**
 * Where `config.shardLock` (read from `lockFile`) is out of date: a dataset of a recorded domain that it
 * does not record, a recorded name that is not a dataset of that domain (any more), a name recorded twice,
 * a recorded domain with no datasets, and a domain that now spans several shards without entries.
 * Each would let a later change move a dataset between stacks; `npm run shards` fixes all of them.
 */
export function shardLockProblems(config: Pick<PlatformConfig, 'datasets' | 'streamSchemas' | 'shardLock'>, lockFile: string): ShardLockProblem[] {
  const catalogue = Catalogue.of(config);
  const lock = config.shardLock ?? {};
  const rerun = `; run \`npm run shards\` to record the shards (it never moves a recorded dataset) and commit ${lockFile}`;
  const problems: ShardLockProblem[] = [];
  for (const [domain, shards] of Object.entries(lock)) {
    const datasets = catalogue.byDomain(domain);
    if (datasets.length === 0) {
      problems.push({ dataset: '', message: `${lockFile} records domain "${domain}", which has no datasets${rerun}` });
      continue;
    }
    const seen = new Set<string>();
    shards.forEach((names, shard) => {
      for (const name of names) {
        if (seen.has(name)) problems.push({ dataset: name, message: `${lockFile} records dataset "${name}" of domain "${domain}" twice${rerun}` });
        seen.add(name);
        const dataset = catalogue.dataset(name);
        if (dataset?.domain !== domain) {
          const now = dataset ? `now in domain "${dataset.domain}"` : 'no longer defined';
          problems.push({
            dataset: dataset ? name : datasets[0].name,
            message: `${lockFile} records dataset "${name}" in shard ${shard} of domain "${domain}", but it is ${now}${rerun}`,
          });
        }
      }
    });
    for (const dataset of datasets) {
      if (!seen.has(dataset.name))
        problems.push({ dataset: dataset.name, message: `${lockFile} records no shard for dataset "${dataset.name}" of domain "${domain}"${rerun}` });
    }
  }
  for (const [domain, shards] of openShards(config)) {
    if (lock[domain] !== undefined || !mustRecord(shards)) continue;
    const used = shards.filter((shard) => shard.datasets.length > 0).length;
    const need =
      used > 1
        ? `needs ${used} shards of its per-domain stacks`
        : `fills ${Math.round(shards[0].fill() * 100)}% of its first shard (recorded from ${SHARD_RECORD_FILL * 100}%, before it needs a second)`;
    problems.push({ dataset: shards[0].datasets[0].name, message: `domain "${domain}" ${need} and ${lockFile} records none${rerun}` });
  }
  return problems;
}

/**
 * Shards whose names another domain already has: shard 1 of `sales` is `...-sales-1`, as is domain
 * `sales_1` (stack and role names turn underscores into hyphens). Each is refused, naming both.
 */
export function shardNameProblems(config: Pick<PlatformConfig, 'datasets' | 'streamSchemas' | 'shardLock'>): ShardLockProblem[] {
  const shards = domainShards(config);
  const domainParts = new Map([...shards.keys()].map((domain) => [domain.replace(/_/g, '-'), domain]));
  return [...shards].flatMap(([domain, domainShardList]) =>
    domainShardList.flatMap((datasets, shard) => {
      const other = shard === 0 ? undefined : domainParts.get(`${domain}-${shard}`.replace(/_/g, '-'));
      if (other === undefined || datasets.length === 0) return [];
      return [
        {
          dataset: datasets[0].name,
          message:
            `shard ${shard} of domain "${domain}" would take the stack and role names of domain "${other}" ` +
            `(e.g. <prefix>-<env>-catalog-${other.replace(/_/g, '-')}): rename domain "${other}"`,
        },
      ];
    }),
  );
}
