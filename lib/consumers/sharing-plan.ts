/**
 * The Delta Sharing of an environment, from `consumers.shares`: each share of the environment with its gold
 * tables by Unity Catalog name, and each recipient once (a recipient named by several shares is one identity
 * of the metastore, validation holds them equal). A recipient is a reader of exactly the tables of the shares
 * that name it: `SELECT` on those shares and nothing else, which `recipientAccess` states in the access
 * plan's terms (the datasets whose data it receives, in gold) for the access matrix.
 */
import type { PlatformConfig, ShareRecipientConfig } from '../definition';
import { deltaShareName, deltaSharingRecipientName, type NamingScope, qualifiedTableName, unityCatalogLayerSchema } from '../naming';
import { type ModelLineage, modelLineage, readDbtProjectFiles } from '../dbt/lineage';
import { DBT_PROJECT_DIRECTORY } from '../config/dbt-models';

/** What Unity Catalog shares an object as. */
export const SHARED_OBJECT_TYPES = ['TABLE', 'VIEW', 'MATERIALIZED_VIEW'] as const;
export type SharedObjectType = (typeof SHARED_OBJECT_TYPES)[number];

/** The shared object type of a dbt materialization. */
const OBJECT_TYPE_OF: Readonly<Record<string, SharedObjectType>> = {
  table: 'TABLE',
  incremental: 'TABLE',
  snapshot: 'TABLE',
  view: 'VIEW',
  materialized_view: 'MATERIALIZED_VIEW',
};

/** The privilege a recipient holds on each share that names it, and the only one. */
export const RECIPIENT_SHARE_PRIVILEGES = ['SELECT'] as const;

export interface SharedTablePlan {
  /** The gold dbt model. */
  readonly model: string;
  /** `<catalog>.gold.<model>` in the environment's catalog. */
  readonly name: string;
  readonly type: SharedObjectType;
  /** `gold.<model>`: what the recipient sees (never the provider's catalog). */
  readonly sharedAs: string;
  /** The datasets whose data it holds (dbt lineage), sorted. */
  readonly datasets: readonly string[];
}

export interface SharePlan {
  /** The definition's name. */
  readonly share: string;
  /** Unity Catalog name (`deltaShareName`). */
  readonly name: string;
  readonly description: string;
  /** Sorted by name. */
  readonly tables: readonly SharedTablePlan[];
  /** Unity Catalog names of its recipients, sorted. */
  readonly recipients: readonly string[];
}

export interface RecipientPlan {
  /** The definition's name. */
  readonly recipient: string;
  /** Unity Catalog name (`deltaSharingRecipientName`). */
  readonly name: string;
  readonly description?: string;
  readonly access: { readonly kind: 'databricks'; readonly sharingIdentifier: string } | { readonly kind: 'open'; readonly ipAccessList: readonly string[] };
}

export interface DeltaSharingPlan {
  readonly shares: readonly SharePlan[];
  readonly recipients: readonly RecipientPlan[];
}

/**
 * The shares and recipients of one environment (`scope.environment`). `lineage` is the dbt project's
 * (`modelLineage`; default: the repository's project): a share's tables are gold models, shared as the
 * object their materialization builds.
 */
export function deltaSharingPlan(
  config: Pick<PlatformConfig, 'consumers' | 'datasets'>,
  scope: NamingScope,
  catalog: string,
  lineage?: readonly Pick<ModelLineage, 'name' | 'layer' | 'materialized' | 'datasets'>[],
): DeltaSharingPlan {
  const gold = unityCatalogLayerSchema('gold');
  const environmentShares = config.consumers.shares.filter((share) => share.environments.includes(scope.environment));
  if (environmentShares.length === 0) return { shares: [], recipients: [] };
  // The repository's dbt project unless given; read only where something is shared.
  const models = new Map(
    (lineage ?? modelLineage(readDbtProjectFiles(DBT_PROJECT_DIRECTORY), config)).filter((model) => model.layer === 'gold').map((model) => [model.name, model]),
  );
  const recipients = new Map<string, RecipientPlan>();
  const shares = environmentShares.map((share): SharePlan => {
    const tables = [...new Set(share.tables)].map((table): SharedTablePlan => {
      const model = models.get(table);
      if (!model) throw new Error(`consumers.shares "${share.name}": "${table}" is not a gold dbt model; gold models: ${[...models.keys()].sort().join(', ')}`);
      const type = OBJECT_TYPE_OF[model.materialized];
      if (!type)
        throw new Error(
          `consumers.shares "${share.name}": gold model ${table} is materialized as "${model.materialized}", which Delta Sharing cannot share; ` +
            `shareable: ${Object.keys(OBJECT_TYPE_OF).join(', ')}`,
        );
      return {
        model: table,
        name: qualifiedTableName(catalog, { schema: gold, table }),
        type,
        sharedAs: `${gold}.${table}`,
        datasets: [...model.datasets].sort(),
      };
    });
    for (const recipient of share.recipients) if (!recipients.has(recipient.name)) recipients.set(recipient.name, recipientPlan(recipient, scope));
    return {
      share: share.name,
      name: deltaShareName(scope, share.name),
      description: share.description,
      tables: tables.sort((a, b) => a.name.localeCompare(b.name)),
      recipients: share.recipients.map((recipient) => deltaSharingRecipientName(scope, recipient.name)).sort(),
    };
  });
  return { shares, recipients: [...recipients.values()] };
}

function recipientPlan(recipient: ShareRecipientConfig, scope: NamingScope): RecipientPlan {
  return {
    recipient: recipient.name,
    name: deltaSharingRecipientName(scope, recipient.name),
    description: recipient.description,
    access:
      recipient.kind === 'databricks'
        ? { kind: 'databricks', sharingIdentifier: recipient.sharingIdentifier }
        : { kind: 'open', ipAccessList: [...recipient.ipAccessList] },
  };
}

/** What one recipient reads: through which share, which tables, holding which datasets' data (in gold). */
export interface RecipientAccess {
  readonly recipient: string;
  readonly share: string;
  readonly tables: readonly string[];
  readonly datasets: readonly string[];
}

/** Every recipient's access, one entry per recipient and share, sorted: the consumers' part of the access plan. */
export function recipientAccess(plan: DeltaSharingPlan): RecipientAccess[] {
  return plan.shares
    .flatMap((share) =>
      share.recipients.map((recipient) => ({
        recipient,
        share: share.name,
        tables: share.tables.map((table) => table.name),
        datasets: [...new Set(share.tables.flatMap((table) => table.datasets))].sort(),
      })),
    )
    .sort((a, b) => a.recipient.localeCompare(b.recipient) || a.share.localeCompare(b.share));
}
