/**
 * The effective access matrix of a Databricks environment (with its Azure lake), from what its deployment
 * creates rather than from the definition:
 * - the Unity Catalog grants of the lakehouse stack's Terraform JSON (catalog, layer schemas, external
 *   locations), whose table privileges every table of the schema inherits;
 * - the grants of the tables the pipelines and the bronze refresh create: the table grants job's plan file
 *   (in the same JSON), each table attributed to its datasets by the pipelines' own configuration (the
 *   table names of each dataset, the event log of all of them) and by the bronze tables plan file;
 * - the grants of every dbt model (the generated grants macro), each model attributed to the datasets
 *   its sources and refs hold data of (its lineage);
 * - Delta Sharing: each `databricks_share`'s objects (tables, or whole schemas), attributed to datasets like
 *   the tables above, read by the recipients its `databricks_grants` give SELECT — a recipient's column is
 *   `recipientColumn` (`recipient:<name>`), on the layer of each shared table;
 * - files read directly: `READ_FILES` on a layer's external location, Azure storage roles of a group on
 *   the lake, and the Synapse workspace identity's storage roles, which its Entra admins use; the
 *   filesystem of bronze's working data (`bronze-work`, the bronze tables' files) counts as bronze.
 *
 * A group reads a table when it may enter the catalog and the schema and holds SELECT on the table;
 * it owns it when it also holds the owners' privileges (APPLY_TAG, and MODIFY on tables). A group that
 * reads a layer's files reads every dataset of that layer.
 */
import { type AccessMatrix, emptyAccessMatrix, grantInMatrix, recipientColumn } from '../../lib/access/access-matrix';
import type { DbtModelGrants, ModelLineage } from '../../lib/dbt';
import { LAYERS, type Layer, type PlatformConfig, type TableAccess } from '../../lib/definition';
import { isLakeArea, lakeAreaLayer } from '../../lib/lake';
import { STREAM_PIPELINE_TABLE_LAYERS, type StreamPipelineTableNames, unityCatalogLayerSchema } from '../../lib/naming';

/** Synthesized Terraform JSON. */
export type TerraformJson = { readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>> };

type GrantList = ReadonlyArray<{ readonly principal: string; readonly privileges: readonly string[] }>;

/** The attributes read of each resource type. */
interface Resources {
  readonly databricks_grants: {
    readonly catalog?: string;
    readonly schema?: string;
    readonly external_location?: string;
    readonly share?: string;
    readonly grant?: GrantList;
  };
  readonly databricks_catalog: { readonly name: string };
  readonly databricks_share: { readonly name: string; readonly object?: ReadonlyArray<{ readonly name: string; readonly data_object_type?: string }> };
  readonly databricks_schema: { readonly name: string };
  readonly databricks_external_location: { readonly url: string };
  readonly databricks_pipeline: {
    readonly catalog: string;
    readonly configuration?: Readonly<Record<string, string>>;
    readonly event_log?: { readonly catalog: string; readonly schema: string; readonly name: string };
  };
  readonly databricks_workspace_file: { readonly path: string; readonly content_base64: string };
  readonly azurerm_role_assignment: { readonly principal_id?: string; readonly role_definition_name?: string; readonly scope?: string };
  readonly azurerm_synapse_workspace_aad_admin: { readonly object_id: string };
}

/** The dbt project as deployed: each model's planned grants and its lineage. */
export interface DbtAccessInputs {
  readonly grants: Readonly<Record<string, DbtModelGrants>>;
  readonly lineage: readonly ModelLineage[];
}

interface TableObject {
  /** `<catalog>.<schema>.<table>`. */
  readonly name: string;
  readonly layer: Layer;
  readonly writable: boolean;
  readonly datasets: readonly string[];
  /** Databricks principal -> privileges granted on the table itself. */
  readonly grants: ReadonlyMap<string, ReadonlySet<string>>;
}

const INHERITED = ['ALL_PRIVILEGES', 'APPLY_TAG', 'MODIFY', 'SELECT'];
const STORAGE_READ_ROLES: Readonly<Record<string, TableAccess>> = {
  'Storage Blob Data Reader': 'read',
  'Storage Blob Data Contributor': 'own',
  'Storage Blob Data Owner': 'own',
};

