import { type AccessGroup, Catalogue, LAYERS, type Layer, layerAccess, type PlatformConfig, type TableAccess } from '../definition';
import { BRONZE_WORK_AREA, type LakeArea } from '../lake';
import { combinedAccess } from './access-plan';

/**
 * The Unity Catalog grant matrix of an environment, computed from the definition alone: who may use
 * the catalog, each schema, each external location and each registered model, with which privileges.
 * The lakehouse stack writes one authoritative `databricks_grants` per securable from it, so the
 * grants in the workspace are exactly these and a definition change moves exactly the grants it implies.
 * Reading and changing data is granted per table (`unityCatalogTableGrants`), by whatever creates the
 * table at run time: dbt (the generated grants of each model) and the pipelines (the table grants job).
 *
 * Layout it assumes (see constructs/databricks/lakehouse-catalog.ts): one catalog per environment, a
 * schema per medallion layer (`bronze`, `silver`, `gold`) plus `ml` for registered models, and an
 * external location per ADLS filesystem of the lake (each layer's, and bronze's working data).
 */

/** One principal's privileges on one securable, sorted. */
export interface Grant {
  /** The Databricks account group (`groups.<name>.databricksGroup`). */
  readonly principal: string;
  readonly privileges: readonly string[];
}

/** The schema that holds the registered models of the ML use cases. */
export const ML_SCHEMA = 'ml';

/**
 * The schemas the dbt job writes besides the layers (dbt/dbt_project.yml `+schema` with `schema_per_layer`):
 * `reference`, its reference seeds (the codes silver validates against), and `snapshots`, its type 2
 * snapshots of silver. Only the stewards, who run the job, use them: silver reads them while dbt builds it.
 */
export const DBT_SUPPORT_SCHEMAS = ['reference', 'snapshots'] as const;

/**
 * Every schema of an environment's catalog, with the lake area whose filesystem holds its managed tables
 * (`storage`) and what it is for; Terraform creates exactly these (constructs/databricks/lakehouse-catalog.ts).
 * The bronze schema's Delta tables live in bronze's working data (lib/lake `BRONZE_WORK_AREA`), not in the
 * bronze filesystem: Delta commits by rename and vacuums old files, which bronze, immutable, refuses.
 */
export const CATALOG_SCHEMAS: Readonly<Record<string, { readonly storage: LakeArea; readonly comment: string }>> = {
  bronze: { storage: BRONZE_WORK_AREA, comment: 'The bronze layer' },
  silver: { storage: 'silver', comment: 'The silver layer' },
  gold: { storage: 'gold', comment: 'The gold layer' },
  [ML_SCHEMA]: { storage: 'gold', comment: 'Registered models of the ML use cases' },
  reference: { storage: 'silver', comment: 'Reference data the dbt job loads (seeds/reference), read while silver is built' },
  snapshots: { storage: 'silver', comment: 'Type 2 snapshots the dbt job keeps of silver' },
};

export interface UnityCatalogGrants {
  readonly catalog: readonly Grant[];
  /** By schema name: the layers and `ml`. */
  readonly schemas: Readonly<Record<string, readonly Grant[]>>;
  /** By lake area (the filesystem of the location); an area nobody may read files from directly has no entry. */
  readonly externalLocations: Readonly<Partial<Record<LakeArea, readonly Grant[]>>>;
  /** By ML use case name. */
  readonly registeredModels: Readonly<Record<string, readonly Grant[]>>;
}

/**
 * What stewards (groups owning every dataset, who run the pipelines and the dbt job) may do in a layer's
 * schema: build tables and change them. Reading is per table, even for them.
 */
export const STEWARD_SCHEMA_PRIVILEGES = ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_TABLE', 'MODIFY', 'USE_SCHEMA'] as const;
/** What a group with some table of a layer may do in the layer's schema: enter it; the tables' own grants say what it reads. */
export const READER_SCHEMA_PRIVILEGES = ['USE_SCHEMA'] as const;

/** What a Unity Catalog object of a layer is, for its privileges: a table (Delta, streaming) takes writes, a view or materialized view does not. */
export type TableKind = 'table' | 'view';

/**
 * Unity Catalog privileges per access value and kind of object, the counterpart of Lake Formation's
 * `TABLE_PERMISSIONS`: readers SELECT; owners also change the data of tables (MODIFY) and tag every
 * object (APPLY_TAG, as Lake Formation owners ALTER), nothing more (no MANAGE: they cannot grant).
 */
