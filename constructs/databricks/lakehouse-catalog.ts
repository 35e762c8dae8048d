import { Catalog } from '@cdktf/provider-databricks/lib/catalog';
import { ExternalLocation } from '@cdktf/provider-databricks/lib/external-location';
import { Grants } from '@cdktf/provider-databricks/lib/grants';
import { MetastoreAssignment } from '@cdktf/provider-databricks/lib/metastore-assignment';
import { Schema } from '@cdktf/provider-databricks/lib/schema';
import { StorageCredential } from '@cdktf/provider-databricks/lib/storage-credential';
import { WorkspaceBinding } from '@cdktf/provider-databricks/lib/workspace-binding';
import { type TerraformResourceLifecycle, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LAYERS, type Layer } from '../../lib/definition';
import { BRONZE_WORK_AREA, LAKE_AREAS, type LakeArea } from '../../lib/lake';
import { CATALOG_SCHEMAS, type Grant, type UnityCatalogGrants } from '../../lib/access/unity-catalog-grants';
import { DATABRICKS_NAME_RULES, nameProblem } from '../../lib/naming';
import type { WorkspaceScopedProps } from './workspace-scoped';

export interface LakehouseCatalogProps extends WorkspaceScopedProps {
  /** The Unity Catalog metastore the workspace is assigned to. */
  readonly metastoreId: string;
  /** The workspace's numeric id (`workspace_id`), for the assignment and the bindings. */
  readonly workspaceId: string;
  /** Catalog name (see `unityCatalogName`). */
  readonly catalogName: string;
  /** ARM id of the access connector whose managed identity reaches the lake. */
  readonly accessConnectorId: string;
  /** Name of the storage credential and prefix of the external locations, e.g. `acme_dev`. */
  readonly credentialName: string;
  /** `abfss://` URL of each lake filesystem: each layer's, and bronze's working data (lib/lake `LAKE_AREAS`). */
  readonly filesystemUrls: Readonly<Record<LakeArea, string>>;
  /** The grant matrix (see `unityCatalogGrants`). */
  readonly grants: UnityCatalogGrants;
  /**
   * Whether Terraform refuses to destroy the catalog, its schemas and the external locations.
   * @default false
   */
  readonly retainOnDelete?: boolean;
}

/**
 * The environment's Unity Catalog: the workspace's metastore assignment; a storage credential on the
 * access connector; an external location per lake filesystem (each layer's, and bronze's working data);
 * one catalog per environment, ISOLATED and bound to this workspace alone (as are the credential and the
 * locations), with a schema per layer whose managed tables live under `tables/` of the filesystem
 * `CATALOG_SCHEMAS` gives it (the layer's own for silver and gold, so the layer's lifecycle rules apply to
 * them; bronze's working data for bronze, whose own filesystem is immutable), an `ml` schema for
 * registered models and the dbt job's `reference` and `snapshots` schemas; and one authoritative
 * `databricks_grants` per securable from the grant matrix, so grants made by hand are reverted rather
 * than fought over.
 *
 * Nothing is force-destroyed: a catalog or schema that still holds tables refuses deletion.
 */
export class LakehouseCatalog extends Construct {
  readonly catalog: Catalog;
  readonly metastoreAssignment: MetastoreAssignment;
  readonly storageCredential: StorageCredential;
  private readonly schemas = new Map<string, Schema>();
  private readonly locations = new Map<LakeArea, ExternalLocation>();
  private readonly lifecycle?: TerraformResourceLifecycle;
  private readonly provider: WorkspaceScopedProps['provider'];

