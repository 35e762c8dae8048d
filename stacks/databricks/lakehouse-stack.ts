import { DataAzurermDatabricksWorkspace } from '@cdktf/provider-azurerm/lib/data-azurerm-databricks-workspace';
import { Directory } from '@cdktf/provider-databricks/lib/directory';
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ComputePolicies, COMPUTE_KINDS, type ComputeKind } from '../../constructs/databricks/compute-policies';
import { dataFactoryBronzeTablesPlan } from '../../constructs/databricks/bronze-tables';
import { DbtJob } from '../../constructs/databricks/dbt-job';
import { DeltaShare } from '../../constructs/databricks/delta-share';
import { DeltaSharingRecipient } from '../../constructs/databricks/delta-sharing-recipient';
import { DASHBOARD_TEMPLATES_DIRECTORY, LakeviewDashboard } from '../../constructs/databricks/lakeview-dashboard';
import { KeyVaultSecretScope } from '../../constructs/databricks/key-vault-secret-scope';
import { LakehouseCatalog } from '../../constructs/databricks/lakehouse-catalog';
import { ML_TRAINING_SOURCE_DIRECTORY, MlTrainingJob } from '../../constructs/databricks/ml-training-job';
import { MlUseCase } from '../../constructs/databricks/ml-use-case';
import { ModelServingEndpoint } from '../../constructs/databricks/model-serving-endpoint';
import { ServerlessBudgetPolicy } from '../../constructs/databricks/serverless-budget-policy';
import { ServerlessNetworkConnectivity } from '../../constructs/databricks/serverless-network-connectivity';
import { ServerlessSqlWarehouse } from '../../constructs/databricks/serverless-sql-warehouse';
import { StreamPipeline } from '../../constructs/databricks/stream-pipeline';
import { TableGrantsJob } from '../../constructs/databricks/table-grants-job';
import { WarehouseLoad } from '../../constructs/databricks/warehouse-load';
import { WorkspaceSourceFiles } from '../../constructs/databricks/workspace-source-files';
import { WorkspaceAudit } from '../../constructs/databricks/workspace-audit';
import { type AzureEnvironment, type DatabricksEnvironment, type EnvironmentConfig, LAYERS, type Layer, type PlatformConfig } from '../../lib/definition';
import { ML_SCHEMA, unityCatalogGrants, unityCatalogTableGrants, workspaceAccess } from '../../lib/access/unity-catalog-grants';
import { dashboardPlans, deltaSharingPlan } from '../../lib/consumers';
import {
  budgetPolicyName,
  clusterPolicyName,
  dashboardFolder,
  dbtJobName,
  dltPipelineName,
  keyVaultSecretScopeName,
  mlflowExperimentPath,
  mlTrainingJobName,
  qualifiedTableName,
  serverlessConnectivityName,
  servingEndpointName,
  sqlWarehouseName,
  tableGrantsJobName,
  terraformStackName,
  unityCatalogLayerSchema,
  warehouseLoadCredentialName,
  workspaceFolder,
} from '../../lib/naming';
import { mlTrainingPlan } from '../../lib/ml';
import { readGoldContracts, warehouseLoadPlan } from '../../lib/warehouse';
import { BRONZE_WORK_AREA, LAKE_AREAS, type LakeArea } from '../../lib/lake';
import { standardTags } from '../../lib/tagging';
import { addAzureRemoteState, addAzurermProvider, azureOf, namingScopeOf } from '../azure/azure-environment';
import { databricksOf, LakehouseReferences } from './lakehouse-references';
import { streamPipelineDatasetOf } from './stream-pipeline-datasets';
import { Catalogue } from '../../lib/definition';
import type { EnvironmentScope } from '../../lib/definition';

/** Secrets of the Entra ID application the stream pipelines read Event Hubs with, by name in the vault. */
export const KAFKA_CLIENT_SECRETS = { clientId: 'databricks-kafka-client-id', clientSecret: 'databricks-kafka-client-secret' } as const;
/** The Event Hubs consumer group the pipelines read with (the streaming stack creates it on every hub). */
export const PIPELINE_CONSUMER_GROUP = 'databricks-bronze';
/** The Azure Databricks account console. */
export const DATABRICKS_ACCOUNTS_HOST = 'https://accounts.azuredatabricks.net';
/** Schema the dbt profile targets; the job's `schema_per_layer` sends models to the layer schemas. */
export const DBT_TARGET_SCHEMA = 'dbt';

