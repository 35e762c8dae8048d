import { Catalog } from '@cdktf/provider-databricks/lib/catalog';
import { Dashboard } from '@cdktf/provider-databricks/lib/dashboard';
import { Recipient } from '@cdktf/provider-databricks/lib/recipient';
import { Share } from '@cdktf/provider-databricks/lib/share';
import { ClusterPolicy } from '@cdktf/provider-databricks/lib/cluster-policy';
import { Credential } from '@cdktf/provider-databricks/lib/credential';
import { ExternalLocation } from '@cdktf/provider-databricks/lib/external-location';
import { Grants } from '@cdktf/provider-databricks/lib/grants';
import { Job } from '@cdktf/provider-databricks/lib/job';
import { ModelServing } from '@cdktf/provider-databricks/lib/model-serving';
import { MetastoreAssignment } from '@cdktf/provider-databricks/lib/metastore-assignment';
import { MlflowExperiment } from '@cdktf/provider-databricks/lib/mlflow-experiment';
import { Permissions } from '@cdktf/provider-databricks/lib/permissions';
import { Pipeline } from '@cdktf/provider-databricks/lib/pipeline';
import { RegisteredModel } from '@cdktf/provider-databricks/lib/registered-model';
import { Schema } from '@cdktf/provider-databricks/lib/schema';
import { SecretScope } from '@cdktf/provider-databricks/lib/secret-scope';
import { SqlEndpoint } from '@cdktf/provider-databricks/lib/sql-endpoint';
import { StorageCredential } from '@cdktf/provider-databricks/lib/storage-credential';
import { SystemSchema } from '@cdktf/provider-databricks/lib/system-schema';
import { WorkspaceConf } from '@cdktf/provider-databricks/lib/workspace-conf';
import { WorkspaceBinding } from '@cdktf/provider-databricks/lib/workspace-binding';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFactoryBronzeTablesPlan } from '../../../constructs/databricks/bronze-tables';
import { ML_TRAINING_PACKAGES } from '../../../constructs/databricks/ml-training-job';
import { unityCatalogGrants } from '../../../lib/access/unity-catalog-grants';
import { Catalogue, type PlatformConfig } from '../../../lib/definition';
import { DatabricksLakehouseStack } from '../../../stacks/databricks/lakehouse-stack';
import { configWith, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthDatabricksStack } from './databricks-stack-fixture';

const byPath = (resources: Record<string, any>) => Object.fromEntries(Object.values(resources).map((resource: any) => [resource.path, resource]));
const byName = (resources: Record<string, any>) => Object.fromEntries(Object.values(resources).map((resource: any) => [resource.name, resource]));
const all = (json: any) => Object.values<Record<string, any>>(json.resource ?? {}).flatMap((resources) => Object.values<any>(resources));