export const UNITY_CATALOG_TABLE_PRIVILEGES: Readonly<Record<TableKind, Readonly<Record<TableAccess, readonly string[]>>>> = {
  table: { read: ['SELECT'], own: ['APPLY_TAG', 'MODIFY', 'SELECT'] },
  view: { read: ['SELECT'], own: ['APPLY_TAG', 'SELECT'] },
};

/** The grants of one table or view, by what it creates at run time (dbt, a pipeline). */
export interface TableGrants {
  /** Fully qualified name: `<catalog>.<schema>.<table>`. */
  readonly table: string;
  readonly kind: TableKind;
  /** Every principal's privileges; the table's grants are exactly these. */
  readonly grants: readonly Grant[];
}

/** Adds privileges per group name, merging repeated grants. */
class GrantSet {
  private readonly byGroup = new Map<string, Set<string>>();

  add(groups: Iterable<string>, privileges: readonly string[]): this {
    for (const group of groups) {
      const set = this.byGroup.get(group) ?? new Set<string>();
      privileges.forEach((privilege) => set.add(privilege));
      this.byGroup.set(group, set);
    }
    return this;
  }

  /** Grants sorted by principal, privileges sorted; groups resolved to their Databricks group names. */
  toGrants(groups: Readonly<Record<string, AccessGroup>>): Grant[] {
    return [...this.byGroup.entries()]
      .map(([group, privileges]) => {
        const resolved = groups[group];
        if (!resolved) throw new Error(`grant matrix: "${group}" is not a defined group; groups: ${Object.keys(groups).join(', ')}`);
        return { principal: resolved.databricksGroup, privileges: [...privileges].sort() };
      })
      .sort((a, b) => a.principal.localeCompare(b.principal));
  }
}

/**
 * The grant matrix of the definition. Least privilege per layer:
 * - every group that owns or reads anything gets `USE_CATALOG`, and nothing else on the catalog
 *   (schemas are created by Terraform, never by hand);
 * - a layer's schema grants `USE_SCHEMA` to the groups that own or read some dataset in that layer, and
 *   nothing to read: `SELECT` (and the owners' `MODIFY`, `APPLY_TAG`) is granted on each table, from that
 *   table's datasets (`unityCatalogTableGrants`), so a reader of one dataset of a layer reads that
 *   dataset's tables and no other;
 * - only the stewards, the groups that own every dataset, may build tables and change any table of a
 *   layer (`CREATE_*`, `MODIFY`): they run the pipelines and the dbt job;
 * - `READ_FILES` on the bronze external location (the landed files) goes only to the groups that may
 *   read the bronze table of every dataset, since the files of all datasets share its filesystem; the
 *   others read bronze through its tables. Silver, gold and bronze's working data hold managed tables
 *   (and the ingestion state) only, so their locations grant nothing;
 * - an ML use case's owners enter gold (its feature tables grant them `SELECT` like any table), create
 *   models in `ml` and hold all privileges on their model; its readers get `EXECUTE` on the model only.
 */
export function unityCatalogGrants(config: Pick<PlatformConfig, 'datasets' | 'groups' | 'mlUseCases'>): UnityCatalogGrants {
  const catalog = new GrantSet();
  const schemas = Object.fromEntries(Object.keys(CATALOG_SCHEMAS).map((schema) => [schema, new GrantSet()])) as Record<
    Layer | typeof ML_SCHEMA | (typeof DBT_SUPPORT_SCHEMAS)[number],
    GrantSet
  >;
  const owners = new Set(config.datasets.flatMap((dataset) => dataset.owners));
  const stewards = [...owners].filter((group) => config.datasets.every((dataset) => dataset.owners.includes(group)));

  for (const layer of LAYERS) schemas[layer].add(stewards, STEWARD_SCHEMA_PRIVILEGES);
  // The dbt job's own schemas: the stewards build and read them whole; nobody else uses them.
  for (const schema of DBT_SUPPORT_SCHEMAS) schemas[schema].add(stewards, [...STEWARD_SCHEMA_PRIVILEGES, 'SELECT']);
  if (stewards.length > 0) catalog.add(stewards, ['USE_CATALOG']);
  // Owners and readers of a layer enter its schema; what they read there is granted per table.
  for (const dataset of config.datasets) {
    for (const layer of LAYERS) {
      const groups = [...layerAccess(dataset, layer).keys()];
      catalog.add(groups, ['USE_CATALOG']);
      schemas[layer].add(groups, READER_SCHEMA_PRIVILEGES);
    }
  }

  const registeredModels: Record<string, readonly Grant[]> = {};
  for (const useCase of config.mlUseCases) {
    catalog.add([...useCase.owners, ...useCase.readers], ['USE_CATALOG']);
    schemas.gold.add(useCase.owners, READER_SCHEMA_PRIVILEGES);
    schemas[ML_SCHEMA].add(useCase.owners, ['CREATE_MODEL', 'USE_SCHEMA']);
    schemas[ML_SCHEMA].add(useCase.readers, ['USE_SCHEMA']);
    registeredModels[useCase.name] = new GrantSet().add(useCase.owners, ['ALL_PRIVILEGES']).add(useCase.readers, ['EXECUTE']).toGrants(config.groups);
  }

  const bronzeFiles = new GrantSet().add(bronzeFileReaders(config), ['READ_FILES']).toGrants(config.groups);
  return {
    catalog: catalog.toGrants(config.groups),
    schemas: Object.fromEntries(Object.entries(schemas).map(([name, set]) => [name, set.toGrants(config.groups)])),
    externalLocations: bronzeFiles.length > 0 ? { bronze: bronzeFiles } : {},
    registeredModels,
  };
}

