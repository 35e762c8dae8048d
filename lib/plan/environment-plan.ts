import { Catalogue, deploysGoldApi, type EnvironmentConfig, type PlatformConfig, isStream } from '../definition';
import { domainShards } from '../limits/domain-shards';
import { domainShardPart, type NamingScope, type StackConcern, stackName, stackPartName, terraformStackName } from '../naming';
import { pipelineStackName, scheduleShards, scheduleShardStackName, streamingDomainStackName } from './pipeline-stacks';

/**
 * The plan of an environment: which stacks it gets, what each holds, which stacks each deploys after
 * and why, in deploy order. Decided from the definition alone, it is the one source of both apps (the
 * CDK app and the CDKTF app create exactly these stacks and wire exactly these dependencies, by mapping
 * each planned concern to its stack class), of `npm run validate` and of the CLI's `platform list`,
 * which read it without loading either toolchain.
 */

/** The cloud a stack deploys to; its toolchain follows (AWS: the CDK; Azure and Databricks: CDKTF). */
export type PlanCloud = 'aws' | 'azure' | 'databricks';

/** A stack this one deploys after, and why. */
export interface StackDependency {
  readonly stack: string;
  readonly reason: string;
}

export interface PlannedStack {
  /** `<prefix>-<env>-<concern>[-<domain>[-<shard>]|-<shard>]` (CDK) or `<prefix>-<env>-<azure|databricks>-<concern>` (CDKTF). */
  readonly name: string;
  readonly cloud: PlanCloud;
  readonly toolchain: 'cdk' | 'cdktf';
  readonly concern: StackConcern;
  /** The domain of a per-domain stack (`<prefix>-<env>-<concern>-<domain>`). */
  readonly domain?: string;
  /**
   * The shard of a schedule stack (`<prefix>-<env>-schedules-<shard>`), or of a per-domain catalog,
   * ingestion or streaming stack (`<prefix>-<env>-<concern>-<domain>` for shard 0, `...-<domain>-<shard>`
   * after it; lib/limits/domain-shards.ts).
   */
  readonly shard?: number;
  /** The datasets a per-domain shard stack holds, in definition order. */
  readonly datasets?: readonly string[];
  /** Stacks of the same environment this one deploys after; each is planned before it. */
  readonly dependsOn: readonly StackDependency[];
}

/** Builds the plan of one environment, stack by stack, refusing a dependency on a stack not planned before. */
class PlanBuilder {
  readonly stacks: PlannedStack[] = [];

  constructor(readonly scope: NamingScope) {}

  add(stack: Omit<PlannedStack, 'toolchain' | 'dependsOn'>, ...dependsOn: Array<[PlannedStack | undefined, string]>): PlannedStack {
    const planned: PlannedStack = {
      ...stack,
      toolchain: stack.cloud === 'aws' ? 'cdk' : 'cdktf',
      dependsOn: dependsOn.flatMap(([dependency, reason]) => {
        if (dependency === undefined) return [];
        if (!this.stacks.includes(dependency))
          throw new Error(`plan of ${this.scope.environment}: ${stack.name} depends on ${dependency.name}, which is not planned before it`);
        return [{ stack: dependency.name, reason }];
      }),
    };
    this.stacks.push(planned);
    return planned;
  }
}

/**
 * Whether the pipeline deploys the environment (`cicd.environments`): it then gets its identity stacks,
 * first and depending on nothing, as an administrator deploys them once before the pipeline's first run.
 */
function deploysThroughCicd(config: PlatformConfig, environment: EnvironmentConfig): boolean {
  return config.cicd?.environments.some((delivery) => delivery.environment === environment.name) ?? false;
}

