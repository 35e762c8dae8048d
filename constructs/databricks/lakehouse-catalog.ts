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
  /** `abfss://` URL of each layer's lake filesystem. */
  readonly layerUrls: Readonly<Record<Layer, string>>;
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
 * access connector; an external location per layer filesystem; one catalog per environment, ISOLATED
 * and bound to this workspace alone (as are the credential and the locations), with a schema per layer
 * whose managed tables live in that layer's filesystem (so the layer's lifecycle rules apply to them)
 * an `ml` schema for registered models and the dbt job's `reference` and `snapshots` schemas
 * (`CATALOG_SCHEMAS`); and one authoritative `databricks_grants` per securable
 * from the grant matrix, so grants made by hand are reverted rather than fought over.
 *
 * Nothing is force-destroyed: a catalog or schema that still holds tables refuses deletion.
 */
export class LakehouseCatalog extends Construct {
  readonly catalog: Catalog;
  readonly metastoreAssignment: MetastoreAssignment;
  readonly storageCredential: StorageCredential;
  private readonly schemas = new Map<string, Schema>();
  private readonly locations = new Map<Layer, ExternalLocation>();
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

    for (const layer of LAYERS) {
      const location = new ExternalLocation(this, `${layer}-location`, {
        provider,
        name: `${props.credentialName}_${layer}`,
        url: props.layerUrls[layer],
        credentialName: this.storageCredential.name,
        comment: `The ${layer} filesystem of the lake`,
        isolationMode: 'ISOLATION_MODE_ISOLATED',
        forceDestroy: false,
        // The lake takes no public traffic at all (not even trusted services), so the control plane's
        // create-time check cannot reach it; compute reaches it over private endpoints.
        skipValidation: true,
        lifecycle: this.lifecycle,
      });
      bind(`${layer}-location-binding`, 'external_location', location.name);
      this.locations.set(layer, location);
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

    for (const [schema, { layer, comment }] of Object.entries(CATALOG_SCHEMAS)) {
      this.schemas.set(
        schema,
        new Schema(this, `${schema}-schema`, {
          provider,
          catalogName: this.catalog.name,
          name: schema,
          comment,
          // Managed tables of the layers under `tables/`, the others under their own name, in the layer's filesystem.
          storageRoot: `${this.locations.get(layer)!.url}${LAYERS.includes(schema as Layer) ? 'tables' : schema}/`,
          forceDestroy: false,
          lifecycle: this.lifecycle,
        }),
      );
    }

    this.grant('CatalogGrants', { catalog: this.catalog.name }, props.grants.catalog);
    for (const [schema, grants] of Object.entries(props.grants.schemas)) {
      this.grant(`${schema}-schema-grants`, { schema: this.schema(schema).id }, grants);
    }
    for (const [layer, grants] of Object.entries(props.grants.externalLocations) as [Layer, readonly Grant[]][]) {
      this.grant(`${layer}-location-grants`, { externalLocation: this.locations.get(layer)!.name }, grants);
    }
  }

  /** A schema of the catalog (a layer or `ml`). */
  schema(name: string): Schema {
    const schema = this.schemas.get(name);
    if (!schema) throw new Error(`schema: "${name}" is not a schema of this catalog; schemas: ${[...this.schemas.keys()].join(', ')}`);
    return schema;
  }

  /** The external location of a layer. */
  externalLocation(layer: Layer): ExternalLocation {
    return this.locations.get(layer)!;
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