  constructor(scope: Construct, id: string, props: LakehouseCatalogProps) {
    super(scope, id);
    const problem = nameProblem(props.catalogName, DATABRICKS_NAME_RULES.unityCatalogIdentifier);
    if (problem) throw new Error(`LakehouseCatalog: catalogName: ${problem}`);
    const provider = props.provider;
    this.provider = provider;
    this.lifecycle = props.retainOnDelete ? { preventDestroy: true } : undefined;
    const workspaceId = Token.asNumber(props.workspaceId);

    this.metastoreAssignment = new MetastoreAssignment(this, 'MetastoreAssignment', { provider, metastoreId: props.metastoreId, workspaceId });
    const bind = (bindingId: string, securableType: string, securableName: string) =>
      new WorkspaceBinding(this, bindingId, { provider, workspaceId, securableType, securableName, bindingType: 'BINDING_TYPE_READ_WRITE' });

    this.storageCredential = new StorageCredential(this, 'StorageCredential', {
      provider,
      name: props.credentialName,
      comment: "The access connector's managed identity: Storage Blob Data Contributor on the lake only",
      azureManagedIdentity: { accessConnectorId: props.accessConnectorId },
      isolationMode: 'ISOLATION_MODE_ISOLATED',
      dependsOn: [this.metastoreAssignment],
      lifecycle: this.lifecycle,
    });
    bind('StorageCredentialBinding', 'storage_credential', this.storageCredential.name);

    for (const area of LAKE_AREAS) {
      const location = new ExternalLocation(this, `${area}-location`, {
        provider,
        // Unity Catalog names take underscores: acme_dev_bronze_work.
        name: `${props.credentialName}_${area.replace(/-/g, '_')}`,
        url: props.filesystemUrls[area],
        credentialName: this.storageCredential.name,
        comment: area === BRONZE_WORK_AREA ? "Bronze's working data: the bronze schema's tables and the ingestion state" : `The ${area} filesystem of the lake`,
        isolationMode: 'ISOLATION_MODE_ISOLATED',
        forceDestroy: false,
        // The lake takes no public traffic at all (not even trusted services), so the control plane's
        // create-time check cannot reach it; compute reaches it over private endpoints.
        skipValidation: true,
        lifecycle: this.lifecycle,
      });
      bind(`${area}-location-binding`, 'external_location', location.name);
      this.locations.set(area, location);
    }

    this.catalog = new Catalog(this, 'Resource', {
      provider,
      name: props.catalogName,
      comment: "The environment's lakehouse: one schema per medallion layer, and ml for registered models",
      // Tables created without a schema location land in gold's filesystem; every platform schema sets its own.
      storageRoot: this.locations.get('gold')!.url,
      isolationMode: 'ISOLATED',
      forceDestroy: false,
      dependsOn: [this.metastoreAssignment],
      lifecycle: this.lifecycle,
    });
    bind('CatalogBinding', 'catalog', this.catalog.name);

    for (const [schema, { storage, comment }] of Object.entries(CATALOG_SCHEMAS)) {
      this.schemas.set(
        schema,
        new Schema(this, `${schema}-schema`, {
          provider,
          catalogName: this.catalog.name,
          name: schema,
          comment,
          // Managed tables of the layers under `tables/`, the others under their own name, in the schema's filesystem.
          storageRoot: `${this.locations.get(storage)!.url}${LAYERS.includes(schema as Layer) ? 'tables' : schema}/`,
          forceDestroy: false,
          lifecycle: this.lifecycle,
        }),
      );
    }

    this.grant('CatalogGrants', { catalog: this.catalog.name }, props.grants.catalog);
    for (const [schema, grants] of Object.entries(props.grants.schemas)) {
      this.grant(`${schema}-schema-grants`, { schema: this.schema(schema).id }, grants);
    }
    for (const [area, grants] of Object.entries(props.grants.externalLocations) as [LakeArea, readonly Grant[]][]) {
      this.grant(`${area}-location-grants`, { externalLocation: this.locations.get(area)!.name }, grants);
    }
  }

  /** A schema of the catalog (a layer or `ml`). */
  schema(name: string): Schema {
    const schema = this.schemas.get(name);
    if (!schema) throw new Error(`schema: "${name}" is not a schema of this catalog; schemas: ${[...this.schemas.keys()].join(', ')}`);
    return schema;
  }

  /** The external location of an area of the lake (a layer, or bronze's working data). */
  externalLocation(area: LakeArea): ExternalLocation {
    const location = this.locations.get(area);
    if (!location) throw new Error(`externalLocation: "${area}" is not an area of the lake; areas: ${LAKE_AREAS.join(', ')}`);
    return location;
  }

  /**
   * The authoritative grants of one securable. A securable nobody is granted gets no resource: an
   * empty authoritative resource would revoke what the metastore admins grant on purpose.
   */
  grant(
    id: string,
    securable: { catalog?: string; schema?: string; externalLocation?: string; model?: string },
    grants: readonly Grant[],
    scope: Construct = this,
  ): Grants | undefined {
    if (grants.length === 0) return undefined;
    return new Grants(scope, id, {
      provider: this.provider,
      ...securable,
      grant: grants.map((grant) => ({ principal: grant.principal, privileges: [...grant.privileges] })),
    });
  }
}