describe('DatabricksLakehouseStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, synthDatabricksStack(DatabricksLakehouseStack, config, name)]));
  const dev = stacks.dev.json;
  const prod = stacks.prod.json;

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('enables the access system schema once per metastore: dev enables the one it shares with staging, prod its own', () => {
    const systemSchemas = (name: string) => Object.values(resourcesOf(stacks[name].json, SystemSchema.tfResourceType));
    expect(systemSchemas('dev')).toEqual([expect.objectContaining({ schema: 'access', provider: 'databricks.workspace' })]);
    expect(systemSchemas('staging')).toEqual([]);
    expect(systemSchemas('prod')).toEqual([expect.objectContaining({ schema: 'access' })]);
    const assignment = Object.keys(resourcesOf(dev, MetastoreAssignment.tfResourceType))[0];
    expect(systemSchemas('dev')[0].depends_on).toEqual([`databricks_metastore_assignment.${assignment}`]);
  });

  test('writes verbose audit logs in production only', () => {
    expect(onlyResource(prod, WorkspaceConf.tfResourceType)).toMatchObject({ custom_config: { enableVerboseAuditLogs: 'true' } });
    expect(resourcesOf(dev, WorkspaceConf.tfResourceType)).toEqual({});
    expect(resourcesOf(stacks.staging.json, WorkspaceConf.tfResourceType)).toEqual({});
  });

  test('configures the workspace through one provider alias whose host is the workspace looked up by name', () => {
    expect(stacks.dev.stack.node.id).toBe('acme-dev-databricks-lakehouse');
    expect(dev.provider?.databricks).toEqual([
      {
        alias: 'workspace',
        host: 'https://${data.azurerm_databricks_workspace.Workspace.workspace_url}',
        azure_workspace_resource_id: expect.stringMatching(
          /\/resourceGroups\/rg-acme-dev-databricks\/providers\/Microsoft\.Databricks\/workspaces\/dbw-acme-dev$/,
        ),
      },
      { alias: 'account', host: 'https://accounts.azuredatabricks.net', account_id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' },
    ]);
    expect(dev.data?.azurerm_databricks_workspace.Workspace).toMatchObject({ name: 'dbw-acme-dev', resource_group_name: 'rg-acme-dev-databricks' });
    const resources = Object.entries<Record<string, any>>(dev.resource ?? {}).flatMap(([type, byId]) =>
      Object.values<any>(byId).map((resource) => [type, resource.provider]),
    );
    expect(resources.length).toBeGreaterThan(30);
    const accountLevel = (type: string) => type.startsWith('databricks_mws_') || type === 'databricks_budget_policy';
    for (const [type, provider] of resources) expect(provider).toBe(accountLevel(type) ? 'databricks.account' : 'databricks.workspace');
    expect(JSON.stringify(dev)).not.toContain('terraform_remote_state');
  });

  test('assigns the metastore of the definition and reaches the lake through the access connector', () => {
    expect(onlyResource(prod, MetastoreAssignment.tfResourceType)).toMatchObject({
      metastore_id: '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
      workspace_id: '${data.azurerm_databricks_workspace.Workspace.workspace_id}',
    });
    expect(onlyResource(dev, StorageCredential.tfResourceType)).toMatchObject({
      name: 'acme_dev',
      isolation_mode: 'ISOLATION_MODE_ISOLATED',
      azure_managed_identity: {
        access_connector_id: expect.stringMatching(/\/rg-acme-dev-databricks\/providers\/Microsoft\.Databricks\/accessConnectors\/dbac-acme-dev$/),
      },
    });
    const locations = byName(resourcesOf(dev, ExternalLocation.tfResourceType));
    expect(Object.keys(locations).sort()).toEqual(['acme_dev_bronze', 'acme_dev_bronze_work', 'acme_dev_gold', 'acme_dev_silver']);
    // Bronze's working data (the bronze schema's tables, the ingestion state): a location of its own, like a layer's.
    expect(locations.acme_dev_bronze_work).toMatchObject({
      url: expect.stringMatching(/^abfss:\/\/bronze-work@acmedevdl[0-9a-f]{4}\.dfs\.core\.windows\.net\/$/),
      credential_name: '${databricks_storage_credential.UnityCatalog_StorageCredential_3D3FDC93.name}',
      isolation_mode: 'ISOLATION_MODE_ISOLATED',
      force_destroy: false,
      skip_validation: true,
    });
    expect(locations.acme_dev_bronze_work.url.replace('bronze-work@', 'bronze@')).toBe(locations.acme_dev_bronze.url);
    expect(locations.acme_dev_silver).toMatchObject({
      url: expect.stringMatching(/^abfss:\/\/silver@acmedevdl[0-9a-f]{4}\.dfs\.core\.windows\.net\/$/),
      credential_name: '${databricks_storage_credential.UnityCatalog_StorageCredential_3D3FDC93.name}',
      isolation_mode: 'ISOLATION_MODE_ISOLATED',
      force_destroy: false,
      skip_validation: true,
    });
  });

  test('has one isolated catalog per environment, bound to its workspace, with a schema per layer and ml', () => {
    expect(onlyResource(dev, Catalog.tfResourceType)).toMatchObject({ name: 'acme_dev', isolation_mode: 'ISOLATED', force_destroy: false });
    const schemas = byName(resourcesOf(dev, Schema.tfResourceType));
    expect(Object.keys(schemas).sort()).toEqual(['bronze', 'gold', 'ml', 'reference', 'silver', 'snapshots']);
    // The dbt job's own schemas live in silver's filesystem, each under its own folder.
    expect(schemas.reference.storage_root).toBe('${databricks_external_location.UnityCatalog_silver-location_9EDB72C4.url}reference/');
    // Silver's and gold's managed tables live in their layer's filesystem, under its external location; bronze's
    // Delta tables in bronze's working data, since the bronze filesystem is immutable and Delta rewrites files.
    expect(schemas.silver.storage_root).toBe('${databricks_external_location.UnityCatalog_silver-location_9EDB72C4.url}tables/');
    expect(schemas.bronze.storage_root).toMatch(/^\$\{databricks_external_location\.UnityCatalog_bronze-work-location_[0-9A-F]{8}\.url\}tables\/$/);
    expect(schemas.ml.storage_root).toBe('${databricks_external_location.UnityCatalog_gold-location_29AC18BE.url}ml/');
    const bindings = Object.values<any>(resourcesOf(dev, WorkspaceBinding.tfResourceType));
    expect(bindings.map((binding) => binding.securable_type).sort()).toEqual([
      'catalog',
      'external_location',
      'external_location',
      'external_location',
      'external_location',
      'storage_credential',
    ]);
    for (const binding of bindings) expect(binding.workspace_id).toBe('${data.azurerm_databricks_workspace.Workspace.workspace_id}');
  });

  test('prevents destroying catalogs, schemas, external locations and the credential in prod, and never force-destroys', () => {
    for (const type of [Catalog.tfResourceType, Schema.tfResourceType, ExternalLocation.tfResourceType, StorageCredential.tfResourceType]) {
      for (const resource of Object.values<any>(resourcesOf(prod, type))) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
      for (const resource of Object.values<any>(resourcesOf(dev, type))) expect(resource).not.toHaveProperty('lifecycle');
    }
    expect(all(prod).some((resource) => resource.force_destroy === true)).toBe(false);
  });

  test('keeps the logical ids of the catalog, its schemas, the external locations and the credential', () => {
    expect(Object.keys(resourcesOf(prod, Catalog.tfResourceType))).toEqual(['UnityCatalog_3BA54C20']);
    expect(Object.keys(resourcesOf(prod, Schema.tfResourceType)).sort()).toEqual([
      'UnityCatalog_bronze-schema_179BDA66',
      'UnityCatalog_gold-schema_DCA9CCDF',
      'UnityCatalog_ml-schema_28357474',
      'UnityCatalog_reference-schema_DDEEAAAD',
      'UnityCatalog_silver-schema_06D8AA96',
      'UnityCatalog_snapshots-schema_5BBB38DB',
    ]);
    expect(Object.keys(resourcesOf(prod, ExternalLocation.tfResourceType)).sort()).toEqual([
      'UnityCatalog_bronze-location_37C02DCE',
      expect.stringMatching(/^UnityCatalog_bronze-work-location_[0-9A-F]{8}$/),
      'UnityCatalog_gold-location_29AC18BE',
      'UnityCatalog_silver-location_9EDB72C4',
    ]);
    expect(Object.keys(resourcesOf(prod, StorageCredential.tfResourceType))).toEqual(['UnityCatalog_StorageCredential_3D3FDC93']);
  });

  test('writes exactly one authoritative grants resource per granted securable, from the grant matrix', () => {
    const grants = Object.values<any>(resourcesOf(dev, Grants.tfResourceType));
    const securableOf = (grant: any) =>
      ['catalog', 'schema', 'external_location', 'model'].find((key) => key in grant)! +
      ' ' +
      (grant.catalog ?? grant.schema ?? grant.external_location ?? grant.model);
    expect(new Set(grants.map(securableOf)).size).toBe(grants.length);
    const matrix = unityCatalogGrants(config);
    const expected = [matrix.catalog, ...Object.values(matrix.schemas), ...Object.values(matrix.externalLocations), ...Object.values(matrix.registeredModels)];
    expect(grants.map((grant) => grant.grant).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      expected
        .map((list) => list!.map((grant) => ({ principal: grant.principal, privileges: grant.privileges })))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    const gold = grants.find((grant) => grant.schema === '${databricks_schema.UnityCatalog_gold-schema_DCA9CCDF.id}');
    // Reading is granted per table (the dbt models' grants, the table grants job), never on a schema.
    expect(gold.grant).toContainEqual({ principal: 'data-science', privileges: ['USE_SCHEMA'] });
    // Only the dbt job's own schemas (reference data, snapshots) are read whole, by the stewards who run it.
    const schemaSelects = grants
      .filter((grant) => 'schema' in grant)
      .flatMap((grant) => grant.grant.filter((g: any) => g.privileges.includes('SELECT')).map((g: any) => `${grant.schema} ${g.principal}`));
    expect(schemaSelects.sort()).toEqual([
      '${databricks_schema.UnityCatalog_reference-schema_DDEEAAAD.id} data-engineering',
      '${databricks_schema.UnityCatalog_snapshots-schema_5BBB38DB.id} data-engineering',
    ]);
  });

  test('moves only the grants of the changed layer when a reader is added to the definition', () => {
    const withReader = configWith((d) => (d.datasets.find((x: any) => x.name === 'orders').readers.bronze = ['analysts']));
    const changed = synthDatabricksStack(DatabricksLakehouseStack, withReader, 'dev').json;
    const before = resourcesOf(dev, Grants.tfResourceType);
    const after = resourcesOf(changed, Grants.tfResourceType);
    const differing = Object.keys(after).filter((id) => JSON.stringify(after[id]) !== JSON.stringify(before[id]));
    expect(differing).toEqual(['UnityCatalog_bronze-schema-grants_3327EB11']);
  });

  test('governs compute with job, pipeline and interactive policies: node types, runtime, worker limits, cost tags, auto-termination', () => {
    const policies = byName(resourcesOf(prod, ClusterPolicy.tfResourceType));
    expect(Object.keys(policies).sort()).toEqual(['acme-prod-interactive-compute', 'acme-prod-job-compute', 'acme-prod-pipeline-compute']);
    const interactive = JSON.parse(policies['acme-prod-interactive-compute'].definition);
    expect(interactive).toMatchObject({
      node_type_id: { type: 'allowlist', values: ['Standard_D8ds_v5', 'Standard_D16ds_v5'] },
      spark_version: { type: 'fixed', value: '16.4.x-scala2.12' },
      'autoscale.max_workers': { type: 'range', maxValue: 16 },
      autotermination_minutes: { type: 'range', maxValue: 60, defaultValue: 60 },
      'custom_tags.cost-center': { type: 'fixed', value: 'cc-4410' },
      'custom_tags.environment': { type: 'fixed', value: 'prod' },
      data_security_mode: { type: 'allowlist', values: ['USER_ISOLATION', 'SINGLE_USER'] },
    });
    const job = JSON.parse(policies['acme-prod-job-compute'].definition);
    expect(job).toMatchObject({
      cluster_type: { type: 'fixed', value: 'job' },
      data_security_mode: { type: 'fixed', value: 'SINGLE_USER' },
      'azure_attributes.availability': { value: 'ON_DEMAND_AZURE' },
    });
    expect(JSON.parse(byName(resourcesOf(dev, ClusterPolicy.tfResourceType))['acme-dev-job-compute'].definition)).toMatchObject({
      'autoscale.max_workers': { maxValue: 2 },
      'azure_attributes.availability': { value: 'SPOT_WITH_FALLBACK_AZURE' },
    });
    const pipelinePolicy = JSON.parse(policies['acme-prod-pipeline-compute'].definition);
    expect(pipelinePolicy.cluster_type).toEqual({ type: 'fixed', value: 'dlt' });
    expect(pipelinePolicy).not.toHaveProperty('spark_version');
    const uses = Object.values<any>(resourcesOf(prod, Permissions.tfResourceType)).filter((p) => 'cluster_policy_id' in p);
    expect(uses.map((p) => [p.cluster_policy_id.match(/ComputePolicies_(\w+)_/)[1], p.access_control.map((a: any) => a.group_name)]).sort()).toEqual([
      ['interactive', ['analysts', 'data-engineering', 'data-science', 'marketing-analytics']],
      ['job', ['data-engineering']],
      ['pipeline', ['data-engineering', 'marketing-analytics']],
    ]);
  });

  test('lets serverless compute reach the lake (dfs and blob) over private endpoints of a connectivity configuration bound to the workspace', () => {
    expect(onlyResource(dev, 'databricks_mws_network_connectivity_config')).toMatchObject({ name: 'acme-dev-serverless', region: 'westeurope' });
    const rules = Object.values<any>(resourcesOf(dev, 'databricks_mws_ncc_private_endpoint_rule'));
    expect(rules.map((rule) => rule.group_id).sort()).toEqual(['blob', 'dfs']);
    for (const rule of rules) expect(rule.resource_id).toMatch(/\/storageAccounts\/acmedevdl[0-9a-f]{4}$/);
    expect(onlyResource(dev, 'databricks_mws_ncc_binding').workspace_id).toBe('${data.azurerm_databricks_workspace.Workspace.workspace_id}');
  });

  test('fixes every cost-allocation tag on every cluster policy', () => {
    for (const policy of Object.values<any>(resourcesOf(prod, ClusterPolicy.tfResourceType))) {
      expect(JSON.parse(policy.definition)).toMatchObject({
        'custom_tags.platform': { type: 'fixed', value: 'acme' },
        'custom_tags.environment': { type: 'fixed', value: 'prod' },
        'custom_tags.owner': { type: 'fixed', value: expect.any(String) },
        'custom_tags.cost-center': { type: 'fixed', value: 'cc-4410' },
      });
    }
  });

  test("tags the workspace's serverless usage through an account-level budget policy bound to the workspace", () => {
    const policy = onlyResource(prod, 'databricks_budget_policy');
    expect(policy).toMatchObject({
      provider: 'databricks.account',
      policy_name: 'acme-prod-cost',
      binding_workspace_ids: ['${data.azurerm_databricks_workspace.Workspace.workspace_id}'],
    });
    expect(policy.custom_tags).toEqual(
      expect.arrayContaining([
        { key: 'platform', value: 'acme' },
        { key: 'environment', value: 'prod' },
        { key: 'cost-center', value: 'cc-4410' },
      ]),
    );
  });

  test('has a serverless SQL warehouse that stops when idle', () => {
    expect(onlyResource(dev, SqlEndpoint.tfResourceType)).toMatchObject({
      name: 'acme-dev-sql',
      enable_serverless_compute: true,
      warehouse_type: 'PRO',
      auto_stop_mins: 10,
      cluster_size: '2X-Small',
      tags: { custom_tags: expect.arrayContaining([{ key: 'cost-center', value: 'cc-4410' }]) },
    });
    expect(onlyResource(prod, SqlEndpoint.tfResourceType)).toMatchObject({ cluster_size: 'Small', max_num_clusters: 2 });
  });

  test("runs a Delta Live Tables pipeline per stream domain from the Kafka endpoint, with the definition's quality rules", () => {
    const pipeline = onlyResource(dev, Pipeline.tfResourceType);
    expect(pipeline).toMatchObject({
      name: 'acme-dev-dlt-marketing',
      catalog: 'acme_dev',
      schema: 'bronze',
      edition: 'ADVANCED',
      continuous: false,
      development: true,
      trigger: { cron: { quartz_cron_schedule: '0 0 * * * ?', timezone_id: 'UTC' } },
      library: [{ file: { path: '${databricks_workspace_file.PipelineSources_stream_medallion_9E40856C.path}' } }],
      event_log: { catalog: 'acme_dev', schema: 'silver', name: 'acme_dev_dlt_marketing_event_log' },
      notification: [
        { email_recipients: ['data-platform-team@acme.example.com'], alerts: ['on-update-failure', 'on-update-fatal-failure', 'on-flow-failure'] },
      ],
    });
    expect(pipeline.configuration).toMatchObject({
      'platform.kafka.namespaceHost': expect.stringMatching(/^evhns-acme-dev-[0-9a-f]{4}\.servicebus\.windows\.net$/),
      'platform.kafka.tokenEndpoint': 'https://login.microsoftonline.com/7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9/oauth2/v2.0/token',
      'platform.kafka.secretScope': '${databricks_secret_scope.SecretScope_03EE38AB.name}',
      'platform.kafka.consumerGroup': 'databricks-bronze',
      'platform.schema.silver': 'silver',
    });
    const [webEvents] = JSON.parse(pipeline.configuration['platform.datasets']);
    expect(webEvents).toMatchObject({ name: 'web_events', topic: 'web.clickstream.v1', format: 'json', keys: ['event_id'] });
    expect(webEvents.quality).toEqual([
      { rule: 'accepted_values', column: 'event_type', values: ['page_view', 'add_to_cart', 'checkout', 'purchase', 'search'] },
    ]);
    expect(JSON.stringify(pipeline)).not.toMatch(/clientSecret"?\s*[:=]\s*"[^$]/);
    const prodPipeline = onlyResource(prod, Pipeline.tfResourceType);
    expect(prodPipeline).toMatchObject({ continuous: true, development: false });
    expect(prodPipeline).not.toHaveProperty('trigger');
  });

  test('reads Kafka credentials from a Key Vault-backed secret scope, readable by the stream owners only', () => {
    expect(onlyResource(dev, SecretScope.tfResourceType)).toMatchObject({
      name: 'acme-dev-key-vault',
      backend_type: 'AZURE_KEYVAULT',
      keyvault_metadata: {
        resource_id: expect.stringMatching(/\/vaults\/kv-acme-dev-[0-9a-f]{4}$/),
        dns_name: expect.stringMatching(/^https:\/\/kv-acme-dev-[0-9a-f]{4}\.vault\.azure\.net\/$/),
      },
    });
    expect(
      Object.values<any>(resourcesOf(dev, 'databricks_secret_acl'))
        .map((acl) => [acl.principal, acl.permission])
        .sort(),
    ).toEqual([
      ['data-engineering', 'READ'],
      ['marketing-analytics', 'READ'],
    ]);
  });

  test("deploys the pipeline sources from the repository as workspace files in the pipeline's root folder", () => {
    const files = byName(
      Object.fromEntries(Object.entries(resourcesOf(dev, WorkspaceFile.tfResourceType)).map(([id, file]: [string, any]) => [id, { ...file, name: file.path }])),
    );
    for (const name of ['stream_medallion.py', 'stream_rules.py', 'table_grants.py', 'apply_table_grants.py']) {
      const source = readFileSync(join(__dirname, '..', '..', '..', 'constructs', 'databricks', 'pipelines', name));
      expect(files[`/Shared/acme-dev/pipelines/${name}`].content_base64).toBe(source.toString('base64'));
    }
    expect(onlyResource(dev, Pipeline.tfResourceType).root_path).toBe('/Shared/acme-dev/pipelines');
  });

  test('adds a pipeline for a new stream domain without code changes, and none without streams', () => {
    const withDomain = configWith((d) => {
      const web = d.datasets.find((x: any) => x.name === 'web_events');
      d.datasets.push({ ...web, name: 'shipments', domain: 'logistics', source: { kind: 'stream', topic: 'logistics.shipments.v1' } });
    });
    const pipelines = byName(resourcesOf(synthDatabricksStack(DatabricksLakehouseStack, withDomain, 'dev').json, Pipeline.tfResourceType));
    expect(Object.keys(pipelines).sort()).toEqual(['acme-dev-dlt-logistics', 'acme-dev-dlt-marketing']);
    expect(JSON.parse(pipelines['acme-dev-dlt-logistics'].configuration['platform.datasets']).map((x: any) => x.topic)).toEqual(['logistics.shipments.v1']);
    // Without the stream datasets the dbt models that read them have no lineage, so no consumer may name gold models.
    const noStreams = configWith((d) => {
      d.datasets = d.datasets.filter((x: any) => x.source.kind !== 'stream');
      delete d.consumers;
    });
    const json = synthDatabricksStack(DatabricksLakehouseStack, noStreams, 'dev').json;
    expect(resourcesOf(json, Pipeline.tfResourceType)).toEqual({});
    expect(resourcesOf(json, SecretScope.tfResourceType)).toEqual({});
    // Without streams, the table grants job still grants the batch datasets' bronze tables.
    expect(Object.keys(byName(resourcesOf(json, Job.tfResourceType)))).toEqual(['acme-dev-dbt', 'acme-dev-table-grants', 'acme-dev-train-customer_churn']);
  });

  test("grants each table the pipelines and the bronze refresh create from its dataset's owners and readers in its layer, through the table grants job", () => {
    const job = byName(resourcesOf(dev, Job.tfResourceType))['acme-dev-table-grants'];
    expect(job.task[0].spark_python_task).toEqual({
      python_file: '${databricks_workspace_file.PipelineSources_apply_table_grants_2143CC6B.path}',
      source: 'WORKSPACE',
      parameters: ['--plan', '/Workspace/Shared/acme-dev/pipelines/table_grants.json'],
    });
    expect(job.budget_policy_id).toBe('${databricks_budget_policy.BudgetPolicy_977DF9B4.policy_id}');
    const planFile = Object.values<any>(resourcesOf(dev, WorkspaceFile.tfResourceType)).find((file) => file.path.endsWith('table_grants.json'));
    const plan = JSON.parse(Buffer.from(planFile.content_base64, 'base64').toString('utf8'));
    const readers = Object.fromEntries(
      plan.tables.map((table: any) => [table.table, table.grants.map((grant: any) => `${grant.principal}:${grant.privileges.join('+')}`).join(' ')]),
    );
    // web_events (PII): bronze is its owners' only; silver adds marketing; gold adds analysts and data science.
    // The batch datasets' bronze tables: their owners only (campaigns is co-owned by marketing); customers (PII) data engineering's alone.
    expect(readers).toEqual({
      'acme_dev.bronze.campaigns': 'data-engineering:APPLY_TAG+MODIFY+SELECT marketing-analytics:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.customers': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.exchange_rates': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.newsletter_signups': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.order_items': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.orders': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.products': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.bronze.web_events_raw': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      // The bronze table the dbt source reads (unityCatalogBronzeTable), with the same grants as the raw records.
      'acme_dev.bronze.web_events': 'data-engineering:APPLY_TAG+MODIFY+SELECT',
      'acme_dev.silver.web_events': 'data-engineering:APPLY_TAG+MODIFY+SELECT marketing-analytics:SELECT',
      'acme_dev.silver.web_events_quarantine': 'data-engineering:APPLY_TAG+MODIFY+SELECT marketing-analytics:SELECT',
      'acme_dev.silver.acme_dev_dlt_marketing_event_log': 'data-engineering:APPLY_TAG+SELECT marketing-analytics:SELECT',
      'acme_dev.gold.web_events_daily': 'analysts:SELECT data-engineering:APPLY_TAG+SELECT data-science:SELECT marketing-analytics:SELECT',
    });
  });

  test("runs the repository's dbt project on the SQL warehouse on the environment's schedule, emailing failures", () => {
    const job = byName(resourcesOf(prod, Job.tfResourceType))['acme-prod-dbt'];
    expect(job).toMatchObject({
      name: 'acme-prod-dbt',
      max_concurrent_runs: 1,
      git_source: { url: 'https://github.com/acme/cloud-platform-solutions.git', provider: 'gitHub', branch: 'main' },
      schedule: { quartz_cron_expression: '0 0 4 * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
      email_notifications: { on_failure: ['data-platform-oncall@acme.example.com'] },
    });
    expect(byName(resourcesOf(dev, Job.tfResourceType))['acme-dev-dbt'].schedule.quartz_cron_expression).toBe('0 0 5 * * ?');
    const noDbt = configWith((d) => delete d.dbt);
    expect(Object.keys(byName(resourcesOf(synthDatabricksStack(DatabricksLakehouseStack, noDbt, 'dev').json, Job.tfResourceType)))).toEqual([
      'acme-dev-table-grants',
      'acme-dev-train-customer_churn',
    ]);
  });

  test.each(['dev', 'staging', 'prod'])(
    'in %s, the dbt job builds on its own SQL warehouse into its catalog, without the sample seeds, with the pinned dbt',
    (environment) => {
      const json = stacks[environment].json;
      const job = byName(resourcesOf(json, Job.tfResourceType))[`acme-${environment}-dbt`];
      const warehouse = Object.keys(resourcesOf(json, SqlEndpoint.tfResourceType));
      expect(warehouse).toHaveLength(1);
      // The bronze refresh, then dbt (then, with a SQL warehouse, the warehouse load).
      expect(job.task.map((task: any) => task.task_key).slice(0, 2)).toEqual(['bronze_tables', 'dbt_build']);
      const [bronze, dbt] = job.task;
      expect(dbt).toEqual(
        expect.objectContaining({
          task_key: 'dbt_build',
          dbt_task: {
            source: 'GIT',
            project_directory: 'dbt',
            warehouse_id: `\${databricks_sql_endpoint.${warehouse[0]}.id}`,
            catalog: `acme_${environment}`,
            schema: 'dbt',
            commands: ['dbt build --selector scheduled --vars \'{"schema_per_layer":true}\''],
          },
          library: [{ pypi: { package: 'dbt-core==1.11.16' } }, { pypi: { package: 'dbt-databricks==1.12.7' } }],
        }),
      );
      // dbt builds only after the bronze refresh succeeded: its sources are the tables that refresh loads.
      expect(dbt.depends_on).toEqual([{ task_key: 'bronze_tables' }]);
      const files = byPath(resourcesOf(json, WorkspaceFile.tfResourceType));
      const folder = `/Shared/acme-${environment}/pipelines`;
      expect(bronze.spark_python_task).toEqual({
        python_file: expect.stringMatching(/^\$\{databricks_workspace_file\.PipelineSources_bronze_tables_[0-9A-F]+\.path\}$/),
        source: 'WORKSPACE',
        parameters: ['--plan', `/Workspace${folder}/bronze_tables.json`, '--reader', 'autoloader', '--run-id', '{{job.run_id}}'],
      });
      expect(bronze.job_cluster_key).toBe('bronze');
      expect(job.queue).toEqual({ enabled: true });
      // The plan deployed is the definition's: every batch dataset, into the catalog's bronze schema, from the bronze filesystem.
      const plan = JSON.parse(Buffer.from(files[`${folder}/bronze_tables.json`].content_base64, 'base64').toString('utf8'));
      const config = stacks[environment].stack.config as PlatformConfig;
      expect(plan.tables.map((table: any) => table.table)).toEqual(
        Catalogue.of(config)
          .batch()
          .map((d) => `acme_${environment}.bronze.${d.name}`),
      );
      expect(plan.tables.every((table: any) => /^abfss:\/\/bronze@[a-z0-9]+\.dfs\.core\.windows\.net\/[a-z_]+\/[a-z_]+\/$/.test(table.source))).toBe(true);
      // Its checkpoints are rewritten every run: in bronze's working data, never in the immutable bronze filesystem.
      expect(
        plan.tables.every((table: any) =>
          /^abfss:\/\/bronze-work@[a-z0-9]+\.dfs\.core\.windows\.net\/_state\/[a-z_]+\/[a-z_]+\/bronze_table\/$/.test(table.checkpoint),
        ),
      ).toBe(true);
      const bronzeUrl = plan.tables[0].source.replace(/[a-z_]+\/[a-z_]+\/$/, '');
      expect(plan).toEqual(
        dataFactoryBronzeTablesPlan(config, { catalog: `acme_${environment}`, bronzeUrl, bronzeWorkUrl: bronzeUrl.replace('bronze@', 'bronze-work@') }),
      );
    },
  );

  test('loads gold into the SQL warehouse after the dbt build where the environment has a warehouse (dev, prod), and only there', () => {
    const tasksOf = (name: string) => byName(resourcesOf(stacks[name].json, Job.tfResourceType))[`acme-${name}-dbt`].task.map((task: any) => task.task_key);
    expect(tasksOf('dev')).toEqual(['bronze_tables', 'dbt_build', 'warehouse_load']);
    expect(tasksOf('prod')).toEqual(['bronze_tables', 'dbt_build', 'warehouse_load']);
    expect(tasksOf('staging')).toEqual(['bronze_tables', 'dbt_build']);
    expect(resourcesOf(stacks.staging.json, Credential.tfResourceType)).toEqual({});

    expect(onlyResource(prod, Credential.tfResourceType)).toMatchObject({
      name: 'acme_prod_warehouse_load',
      purpose: 'SERVICE',
      azure_managed_identity: {
        access_connector_id: expect.stringMatching(
          /\/resourceGroups\/rg-acme-prod-databricks\/providers\/Microsoft\.Databricks\/accessConnectors\/dbac-acme-prod$/,
        ),
      },
    });
    const load = byName(resourcesOf(prod, Job.tfResourceType))['acme-prod-dbt'].task.find((task: any) => task.task_key === 'warehouse_load');
    expect(load.spark_python_task.parameters.slice(2, 8)).toEqual([
      '--catalog',
      'acme_prod',
      '--server',
      'sql-acme-prod-0f14.database.windows.net',
      '--database',
      'warehouse',
    ]);
    const plan = Object.values<any>(resourcesOf(prod, WorkspaceFile.tfResourceType)).find(
      (file) => file.path === '/Shared/acme-prod/warehouse/warehouse_load.json',
    );
    const tables = JSON.parse(Buffer.from(plan.content_base64, 'base64').toString('utf8')).tables.map((table: any) => table.name);
    expect(tables).toEqual(expect.arrayContaining(['dim_customers', 'fct_orders', 'agg_daily_revenue', 'customer_360']));
  });

  test('has an MLflow experiment and a Unity Catalog model per ML use case, with grants', () => {
    expect(onlyResource(dev, MlflowExperiment.tfResourceType)).toMatchObject({
      name: '/Shared/acme-dev/ml/customer_churn',
      depends_on: ['databricks_directory.MlExperimentFolder'],
    });
    expect(onlyResource(dev, 'databricks_directory')).toMatchObject({ path: '/Shared/acme-dev/ml' });
    expect(onlyResource(dev, RegisteredModel.tfResourceType)).toMatchObject({ name: 'customer_churn', catalog_name: 'acme_dev', schema_name: 'ml' });
    expect(Object.values<any>(resourcesOf(dev, Grants.tfResourceType)).find((grant) => 'model' in grant).grant).toEqual([
      { principal: 'data-science', privileges: ['ALL_PRIVILEGES'] },
      { principal: 'marketing-analytics', privileges: ['EXECUTE'] },
    ]);
    const experimentAccess = Object.values<any>(resourcesOf(dev, Permissions.tfResourceType)).find((p) => 'experiment_id' in p).access_control;
    expect(experimentAccess).toEqual([
      { group_name: 'data-science', permission_level: 'CAN_MANAGE' },
      { group_name: 'marketing-analytics', permission_level: 'CAN_READ' },
    ]);
  });

  test("publishes each dashboard of the definition on the environment's SQL warehouse, bound to its catalog, owners managing and readers running it", () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const json = stacks[name].json;
      const dashboard = onlyResource(json, Dashboard.tfResourceType);
      const warehouse = Object.keys(resourcesOf(json, SqlEndpoint.tfResourceType))[0];
      expect(dashboard).toMatchObject({
        display_name: 'executive_kpis',
        parent_path: `/Shared/acme-${name}/dashboards`,
        warehouse_id: `\${databricks_sql_endpoint.${warehouse}.id}`,
        embed_credentials: false,
      });
      const queries = JSON.parse(dashboard.serialized_dashboard).datasets.map((dataset: any) => dataset.queryLines.join(''));
      const tables = queries.flatMap((query: string) => [...query.matchAll(/\b(?:FROM|JOIN)\s+([\w.]+)/g)].map((match) => match[1]));
      expect([...new Set(tables)].sort()).toEqual([`acme_${name}.gold.agg_daily_revenue`, `acme_${name}.gold.fct_orders`]);
      const dashboardId = `\${databricks_dashboard.${Object.keys(resourcesOf(json, Dashboard.tfResourceType))[0]}.id}`;
      expect(Object.values<any>(resourcesOf(json, Permissions.tfResourceType)).find((p) => p.dashboard_id === dashboardId).access_control).toEqual([
        { group_name: 'data-engineering', permission_level: 'CAN_MANAGE' },
        { group_name: 'analysts', permission_level: 'CAN_RUN' },
      ]);
      // Its viewers run its queries as themselves (credentials not embedded), so they must be able to use the warehouse.
      const warehouseUsers = Object.values<any>(resourcesOf(json, Permissions.tfResourceType))
        .find((p) => p.sql_endpoint_id === `\${databricks_sql_endpoint.${warehouse}.id}`)
        .access_control.map((entry: any) => entry.group_name);
      expect(warehouseUsers).toEqual(expect.arrayContaining(['data-engineering', 'analysts']));
    }
  });

  test('shares the gold tables of each share of the environment with exactly its recipients, SELECT and nothing more', () => {
    for (const name of ['dev', 'staging']) {
      expect(resourcesOf(stacks[name].json, Share.tfResourceType)).toEqual({});
      expect(resourcesOf(stacks[name].json, Recipient.tfResourceType)).toEqual({});
      expect((stacks[name].json as { output?: unknown }).output).toBeUndefined();
    }
    const share = onlyResource(prod, Share.tfResourceType);
    expect(share).toMatchObject({
      name: 'acme_prod_retail_partner_catalog',
      object: [
        { name: 'acme_prod.gold.dim_exchange_rates', data_object_type: 'TABLE', shared_as: 'gold.dim_exchange_rates' },
        { name: 'acme_prod.gold.dim_products', data_object_type: 'TABLE', shared_as: 'gold.dim_products' },
      ],
    });
    expect(Object.values<any>(share.object).every((object) => object.history_data_sharing_status === undefined && object.cdf_enabled === undefined)).toBe(true);
    expect(byName(resourcesOf(prod, Recipient.tfResourceType))).toEqual({
      acme_prod_northwind_retail: expect.objectContaining({
        authentication_type: 'DATABRICKS',
        data_recipient_global_metastore_id: 'azure:westeurope:19a84bee-54bc-43a2-87de-023d0ec16016',
      }),
      acme_prod_contoso_pricing: expect.objectContaining({ authentication_type: 'TOKEN', ip_access_list: { allowed_ip_addresses: ['203.0.113.0/24'] } }),
    });
    const shareId = Object.keys(resourcesOf(prod, Share.tfResourceType))[0];
    const shareGrants = Object.values<any>(resourcesOf(prod, Grants.tfResourceType)).filter((grant) => 'share' in grant);
    expect(shareGrants).toEqual([
      expect.objectContaining({
        share: `\${databricks_share.${shareId}.name}`,
        grant: [
          { principal: 'acme_prod_contoso_pricing', privileges: ['SELECT'] },
          { principal: 'acme_prod_northwind_retail', privileges: ['SELECT'] },
        ],
      }),
    ]);
    // The open recipient's activation link is an output, marked sensitive.
    expect(Object.values<any>((prod as { output?: object }).output ?? {})).toEqual([
      expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{databricks_recipient\..+\.activation_url\}$/) }),
    ]);
  });

  test('creates a recipient named by several shares once, and shares a view as a view', () => {
    const twoShares = configWith((d) => {
      d.consumers.shares.push({ ...d.consumers.shares[0], name: 'retail_partner_revenue', tables: ['agg_daily_revenue'], allowPersonalData: true });
    });
    const json = synthDatabricksStack(DatabricksLakehouseStack, twoShares, 'prod').json;
    expect(Object.keys(byName(resourcesOf(json, Recipient.tfResourceType))).sort()).toEqual(['acme_prod_contoso_pricing', 'acme_prod_northwind_retail']);
    const shares = byName(resourcesOf(json, Share.tfResourceType));
    expect(shares.acme_prod_retail_partner_revenue.object).toEqual([
      { name: 'acme_prod.gold.agg_daily_revenue', data_object_type: 'VIEW', shared_as: 'gold.agg_daily_revenue' },
    ]);
    expect(Object.values<any>(resourcesOf(json, Grants.tfResourceType)).filter((grant) => 'share' in grant)).toHaveLength(2);
  });

  test('fails when a dashboard template reads a table its definition entry does not name', () => {
    const narrower = configWith((d) => {
      d.consumers.dashboards[0].tables = ['agg_daily_revenue'];
    });
    expect(() => synthDatabricksStack(DatabricksLakehouseStack, narrower, 'dev')).toThrow(
      /"executive_kpis": tables \[agg_daily_revenue\] must be the gold tables its template .* reads \[agg_daily_revenue, fct_orders\]; add/,
    );
  });

  test('trains each ML use case with a job on a job-policy cluster: code and plan as workspace files, its schedule, run by the owners', () => {
    const job = byName(resourcesOf(dev, Job.tfResourceType))['acme-dev-train-customer_churn'];
    const policyId = Object.entries(resourcesOf(dev, ClusterPolicy.tfResourceType)).find(([, policy]) => policy.name === 'acme-dev-job-compute')![0];
    expect(job.job_cluster).toEqual([
      {
        job_cluster_key: 'training',
        new_cluster: {
          policy_id: `\${databricks_cluster_policy.${policyId}.id}`,
          apply_policy_default_values: true,
          autoscale: { min_workers: 1, max_workers: 1 },
        },
      },
    ]);
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 0 6 ? * 2', timezone_id: 'UTC', pause_status: 'UNPAUSED' });
    expect(job).toMatchObject({ max_concurrent_runs: 1, queue: { enabled: true }, tags: { component: 'ml', use_case: 'customer_churn' } });
    const [task] = job.task;
    expect(task.library).toEqual(ML_TRAINING_PACKAGES.map((pkg) => ({ pypi: { package: pkg } })));
    expect(task).toMatchObject({ max_retries: 0, job_cluster_key: 'training' });
    expect(task.spark_python_task).toEqual({
      python_file: '${databricks_workspace_file.MlTrainingSources_train_model_1872A502.path}',
      source: 'WORKSPACE',
      parameters: ['--plan', '/Workspace/Shared/acme-dev/ml-training/customer_churn.json', '--tracking-uri', 'databricks', '--registry-uri', 'databricks-uc'],
    });
    const files = byPath(resourcesOf(dev, WorkspaceFile.tfResourceType));
    expect(Object.keys(files).filter((path) => path.startsWith('/Shared/acme-dev/ml-training/'))).toEqual([
      '/Shared/acme-dev/ml-training/model_training.py',
      '/Shared/acme-dev/ml-training/train_model.py',
      '/Shared/acme-dev/ml-training/customer_churn.json',
    ]);
    const plan = JSON.parse(Buffer.from(files['/Shared/acme-dev/ml-training/customer_churn.json'].content_base64, 'base64').toString());
    expect(plan).toMatchObject({
      model: 'acme_dev.ml.customer_churn',
      experiment: '/Shared/acme-dev/ml/customer_churn',
      label: 'is_churned',
      tables: [expect.objectContaining({ table: 'acme_dev.gold.ml_customer_churn_features' })],
    });
    const runners = Object.values<any>(resourcesOf(dev, Permissions.tfResourceType)).find((p) => p.job_id?.includes('customer_churn-training'));
    expect(runners.access_control).toEqual([{ group_name: 'data-science', permission_level: 'CAN_MANAGE_RUN' }]);
  });

  test('installs on the training cluster the pins the local training test runs with (requirements.txt)', () => {
    const pins = readFileSync(join(__dirname, '../../../requirements.txt'), 'utf8').split('\n');
    for (const pkg of ML_TRAINING_PACKAGES) expect(pins).toContain(pkg);
  });

  test('serves the champion version on a serverless endpoint only where the definition asks (prod), queried by readers and managed by owners', () => {
    expect(resourcesOf(dev, ModelServing.tfResourceType)).toEqual({});
    expect(resourcesOf(stacks.staging.json, ModelServing.tfResourceType)).toEqual({});
    const endpoint = onlyResource(prod, ModelServing.tfResourceType);
    const [id] = Object.keys(resourcesOf(prod, ModelServing.tfResourceType));
    const lookup = Object.keys((prod as any).data.databricks_registered_model)[0];
    const model = `databricks_registered_model.${Object.keys(resourcesOf(prod, RegisteredModel.tfResourceType))[0]}`;
    const versions = `[for entry in data.databricks_registered_model.${lookup}.model_info[0].aliases : entry.version_num if entry.alias_name == "champion"]`;
    expect(endpoint).toMatchObject({
      name: 'acme-prod-customer-churn',
      config: {
        served_entities: [
          {
            name: `\${${model}.name}`,
            entity_name: `\${${model}.catalog_name}.\${${model}.schema_name}.\${${model}.name}`,
            entity_version: `\${one(${versions})}`,
            workload_size: 'Small',
            scale_to_zero_enabled: true,
          },
        ],
      },
      ai_gateway: { inference_table_config: { enabled: true, catalog_name: 'acme_prod', schema_name: 'ml', table_name_prefix: `\${${model}.name}` } },
      lifecycle: { precondition: [expect.objectContaining({ condition: `\${length(${versions}) == 1}` })] },
    });
    expect(endpoint.budget_policy_id).toMatch(/^\$\{databricks_budget_policy\./);
    expect((prod as any).data.databricks_registered_model[lookup]).toMatchObject({
      full_name: expect.stringMatching(/^\$\{databricks_registered_model\./),
      include_aliases: true,
    });
    const access = Object.values<any>(resourcesOf(prod, Permissions.tfResourceType)).find((p) => 'serving_endpoint_id' in p);
    expect(access.serving_endpoint_id).toBe(`\${databricks_model_serving.${id}.serving_endpoint_id}`);
    expect(access.access_control).toEqual([
      { group_name: 'data-science', permission_level: 'CAN_MANAGE' },
      { group_name: 'marketing-analytics', permission_level: 'CAN_QUERY' },
    ]);
  });

  test('fails when an ML use case names a label its feature tables do not have, listing the columns', () => {
    const wrongLabel = configWith((d) => (d.mlUseCases[0].label = 'churned'));
    expect(() => synthDatabricksStack(DatabricksLakehouseStack, wrongLabel, 'dev')).toThrow(
      /mlUseCases "customer_churn": label: "churned" is not a column of ml_customer_churn_features; columns: feature_date, segment, .*is_churned/,
    );
  });
});
