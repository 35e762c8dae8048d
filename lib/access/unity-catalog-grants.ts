import { type AccessGroup, Catalogue, LAYERS, type Layer, layerAccess, type PlatformConfig } from '../definition';

/**
 * The Unity Catalog grant matrix of an environment, computed from the definition alone: who may use
 * the catalog, each schema, each external location and each registered model, with which privileges.
 * The lakehouse stack writes one authoritative `databricks_grants` per securable from it, so the
 * grants in the workspace are exactly these and a definition change moves exactly the grants it implies.
 *
 * Layout it assumes (see constructs/databricks/lakehouse-catalog.ts): one catalog per environment, a
 * schema per medallion layer (`bronze`, `silver`, `gold`) plus `ml` for registered models, and an
 * external location per layer's ADLS filesystem.
 */

/** One principal's privileges on one securable, sorted. */
export interface Grant {
  /** The Databricks account group (`groups.<name>.databricksGroup`). */
  readonly principal: string;
  readonly privileges: readonly string[];
}

/** The schema that holds the registered models of the ML use cases. */
export const ML_SCHEMA = 'ml';

export interface UnityCatalogGrants {
  readonly catalog: readonly Grant[];
  /** By schema name: the layers and `ml`. */
  readonly schemas: Readonly<Record<string, readonly Grant[]>>;
  /** By layer; a layer nobody may read files from directly has no entry. */
  readonly externalLocations: Readonly<Partial<Record<Layer, readonly Grant[]>>>;
  /** By ML use case name. */
  readonly registeredModels: Readonly<Record<string, readonly Grant[]>>;
}

/** What stewards (groups owning every dataset) may do in a layer's schema: build and change tables. */
export const STEWARD_SCHEMA_PRIVILEGES = ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_TABLE', 'MODIFY', 'SELECT', 'USE_SCHEMA'] as const;
/** What readers may do in a layer's schema they are granted: read, nothing else. */
export const READER_SCHEMA_PRIVILEGES = ['SELECT', 'USE_SCHEMA'] as const;

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
 * - a layer's schema grants the groups listed as readers of that layer on any dataset `USE_SCHEMA` and
 *   `SELECT`; a group reads no layer it is not listed for (bronze stays with the owners unless the
 *   definition names readers). Unity Catalog tables are created by the pipelines and dbt at run time, so
 *   Terraform grants at the schema (layer) level: a reader of one dataset's layer reads that layer;
 * - owners of datasets read every layer; only the stewards, the groups that own every dataset, may
 *   build and change tables (`CREATE_*`, `MODIFY`), so a group that co-owns one dataset cannot alter
 *   the others' tables that share its layer schema;
 * - the bronze external location lets dataset owners read the landed files (`READ_FILES`); silver and
 *   gold hold managed tables only, so their locations grant nothing;
 * - an ML use case's owners read gold (their feature tables), create models in `ml` and hold all
 *   privileges on their model; its readers get `EXECUTE` on the model only.
 */
export function unityCatalogGrants(config: Pick<PlatformConfig, 'datasets' | 'groups' | 'mlUseCases'>): UnityCatalogGrants {
  const catalog = new GrantSet();
  const schemas = Object.fromEntries([...LAYERS, ML_SCHEMA].map((schema) => [schema, new GrantSet()])) as Record<Layer | typeof ML_SCHEMA, GrantSet>;
  const owners = new Set(config.datasets.flatMap((dataset) => dataset.owners));
  const stewards = [...owners].filter((group) => config.datasets.every((dataset) => dataset.owners.includes(group)));

  for (const layer of LAYERS) schemas[layer].add(stewards, STEWARD_SCHEMA_PRIVILEGES);
  // The access plan (owners own, readers read the layers they are listed for) as Unity Catalog grants:
  // both read the layer's schema; writing is the stewards' and the pipelines' (run as the stewards).
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

  const bronzeFiles = new GrantSet().add(owners, ['READ_FILES']).toGrants(config.groups);
  return {
    catalog: catalog.toGrants(config.groups),
    schemas: Object.fromEntries(Object.entries(schemas).map(([name, set]) => [name, set.toGrants(config.groups)])),
    externalLocations: bronzeFiles.length > 0 ? { bronze: bronzeFiles } : {},
    registeredModels,
  };
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