/**
 * The groups that may read the landed files of the bronze filesystem directly: those that may use the
 * bronze table of every dataset (the files of all datasets share the filesystem, and an external
 * location grants all of it). Nobody, when there are no datasets.
 */
export function bronzeFileReaders(config: Pick<PlatformConfig, 'datasets'>): string[] {
  if (config.datasets.length === 0) return [];
  return [
    ...combinedAccess(
      config,
      'bronze',
      config.datasets.map((dataset) => dataset.name),
    ).keys(),
  ];
}

/**
 * The Unity Catalog grants of one table or view of a layer that holds the data of the named datasets:
 * each group with access to them (`combinedAccess`) gets the privileges of its access value for that
 * kind of object (`UNITY_CATALOG_TABLE_PRIVILEGES`), by its Databricks group name, sorted.
 */
export function unityCatalogTableGrants(
  config: Pick<PlatformConfig, 'datasets' | 'groups'>,
  layer: Layer,
  datasetNames: readonly string[],
  kind: TableKind,
): Grant[] {
  if (!UNITY_CATALOG_TABLE_PRIVILEGES[kind]) throw new Error(`unityCatalogTableGrants: kind "${String(kind)}" is not one of: table, view`);
  const grants = new GrantSet();
  for (const [group, access] of combinedAccess(config, layer, datasetNames)) grants.add([group], UNITY_CATALOG_TABLE_PRIVILEGES[kind][access]);
  return grants.toGrants(config.groups);
}

/**
 * Who may use what in the workspace besides Unity Catalog, from the same definition: stewards run job
 * compute and the dbt job, a domain's owners its pipeline; every group with any access may use interactive compute
 * and the SQL warehouse (what they can read is still decided by the grants above).
 */
export interface WorkspaceAccess {
  /** Databricks groups that own at least one dataset. */
  readonly dataOwners: readonly string[];
  /** Databricks groups that own every dataset (they run job compute and the dbt job). */
  readonly stewards: readonly string[];
  /** Databricks groups that own or read anything (datasets or ML use cases). */
  readonly everyone: readonly string[];
  /** Owners of the datasets of each domain. */
  readonly domainOwners: Readonly<Record<string, readonly string[]>>;
}

export function workspaceAccess(config: Pick<PlatformConfig, 'datasets' | 'groups' | 'mlUseCases'>): WorkspaceAccess {
  const resolve = (names: Iterable<string>) => [...new Set([...names].map((name) => config.groups[name]?.databricksGroup ?? name))].sort();
  const everyone = [
    ...config.datasets.flatMap((dataset) => [...dataset.owners, ...LAYERS.flatMap((layer) => dataset.readers[layer])]),
    ...config.mlUseCases.flatMap((useCase) => [...useCase.owners, ...useCase.readers]),
  ];
  const domains = Catalogue.of(config).domainsInDefinitionOrder();
  return {
    dataOwners: resolve(config.datasets.flatMap((dataset) => dataset.owners)),
    stewards: resolve([...new Set(config.datasets.flatMap((d) => d.owners))].filter((group) => config.datasets.every((d) => d.owners.includes(group)))),
    everyone: resolve(everyone),
    domainOwners: Object.fromEntries(domains.map((domain) => [domain, resolve(config.datasets.filter((d) => d.domain === domain).flatMap((d) => d.owners))])),
  };
}