/** SQL warehouse size per stage: small outside production, where BI concurrency is low. */

/**
 * The contents of one environment's workspace (`<prefix>-<env>-databricks-lakehouse`), on the
 * Databricks provider of that workspace (one alias per workspace; its host is the workspace URL, looked
 * up by name, because stacks never read each other's state; plus the account console's provider for the
 * serverless network connectivity): Unity Catalog (metastore assignment, storage credential, external
 * locations, the isolated catalog and its schemas, grants from the definition), cluster policies, the
 * serverless SQL warehouse with private endpoints to the lake, the Key Vault-backed secret scope, a
 * Delta Live Tables pipeline per stream domain with the job that grants their tables, the dbt job (whose
 * models carry their own grants) and, where the environment has an Azure SQL warehouse, its task that
 * loads the gold tables into it (`WarehouseLoad`), the ML use cases (MLflow experiment, registered model,
 * training job, and a serving endpoint where the definition asks for one), the consumers of gold (the
 * dashboards on the SQL warehouse, the Delta Sharing shares and recipients of the environment), and the
 * audit trail (the metastore's `access` system schema, verbose audit logs in production). Deployed after
 * the workspace stack.
 */
export class DatabricksLakehouseStack extends TerraformStack {
  readonly config: PlatformConfig;
  readonly environment: EnvironmentConfig;
  readonly azure: AzureEnvironment;
  readonly databricks: DatabricksEnvironment;
  readonly references: LakehouseReferences;
  readonly provider: DatabricksProvider;
  readonly catalog: LakehouseCatalog;
  readonly policies: ComputePolicies;
  readonly warehouse: ServerlessSqlWarehouse;
  readonly pipelines: ReadonlyMap<string, StreamPipeline>;
  /** Gives the tables the pipelines and the bronze refresh create their grants; absent when nothing creates tables at run time. */
  readonly tableGrants?: TableGrantsJob;
  readonly dbtJob?: DbtJob;
  /** Loads gold into the Azure SQL warehouse after each dbt build; absent without a warehouse or a dbt project. */
  readonly warehouseLoad?: WarehouseLoad;
  readonly mlUseCases: readonly MlUseCase[];
  /** The training job of each ML use case, by use case name. */
  readonly mlTrainingJobs: ReadonlyMap<string, MlTrainingJob>;
  /** The serving endpoint of each ML use case served in this environment, by use case name. */
  readonly servingEndpoints: ReadonlyMap<string, ModelServingEndpoint>;
  readonly audit: WorkspaceAudit;
  /** The dashboards of `consumers.dashboards`, on the SQL warehouse. */
  readonly dashboards: readonly LakeviewDashboard[];
  /** The shares of `consumers.shares` that this environment creates, and their recipients. */
  readonly shares: readonly DeltaShare[];
  readonly recipients: readonly DeltaSharingRecipient[];

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, terraformStackName(namingScopeOf(props), 'databricks', 'lakehouse'));
    const { config, environment } = props;
    this.config = config;
    this.environment = environment;
    this.azure = azureOf(environment);
    this.databricks = databricksOf(environment);
    const refs = new LakehouseReferences(props);
    this.references = refs;
    const naming = refs.scope;
    addAzurermProvider(this, this.azure);
    addAzureRemoteState(this, this.azure);

    const workspace = new DataAzurermDatabricksWorkspace(this, 'Workspace', { name: refs.workspaceName, resourceGroupName: refs.workspaceResourceGroupName });
    this.provider = new DatabricksProvider(this, 'databricks', {
      alias: 'workspace',
      host: `https://${workspace.workspaceUrl}`,
      azureWorkspaceResourceId: refs.workspaceId,
    });
    const provider = this.provider;
    // The account console's provider, for what belongs to the account rather than the workspace.
    const accountProvider = new DatabricksProvider(this, 'databricks-account', {
      alias: 'account',
      host: DATABRICKS_ACCOUNTS_HOST,
      accountId: this.databricks.accountId,
    });
    const grants = unityCatalogGrants(config);
    const access = workspaceAccess(config);
    const tags = standardTags(config, environment);
    const retainOnDelete = environment.dataProtection.retainOnDelete;
    const schemas = Object.fromEntries(LAYERS.map((layer) => [layer, unityCatalogLayerSchema(layer)])) as Record<Layer, string>;
    const failureEmails = this.azure.monitoring.alertEmails;

    this.catalog = new LakehouseCatalog(this, 'UnityCatalog', {
      provider,
      metastoreId: this.databricks.metastoreId,
      workspaceId: workspace.workspaceId,
      catalogName: refs.catalogName,
      accessConnectorId: refs.accessConnectorId,
      credentialName: refs.catalogName,
      filesystemUrls: Object.fromEntries(LAKE_AREAS.map((area) => [area, refs.filesystemUrl(area)])) as Record<LakeArea, string>,
      grants,
      retainOnDelete,
    });

    // The metastore's system schemas are enabled by the first environment of each metastore only
    // (audit.databricksSystemSchemas); verbose audit logs follow the stage.
    this.audit = new WorkspaceAudit(this, 'Audit', {
      provider,
      systemSchemas: environment.audit.databricksSystemSchemas,
      verboseAuditLogs: environment.policy.databricks.verboseAuditLogs,
      dependsOn: [this.catalog.metastoreAssignment],
    });

    const users: Record<ComputeKind, readonly string[]> = { job: access.stewards, pipeline: access.dataOwners, interactive: access.everyone };
    this.policies = new ComputePolicies(this, 'ComputePolicies', {
      provider,
      names: Object.fromEntries(COMPUTE_KINDS.map((kind) => [kind, clusterPolicyName(naming, kind)])) as Record<ComputeKind, string>,
      runtimeVersion: this.databricks.runtimeVersion,
      nodeTypes: this.databricks.nodeTypes,
      minWorkers: environment.sizing.sparkMinWorkers,
      maxWorkers: environment.sizing.sparkMaxWorkers,
      idleTimeoutMinutes: environment.sizing.idleTimeoutMinutes,
      costTags: tags,
      spotWorkers: environment.policy.databricks.spotWorkers,
      users,
    });

    // Classic compute carries the cost tags through the cluster policies; serverless through the budget policy.
    const budgetPolicy = new ServerlessBudgetPolicy(this, 'BudgetPolicy', {
      accountProvider,
      name: budgetPolicyName(naming),
      workspaceId: workspace.workspaceId,
      costTags: tags,
    });
    new ServerlessNetworkConnectivity(this, 'ServerlessNetwork', {
      accountProvider,
      name: serverlessConnectivityName(naming),
      region: this.azure.location,
      workspaceId: workspace.workspaceId,
      targets: [{ resourceId: refs.storageAccountId, groupIds: ['dfs', 'blob'] }],
    });
    this.warehouse = new ServerlessSqlWarehouse(this, 'SqlWarehouse', {
      provider,
      name: sqlWarehouseName(naming),
      size: environment.policy.databricks.sqlWarehouseSize,
      maxClusters: environment.policy.databricks.sqlWarehouseMaxClusters,
      costTags: tags,
      users: access.everyone,
    });

    const catalogue = Catalogue.of(config);
    const streams = catalogue.streams();
    const pipelines = new Map<string, StreamPipeline>();
    // The job code (the stream pipelines, the bronze tables step, the table grants job), where there is a job to run it.
    const sources =
      streams.length > 0 || (config.dbt && catalogue.batch().length > 0)
        ? new WorkspaceSourceFiles(this, 'PipelineSources', { provider, workspaceFolder: workspaceFolder(naming, 'pipelines') })
        : undefined;
    if (streams.length > 0 && sources) {
      const secretScope = new KeyVaultSecretScope(this, 'SecretScope', {
        provider,
        name: keyVaultSecretScopeName(naming),
        keyVaultId: refs.keyVaultId,
        keyVaultName: refs.keyVaultName,
        // Only the owners of stream datasets run the pipelines that read the Kafka credentials.
        readers: [...new Set(streams.flatMap((dataset) => access.domainOwners[dataset.domain]))].sort(),
      });
      for (const domain of [...new Set(streams.map((dataset) => dataset.domain))]) {
        pipelines.set(
          domain,
          new StreamPipeline(this, `${domain}-pipeline`, {
            provider,
            name: dltPipelineName(naming, domain),
            datasets: streams
              .filter((dataset) => dataset.domain === domain)
              .map((dataset) => streamPipelineDatasetOf(dataset, props.config.streamSchemas[dataset.name])),
            catalog: refs.catalogName,
            schemas,
            sourcePath: sources.pathOf('stream_medallion.py'),
            rootPath: sources.folder,
            kafka: {
              namespaceHost: `${refs.eventHubsNamespaceName}.servicebus.windows.net`,
              tokenEndpoint: `https://login.microsoftonline.com/${this.azure.tenantId}/oauth2/v2.0/token`,
              secretScope: secretScope.scope.name,
              clientIdSecret: KAFKA_CLIENT_SECRETS.clientId,
              clientSecretSecret: KAFKA_CLIENT_SECRETS.clientSecret,
              consumerGroup: PIPELINE_CONSUMER_GROUP,
            },
            clusterPolicyId: this.policies.policy('pipeline').id,
            minWorkers: environment.sizing.sparkMinWorkers,
            maxWorkers: environment.sizing.sparkMaxWorkers,
            continuous: environment.policy.databricks.continuousPipelines,
            development: environment.policy.databricks.developmentPipelines,
            failureEmails,
            runners: access.domainOwners[domain],
          }),
        );
      }
    }
    this.pipelines = pipelines;

    // The bronze tables of the batch datasets, which the processing job loads before dbt builds on them.
    const bronzePlan =
      config.dbt && sources && catalogue.batch().length > 0
        ? dataFactoryBronzeTablesPlan(config, {
            catalog: refs.catalogName,
            bronzeUrl: refs.filesystemUrl('bronze'),
            bronzeWorkUrl: refs.filesystemUrl(BRONZE_WORK_AREA),
          })
        : undefined;
    if (config.dbt) {
      if (this.azure.warehouse) {
        this.warehouseLoad = new WarehouseLoad(this, 'WarehouseLoad', {
          provider,
          plan: warehouseLoadPlan(readGoldContracts(), 'tsql'),
          workspaceFolder: workspaceFolder(naming, 'warehouse'),
          catalog: refs.catalogName,
          serverHost: refs.sqlServerHost,
          database: refs.sqlDatabaseName,
          credentialName: warehouseLoadCredentialName(naming),
          accessConnectorId: refs.accessConnectorId,
        });
      }
      this.dbtJob = new DbtJob(this, 'DbtJob', {
        provider,
        name: dbtJobName(naming),
        project: config.dbt,
        schedule: this.databricks.dbtSchedule,
        warehouseId: this.warehouse.warehouse.id,
        catalog: refs.catalogName,
        schema: DBT_TARGET_SCHEMA,
        clusterPolicyId: this.policies.policy('job').id,
        bronzeTables:
          bronzePlan && sources
            ? {
                plan: bronzePlan,
                sourcePath: sources.pathOf('bronze_tables.py'),
                planPath: `${sources.folder}/bronze_tables.json`,
                minWorkers: environment.sizing.sparkMinWorkers,
                maxWorkers: environment.sizing.sparkMaxWorkers,
              }
            : undefined,
        warehouseLoad: this.warehouseLoad,
        failureEmails,
        runners: access.stewards,
      });
    }

    // The pipelines and the bronze refresh create their tables at run time; the job grants each of them from
    // the definition (dbt grants its own models).
    const grantedTables = [
      ...[...pipelines.values()]
        .flatMap((pipeline) => pipeline.tables)
        .map((table) => ({
          table: `${refs.catalogName}.${schemas[table.layer]}.${table.name}`,
          kind: table.kind,
          grants: unityCatalogTableGrants(config, table.layer, table.datasets, table.kind),
        })),
      ...(bronzePlan?.tables ?? []).map((table) => ({
        table: table.table,
        kind: 'table' as const,
        grants: unityCatalogTableGrants(config, 'bronze', [table.dataset], 'table'),
      })),
    ];
    if (sources && grantedTables.length > 0) {
      this.tableGrants = new TableGrantsJob(this, 'TableGrants', {
        provider,
        name: tableGrantsJobName(naming),
        tables: grantedTables,
        sourcePath: sources.pathOf('apply_table_grants.py'),
        planPath: `${sources.folder}/table_grants.json`,
        budgetPolicyId: budgetPolicy.policy.policyId,
        failureEmails,
        runners: access.stewards,
      });
    }

    const groupsOf = (names: readonly string[]) => names.map((name) => config.groups[name].databricksGroup);
    const experimentFolder =
      config.mlUseCases.length > 0 ? new Directory(this, 'MlExperimentFolder', { provider, path: workspaceFolder(naming, 'ml') }) : undefined;
    const trainingSources =
      config.mlUseCases.length > 0
        ? new WorkspaceSourceFiles(this, 'MlTrainingSources', {
            provider,
            workspaceFolder: workspaceFolder(naming, 'ml-training'),
            sourceDirectory: ML_TRAINING_SOURCE_DIRECTORY,
          })
        : undefined;
    const goldContracts = config.mlUseCases.length > 0 ? readGoldContracts() : [];
    const trainingJobs = new Map<string, MlTrainingJob>();
    const servingEndpoints = new Map<string, ModelServingEndpoint>();
    this.mlUseCases = config.mlUseCases.map((useCase) => {
      const experiment = mlflowExperimentPath(naming, useCase.name);
      const ml = new MlUseCase(this, `${useCase.name}-ml`, {
        provider,
        name: useCase.name,
        description: useCase.description,
        experimentPath: mlflowExperimentPath(naming, useCase.name),
        experimentFolder,
        catalog: this.catalog,
        catalogName: refs.catalogName,
        schemaName: ML_SCHEMA,
        featureTables: useCase.featureTables.map((table) => qualifiedTableName(refs.catalogName, { schema: schemas.gold, table })),
        modelGrants: grants.registeredModels[useCase.name] ?? [],
        ownerGroups: groupsOf(useCase.owners),
        readerGroups: groupsOf(useCase.readers),
      });
      const plan = mlTrainingPlan(useCase, goldContracts, { catalog: refs.catalogName, goldSchema: schemas.gold, modelSchema: ML_SCHEMA, experiment });
      trainingJobs.set(
        useCase.name,
        new MlTrainingJob(this, `${useCase.name}-training`, {
          provider,
          name: mlTrainingJobName(naming, useCase.name),
          plan,
          sourcePath: trainingSources!.pathOf('train_model.py'),
          planPath: `${trainingSources!.folder}/${useCase.name}.json`,
          clusterPolicyId: this.policies.policy('job').id,
          schedule: useCase.trainingSchedule,
          runners: groupsOf(useCase.owners),
          failureEmails,
        }),
      );
      if (useCase.serving?.environments.includes(environment.name)) {
        servingEndpoints.set(
          useCase.name,
          new ModelServingEndpoint(this, `${useCase.name}-serving`, {
            provider,
            name: servingEndpointName(naming, useCase.name),
            model: ml.model,
            workloadSize: useCase.serving.workloadSize,
            scaleToZero: useCase.serving.scaleToZero,
            budgetPolicyId: budgetPolicy.policy.policyId,
            inferenceTable: { catalog: refs.catalogName, schema: ML_SCHEMA },
            queriers: groupsOf(useCase.readers),
            managers: groupsOf(useCase.owners),
            tags,
          }),
        );
      }
      return ml;
    });
    this.mlTrainingJobs = trainingJobs;
    this.servingEndpoints = servingEndpoints;

    // Consumers of gold: each dashboard's committed template bound to this catalog; the environment's shares.
    this.dashboards = dashboardPlans(config, refs.catalogName, DASHBOARD_TEMPLATES_DIRECTORY).map(
      (dashboard) =>
        new LakeviewDashboard(this, `${dashboard.name}-dashboard`, {
          provider,
          displayName: dashboard.name,
          parentPath: dashboardFolder(naming),
          serializedDashboard: dashboard.serialized,
          warehouse: this.warehouse,
          owners: dashboard.ownerGroups,
          readers: dashboard.readerGroups,
        }),
    );
    const sharing = deltaSharingPlan(config, naming, refs.catalogName);
    this.recipients = sharing.recipients.map((recipient) => {
      const construct = new DeltaSharingRecipient(this, `${recipient.recipient}-recipient`, {
        provider,
        name: recipient.name,
        comment: recipient.description,
        access: recipient.access,
      });
      if (recipient.access.kind === 'open')
        new TerraformOutput(this, `${recipient.recipient}-activation-url`, {
          value: construct.activationUrl,
          sensitive: true,
          description: `One-time link where ${recipient.recipient} downloads its Delta Sharing credential file`,
        });
      return construct;
    });
    const recipientsByName = new Map(this.recipients.map((recipient) => [recipient.name, recipient]));
    this.shares = sharing.shares.map(
      (share) =>
        new DeltaShare(this, `${share.share}-share`, {
          provider,
          name: share.name,
          comment: share.description,
          tables: share.tables.map((table) => ({ name: table.name, type: table.type, sharedAs: table.sharedAs })),
          recipients: share.recipients.map((name) => recipientsByName.get(name)!),
        }),
    );
  }
}