/** `APPLY TAG`, `apply tag`, `APPLY_TAG` -> `APPLY_TAG`. */
function canonical(privilege: string): string {
  return privilege.trim().toUpperCase().replace(/\s+/g, '_');
}

function resources<T extends keyof Resources>(json: TerraformJson, type: T): Array<Resources[T]> {
  return Object.values(json.resource?.[type] ?? {}) as Array<Resources[T]>;
}

/** The resource of `type` a `${type.id.attribute}` reference points to, or undefined for a literal. */
function referenced<T extends keyof Resources>(json: TerraformJson, type: T, value: string): Resources[T] | undefined {
  const match = /^\$\{([a-z_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(value);
  return match && match[1] === type ? (json.resource?.[type]?.[match[2]] as Resources[T] | undefined) : undefined;
}

function grantMap(grants: GrantList): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const grant of grants) {
    const set = map.get(grant.principal) ?? new Set<string>();
    grant.privileges.forEach((privilege) => set.add(canonical(privilege)));
    map.set(grant.principal, set);
  }
  return map;
}

/**
 * The tables the pipelines and the bronze refresh create: planned grants from the table grants plan file,
 * datasets from each pipeline's configuration and from the bronze tables plan file.
 */
function pipelineTables(lakehouse: TerraformJson): TableObject[] {
  const datasetsOf = new Map<string, string[]>();
  for (const pipeline of resources(lakehouse, 'databricks_pipeline')) {
    const configuration = pipeline.configuration ?? {};
    const schemaOf = (layer: string) => `${pipeline.catalog}.${configuration[`platform.schema.${layer}`]}`;
    const datasets: Array<{ name: string; tables: StreamPipelineTableNames }> = JSON.parse(configuration['platform.datasets'] ?? '[]');
    for (const { name, tables } of datasets) {
      for (const [table, layer] of Object.entries(STREAM_PIPELINE_TABLE_LAYERS))
        datasetsOf.set(`${schemaOf(layer)}.${tables[table as keyof StreamPipelineTableNames]}`, [name]);
    }
    if (pipeline.event_log)
      datasetsOf.set(
        `${pipeline.event_log.catalog}.${pipeline.event_log.schema}.${pipeline.event_log.name}`,
        datasets.map((d) => d.name),
      );
  }
  // The bronze tables of the batch datasets: the bronze refresh's plan names each table's dataset.
  for (const file of resources(lakehouse, 'databricks_workspace_file').filter((candidate) => candidate.path.endsWith('/bronze_tables.json'))) {
    const plan = JSON.parse(Buffer.from(file.content_base64, 'base64').toString('utf8')) as { tables: Array<{ table: string; dataset: string }> };
    for (const table of plan.tables) datasetsOf.set(table.table, [table.dataset]);
  }
  const plans = resources(lakehouse, 'databricks_workspace_file').filter((file) => file.path.endsWith('/table_grants.json'));
  return plans.flatMap((file) => {
    const plan = JSON.parse(Buffer.from(file.content_base64, 'base64').toString('utf8')) as {
      tables: Array<{ table: string; kind: 'table' | 'view'; grants: Array<{ principal: string; privileges: string[] }> }>;
    };
    return plan.tables.flatMap((table): TableObject[] => {
      const layer = table.table.split('.')[1] as Layer;
      const datasets = datasetsOf.get(table.table);
      if (!LAYERS.includes(layer) || !datasets) return [];
      return [{ name: table.table, layer, writable: table.kind === 'table', datasets, grants: grantMap(table.grants) }];
    });
  });
}

/**
 * The dbt models: planned grants from the generated macro, datasets and kind from the lineage; each in its
 * layer's schema of the catalogs of the lakehouse (the environment's one).
 */
function dbtTables(dbt: DbtAccessInputs, catalogs: readonly string[]): TableObject[] {
  return dbt.lineage.flatMap((model): TableObject[] => {
    if (model.materialized === 'ephemeral') return [];
    const planned = dbt.grants[model.name]?.grants ?? {};
    const grants = grantMap(
      Object.entries(planned).flatMap(([privilege, principals]) => principals.map((principal) => ({ principal, privileges: [privilege] }))),
    );
    const writable = !['view', 'materialized_view'].includes(model.materialized);
    return catalogs.map((catalog) => ({
      name: `${catalog}.${unityCatalogLayerSchema(model.layer)}.${model.name}`,
      layer: model.layer,
      writable,
      datasets: model.datasets,
      grants,
    }));
  });
}

/**
 * What the Delta Sharing recipients read: for each share granted (SELECT or ALL_PRIVILEGES) to a recipient,
 * the tables of its objects (a table or view by name, a schema: every table in it). Yields [recipient,
 * table]. An object that is no table of the lakehouse's pipelines or dbt models has datasets nobody can
 * tell, so it fails, naming the share and the object.
 */
function shareReads(lakehouse: TerraformJson, tables: readonly TableObject[]): Array<[string, TableObject]> {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const shares = resources(lakehouse, 'databricks_share');
  const reads: Array<[string, TableObject]> = [];
  for (const grants of resources(lakehouse, 'databricks_grants')) {
    if (grants.share === undefined) continue;
    const share = referenced(lakehouse, 'databricks_share', grants.share) ?? shares.find((candidate) => candidate.name === grants.share);
    if (!share) throw new Error(`databricks_grants on share "${grants.share}": no databricks_share of the lakehouse stack is that share`);
    const shared = (share.object ?? []).flatMap((object) => {
      if (object.data_object_type === 'SCHEMA') return tables.filter((table) => table.name.startsWith(`${object.name}.`));
      const table = byName.get(object.name);
      if (!table)
        throw new Error(
          `databricks_share ${share.name}: object "${object.name}" (${object.data_object_type ?? 'no data_object_type'}) is no table of the pipelines ` +
            'or dbt models of the lakehouse, so the datasets it holds are unknown',
        );
      return [table];
    });
    for (const [recipient, privileges] of grantMap(grants.grant ?? []))
      if (privileges.has('SELECT') || privileges.has('ALL_PRIVILEGES')) for (const table of shared) reads.push([recipient, table]);
  }
  return reads;
}

/**
 * The effective matrix of one Databricks environment (see the module comment). `azure` holds the Terraform
 * JSON of the environment's Azure stacks, for the storage roles on the lake; without it only Unity
 * Catalog is read.
 */
export function effectiveDatabricksAccess(
  config: Pick<PlatformConfig, 'datasets' | 'groups'>,
  lakehouse: TerraformJson,
  dbt: DbtAccessInputs,
  azure: readonly TerraformJson[] = [],
): AccessMatrix {
  const catalogGrants = new Map<string, Set<string>>();
  const schemaGrants = new Map<Layer, Map<string, Set<string>>>();
  // Layer -> Databricks principal with READ_FILES on its external location.
  const locationReaders = new Map<Layer, Set<string>>(LAYERS.map((layer) => [layer, new Set()]));
  for (const grants of resources(lakehouse, 'databricks_grants')) {
    const map = grantMap(grants.grant ?? []);
    if (grants.catalog !== undefined) map.forEach((privileges, principal) => catalogGrants.set(principal, privileges));
    if (grants.schema !== undefined) {
      const layer = referenced(lakehouse, 'databricks_schema', grants.schema)?.name as Layer | undefined;
      if (layer && LAYERS.includes(layer)) schemaGrants.set(layer, map);
    }
    if (grants.external_location !== undefined) {
      const url = referenced(lakehouse, 'databricks_external_location', grants.external_location)?.url ?? '';
      const layer = layerOfFilesystem(/^abfss:\/\/([a-z0-9-]+)@/.exec(url)?.[1]);
      if (!layer) continue;
      for (const [principal, privileges] of map)
        if (privileges.has('READ_FILES') || privileges.has('ALL_PRIVILEGES')) locationReaders.get(layer)!.add(principal);
    }
  }

  const matrix = emptyAccessMatrix(config.datasets.map((dataset) => dataset.name));
  const everyDataset = (layer: Layer, group: string, access: TableAccess) =>
    config.datasets.forEach((dataset) => grantInMatrix(matrix, dataset.name, layer, group, access));
  for (const [group, layer, access] of lakeStorageReaders(config, azure)) everyDataset(layer, group, access);
  const catalogs = resources(lakehouse, 'databricks_catalog').map((catalog) => catalog.name);
  const tables = [...pipelineTables(lakehouse), ...dbtTables(dbt, catalogs)];
  for (const [recipient, table] of shareReads(lakehouse, tables))
    table.datasets.forEach((dataset) => grantInMatrix(matrix, dataset, table.layer, recipientColumn(recipient), 'read'));
  for (const group of Object.values(config.groups)) {
    const principal = group.databricksGroup;
    const onCatalog = catalogGrants.get(principal) ?? new Set<string>();
    for (const layer of LAYERS) {
      if (locationReaders.get(layer)!.has(principal)) everyDataset(layer, group.name, 'read');
      const onSchema = schemaGrants.get(layer)?.get(principal) ?? new Set<string>();
      const enters =
        (onCatalog.has('USE_CATALOG') || onCatalog.has('ALL_PRIVILEGES')) &&
        ['USE_SCHEMA', 'ALL_PRIVILEGES'].some((privilege) => onSchema.has(privilege) || onCatalog.has(privilege));
      if (!enters) continue;
      for (const table of tables.filter((candidate) => candidate.layer === layer)) {
        const held = new Set([...(table.grants.get(principal) ?? []), ...[...onSchema, ...onCatalog].filter((privilege) => INHERITED.includes(privilege))]);
        const owns = held.has('ALL_PRIVILEGES') || (held.has('SELECT') && held.has('APPLY_TAG') && (!table.writable || held.has('MODIFY')));
        const level: TableAccess | undefined = owns ? 'own' : held.has('SELECT') ? 'read' : undefined;
        if (level) table.datasets.forEach((dataset) => grantInMatrix(matrix, dataset, layer, group.name, level));
      }
    }
  }
  return matrix;
}

/**
 * The layer whose data a lake filesystem holds (bronze's working data holds bronze's), or undefined for a
 * filesystem that is not an area of the lake.
 */
function layerOfFilesystem(filesystem: string | undefined): Layer | undefined {
  return filesystem !== undefined && isLakeArea(filesystem) ? lakeAreaLayer(filesystem) : undefined;
}

/**
 * Groups that read a layer's files in the lake through Azure storage roles: their own role assignments
 * (by Entra object id) on the lake account or a layer's container, and the Synapse workspace identity's,
 * which the workspace's Entra admins use. Yields [group name, layer, access].
 */
function lakeStorageReaders(config: Pick<PlatformConfig, 'groups'>, azure: readonly TerraformJson[]): Array<[string, Layer, TableAccess]> {
  const groupOfObjectId = new Map(Object.values(config.groups).flatMap((group) => (group.entraObjectId ? [[group.entraObjectId, group.name]] : [])));
  const readers: Array<[string, Layer, TableAccess]> = [];
  for (const json of azure) {
    const synapseAdmins = resources(json, 'azurerm_synapse_workspace_aad_admin').flatMap((admin) => groupOfObjectId.get(admin.object_id) ?? []);
    for (const assignment of resources(json, 'azurerm_role_assignment')) {
      const access = STORAGE_READ_ROLES[assignment.role_definition_name ?? ''];
      const scope = String(assignment.scope ?? '');
      if (!access || !scope.includes('/Microsoft.Storage/storageAccounts/')) continue;
      const container = /\/containers\/([a-z0-9-]+)$/.exec(scope)?.[1];
      const containerLayer = layerOfFilesystem(container);
      const layers = container === undefined ? [...LAYERS] : containerLayer ? [containerLayer] : [];
      const principal = String(assignment.principal_id ?? '');
      const groups = principal.includes('azurerm_synapse_workspace.')
        ? synapseAdmins
        : [groupOfObjectId.get(principal)].filter((g): g is string => g !== undefined);
      for (const group of groups) for (const layer of layers) readers.push([group, layer, access]);
    }
  }
  return readers;
}
