/**
 * The resources the stateful-change gate (`npm run diff:safety`) protects: those whose deletion or replacement
 * loses data, keys or the catalogue that names the data. One list per toolchain; the types are the ones the
 * apps synthesize (cdk.out/*.template.json, cdktf.out/stacks/<stack>/cdk.tf.json).
 */

/** CloudFormation resource types, with why each one holds state. Which property changes replace one comes from the CloudFormation spec. */
export const STATEFUL_CFN_TYPES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'the lake layers and the access logs',
  'AWS::KMS::Key': 'the key everything at rest is encrypted with: a new key cannot read the old data',
  'AWS::Glue::Database': 'a layer database of the catalogue',
  'AWS::Glue::Table': 'a dataset table of the catalogue (schema, partitions)',
  'AWS::LakeFormation::DataLakeSettings': "the account's Lake Formation administrators and defaults",
  'AWS::MSK::ServerlessCluster': 'the streaming cluster and its topics',
  'AWS::Glue::Registry': "the streams' schema registry: every registered message schema and version",
  'AWS::Glue::Schema': "a stream's message schema and its registered versions (consumers resolve them by name; versions are never edited)",
  'AWS::Glue::SchemaVersion': "a registered version of a stream's message schema (append-only: a changed definition is a new version)",
};

/** A force-new attribute: its name, or its name with the condition under which a change forces replacement (the provider's CustomizeDiff). */
export type ForceNewAttribute = string | { readonly name: string; readonly when: (before: unknown, after: unknown) => boolean; readonly note: string };

const ZONAL_REPLICATION = ['ZRS', 'GZRS', 'RAGZRS'];

/**
 * Terraform resource types, each with its force-new attributes: the top-level arguments whose change makes
 * Terraform destroy and re-create the resource.
 *
 * Hand-written, because no offline source holds them: `terraform providers schema -json` and the CDKTF
 * bindings (@cdktf/provider-azurerm 14.x for azurerm 4.55, @cdktf/provider-databricks 15.x for databricks 1.99)
 * carry types, not ForceNew, and the provider binaries in the shared mirror only reveal it by planning. Read from
 * the providers' resource schemas (azurerm `ForceNew: true` and `ForceNewIfChange`, databricks `SetForceNew()` /
 * `tf:"force_new"`). Update it with the provider versions in package.json.
 */
export const STATEFUL_TERRAFORM_TYPES: Readonly<Record<string, { readonly why: string; readonly forceNew: readonly ForceNewAttribute[] }>> = {
  azurerm_storage_account: {
    why: 'the ADLS Gen2 lake account',
    forceNew: [
      'name',
      'resource_group_name',
      'location',
      'account_tier',
      'edge_zone',
      'immutability_policy',
      'is_hns_enabled',
      'nfsv3_enabled',
      'dns_endpoint_type',
      'infrastructure_encryption_enabled',
      'queue_encryption_key_type',
      'table_encryption_key_type',
      {
        name: 'account_kind',
        when: (before, after) => before !== 'Storage' && after !== 'StorageV2',
        note: 'in place only from Storage or to StorageV2',
      },
      { name: 'large_file_share_enabled', when: (before, after) => before === true && after !== true, note: 'disabling it' },
      {
        name: 'account_replication_type',
        when: (before, after) => ZONAL_REPLICATION.includes(String(before).toUpperCase()) !== ZONAL_REPLICATION.includes(String(after).toUpperCase()),
        note: 'between zonal (ZRS, GZRS, RAGZRS) and non-zonal replication',
      },
    ],
  },
  azurerm_storage_container: { why: 'a lake layer filesystem (container)', forceNew: ['name', 'storage_account_name', 'storage_account_id'] },
  azurerm_storage_data_lake_gen2_filesystem: { why: 'a lake layer filesystem', forceNew: ['name', 'storage_account_id'] },
  azurerm_key_vault: { why: 'the vault of the customer-managed keys', forceNew: ['name', 'resource_group_name', 'location'] },
  azurerm_key_vault_key: {
    why: 'a customer-managed key: a new key cannot read the old data',
    forceNew: ['name', 'key_vault_id', 'key_type', 'key_size', 'curve'],
  },
  azurerm_mssql_server: { why: 'the warehouse SQL server', forceNew: ['name', 'resource_group_name', 'location', 'administrator_login'] },
  azurerm_mssql_database: { why: 'the warehouse database', forceNew: ['name', 'server_id', 'create_mode', 'collation', 'catalog_collation', 'sample_name'] },
  azurerm_eventhub_namespace: { why: 'the Event Hubs namespace and its retained events', forceNew: ['name', 'resource_group_name', 'location'] },
  azurerm_eventhub_namespace_schema_group: {
    why: "a domain's schema group: every message schema and version producers registered in it",
    // The provider has no update for schema groups: every argument forces a new one.
    forceNew: ['name', 'namespace_id', 'schema_compatibility', 'schema_type'],
  },
  databricks_catalog: { why: 'the Unity Catalog catalog', forceNew: ['storage_root', 'connection_name', 'provider_name', 'share_name'] },
  databricks_schema: { why: 'a Unity Catalog layer schema', forceNew: ['catalog_name', 'storage_root'] },
  databricks_external_location: { why: 'a Unity Catalog external location', forceNew: ['metastore_id'] },
  databricks_storage_credential: { why: 'the Unity Catalog storage credential', forceNew: ['metastore_id'] },
};