/** The AWS stacks of an environment, in deploy order. */
function planAws(plan: PlanBuilder, config: PlatformConfig, environment: EnvironmentConfig): void {
  const { scope } = plan;
  const catalogue = Catalogue.of(config);
  const aws = (concern: StackConcern, extra: Partial<Pick<PlannedStack, 'domain' | 'shard' | 'datasets'>> & { name?: string } = {}) => ({
    name: stackName(scope, concern),
    cloud: 'aws' as const,
    concern,
    ...extra,
  });
  if (deploysThroughCicd(config, environment)) plan.add(aws('cicd'));
  const storage = plan.add(aws('storage'));
  if (environment.audit.organizationTrail === undefined) {
    plan.add(aws('audit'), [storage, "the trail logs the layer buckets' data events; its bucket is access-logged to the storage stack's log bucket"]);
  }
  if (environment.budget) plan.add(aws('cost'));
  const network = plan.add(aws('network'), [storage, 'flow logs are encrypted with the data key']);
  const catalog = plan.add(
    aws('catalog'),
    [storage, 'the lake locations and the security configuration use the buckets and the data key'],
    [network, 'JDBC connections run in the VPC'],
  );
  // Each domain's datasets in as many shards as CloudFormation's limits require, each shard a catalog and an
  // ingestion stack (and a streaming stack where it has streams); a dataset's tables, jobs and rulesets share its shard.
  const shards = domainShards(config);
  const domainCatalogs = new Map<string, PlannedStack>();
  for (const domain of catalogue.domains()) {
    (shards.get(domain) ?? []).forEach((datasets, shard) => {
      if (datasets.length === 0) return;
      const part = { domain, shard, datasets: datasets.map((dataset) => dataset.name) };
      const tables = plan.add(aws('catalog', { ...part, name: stackPartName(scope, 'catalog', domainShardPart(domain, shard)) }), [
        catalog,
        'tables need the databases, tags and Lake Formation administrators',
      ]);
      domainCatalogs.set(`${domain}/${shard}`, tables);
      plan.add(
        aws('ingestion', { ...part, name: stackPartName(scope, 'ingestion', domainShardPart(domain, shard)) }),
        [storage, 'jobs read and write the layer buckets with the data key'],
        [tables, 'jobs and rulesets use the bronze tables; the security configuration and connections come from the catalog stack'],
      );
    });
  }
  plan.add(
    aws('processing'),
    [storage, 'the cluster reads and writes the layer buckets with the data key'],
    [network, 'the cluster runs in the VPC'],
    [catalog, 'the cluster role gets Lake Formation access to the lake databases'],
  );
  const kubernetes = !environment.aws?.kubernetes.enabled
    ? undefined
    : plan.add(
        aws('kubernetes'),
        [storage, 'secrets and job data use the data key'],
        [network, 'the cluster runs in the VPC'],
        [catalog, 'the job role gets Lake Formation access to the lake databases'],
      );
  const analytics = plan.add(aws('analytics'), [storage, 'query results are encrypted with the data key and access-logged']);
  if (catalogue.captured().length > 0) {
    plan.add(
      aws('replication'),
      [storage, 'the replications write change files to the bronze bucket with the data key'],
      [network, 'the replications run in the VPC'],
    );
  }
  if (config.datasets.length === 0) return;
  const orchestration = plan.add(aws('orchestration'));
  for (const pipeline of catalogue.pipelines()) {
    plan.add(
      aws('orchestration', { domain: pipeline.name, name: pipelineStackName(scope, pipeline.name) }),
      [orchestration, 'the state machine alerts the shared topic and is encrypted with the operations key'],
      [kubernetes, 'an execution may run the Spark step on the EMR on EKS virtual cluster, with its job role (sparkRuntime kubernetes)'],
    );
  }
  for (const shard of scheduleShards(config).keys()) {
    plan.add(aws('schedules', { shard, name: scheduleShardStackName(scope, shard) }), [
      orchestration,
      'schedules run in the shared schedule group, with its role and dead-letter queue',
    ]);
  }
  if (deploysGoldApi(config, environment)) {
    plan.add(
      aws('api'),
      [storage, 'logs, the function environment and query results use the data key'],
      [network, "the function runs in the VPC; a private API is reached through the VPC's execute-api endpoint"],
      [catalog, "the function's role reads the gold tables through the catalog's API tag"],
      [analytics, 'queries run in the Athena workgroup and write to its results bucket'],
      [orchestration, 'alarms notify the alert topic'],
    );
  }
  if (catalogue.streams().length === 0) return;
  const streaming = plan.add(aws('streaming'), [storage, 'the cluster and logs use the data key'], [network, 'the cluster and the jobs run in the VPC']);
  for (const domain of catalogue.streamDomains()) {
    (shards.get(domain) ?? []).forEach((datasets, shard) => {
      const streams = datasets.filter(isStream);
      if (streams.length === 0) return;
      plan.add(
        aws('streaming', {
          domain,
          shard,
          datasets: streams.map((dataset) => dataset.name),
          name: streamingDomainStackName(scope, domain, shard),
        }),
        [storage, 'jobs write the bronze bucket with the data key'],
        [streaming, 'jobs run in the NETWORK connection, log to the log group and read from the cluster of the streaming stack'],
        [
          domainCatalogs.get(`${domain}/${shard}`),
          "streaming jobs write the domain's bronze tables and run with the Glue security configuration of the catalog stack",
        ],
      );
    });
  }
}

/**
 * The Azure and Databricks stacks of an environment, in deploy order; the optional Azure ones only
 * when the definition asks. The Data Factory of the Azure ingestion stack links the Databricks workspace
 * (looked up by name), so the workspace comes before it; the lakehouse, which reads the workspace, the
 * lake and the event hubs, comes last.
 */
function planTerraform(plan: PlanBuilder, config: PlatformConfig, environment: EnvironmentConfig): void {
  const azure = environment.azure;
  if (!environment.clouds.includes('azure') || !azure) return;
  const { scope } = plan;
  const catalogue = Catalogue.of(config);
  const stack = (cloud: 'azure' | 'databricks', concern: StackConcern) => ({ name: terraformStackName(scope, cloud, concern), cloud, concern });
  if (deploysThroughCicd(config, environment)) plan.add(stack('azure', 'cicd'));
  const monitoringReason = 'diagnostic settings send logs to the Log Analytics workspace, alerts go to its action group';
  const monitoring = plan.add(stack('azure', 'monitoring'));
  const network = plan.add(stack('azure', 'network'), [monitoring, monitoringReason]);
  const security = plan.add(
    stack('azure', 'security'),
    [network, 'the Key Vault is reached through a private endpoint in the network'],
    [monitoring, monitoringReason],
  );
  const storage = plan.add(stack('azure', 'storage'), [security, 'the lake is encrypted with a customer-managed key from the Key Vault']);
  const streaming =
    catalogue.streams().length > 0
      ? plan.add(stack('azure', 'streaming'), [network, 'the namespace is reached through a private endpoint in the network'], [monitoring, monitoringReason])
      : undefined;
  const warehouse =
    azure.warehouse !== undefined
      ? plan.add(stack('azure', 'warehouse'), [security, 'the server identity and its encryption key are in the Key Vault'])
      : undefined;
  const databricks = environment.clouds.includes('databricks') && environment.databricks !== undefined;
  const workspace = databricks
    ? plan.add(
        stack('databricks', 'workspace'),
        [network, 'the workspace is injected into the network'],
        [monitoring, monitoringReason],
        [security, 'customer-managed keys and the access connector use the Key Vault'],
        [storage, 'the access connector is granted the lake'],
      )
    : undefined;
  if (catalogue.batch().length > 0) {
    plan.add(
      stack('azure', 'ingestion'),
      [storage, 'copy pipelines land in the lake'],
      [warehouse, 'Data Factory links the SQL warehouse'],
      [workspace, "Data Factory's Databricks linked service looks the workspace up"],
    );
  }
  if (azure.analytics !== undefined)
    plan.add(stack('azure', 'analytics'), [storage, 'Synapse works on the lake'], [security, 'the workspace is encrypted with its key from the Key Vault']);
  if (workspace)
    plan.add(
      stack('databricks', 'lakehouse'),
      [workspace, 'Unity Catalog, compute and jobs live in the workspace'],
      [streaming, 'pipelines read the event hubs'],
      [config.dbt ? warehouse : undefined, 'the dbt job loads the gold tables into the SQL warehouse'],
    );
}

/** Every stack of an environment across both toolchains, in deploy order. */
export function environmentStacks(config: PlatformConfig, environment: EnvironmentConfig): PlannedStack[] {
  const plan = new PlanBuilder({ prefix: config.prefix, environment: environment.name });
  if (environment.clouds.includes('aws')) planAws(plan, config, environment);
  planTerraform(plan, config, environment);
  return plan.stacks;
}
