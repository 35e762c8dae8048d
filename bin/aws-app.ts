import { App, type Stack } from 'aws-cdk-lib';
import { InterfaceVpcEndpointAwsService } from 'aws-cdk-lib/aws-ec2';
import cdkJson from '../cdk.json';
import type { EnvironmentConfig, PlatformConfig } from '../lib/definition';
import { pipelineNamed, sparkRuntimesOf } from '../lib/pipelines';
import { type BuildPlanOptions, type BuiltStacks, buildPlan, environmentStacks, type PlannedStack, scheduleShards } from '../lib/plan';
import { addAwsPolicyGates } from '../lib/policy';
import { ENVIRONMENT_CONTEXT_KEY, policyGateCacheDirectory, requestedEnvironment, selectedEnvironments } from './app-selection';
import {
  AnalyticsStack,
  ApiStack,
  AuditStack,
  CatalogStack,
  CicdStack,
  CostStack,
  DomainCatalogStack,
  IngestionStack,
  KubernetesStack,
  NetworkStack,
  OrchestrationStack,
  PipelineStack,
  ProcessingStack,
  ReplicationStack,
  ScheduleStack,
  StorageStack,
  StreamingDomainStack,
  StreamingStack,
} from '../stacks/aws';

export interface AwsAppOptions {
  /** Where the cloud assembly goes. */
  readonly outdir?: string;
  /** Register the policy gates (cdk-nag, Control Tower rules). Only the floor benchmark turns them off. */
  readonly policyGates?: boolean;
  /**
   * Build only this environment's stacks.
   * @default - the CDK context value `env` (`cdk synth -c env=dev`), else PLATFORM_ENV, else every environment
   */
  readonly environment?: string;
  /**
   * Where the gates keep per-template results, or false for none.
   * @default - policyGateCacheDirectory(): PLATFORM_GATE_CACHE, else the user's cache folder
   */
  readonly policyGateCache?: string | false;
  /**
   * Run aws-cdk-lib's built-in CloudFormation validation. Off only where cfn-lint checks the same templates in
   * the same command (`npm run policy` sets CDK_VALIDATION=false for its synth).
   * @default - true unless CDK_VALIDATION=false
   */
  readonly cloudFormationValidation?: boolean;
}

type AwsConcern =
  | 'cicd'
  | 'storage'
  | 'audit'
  | 'cost'
  | 'network'
  | 'catalog'
  | 'ingestion'
  | 'processing'
  | 'kubernetes'
  | 'analytics'
  | 'orchestration'
  | 'schedules'
  | 'streaming'
  | 'replication'
  | 'api';

/** What a stack of the plan is built from: its planned entry, the definition and the stacks built before it. */
interface AwsStackContext {
  readonly planned: PlannedStack;
  readonly props: { readonly config: PlatformConfig; readonly environment: EnvironmentConfig };
  readonly built: BuiltStacks<Stack>;
}

/** The domain, shard and datasets of a planned per-domain stack. */
function domainShardOf(planned: PlannedStack): { domain: string; shard?: number; datasets?: readonly string[] } {
  if (planned.domain === undefined) throw new Error(`planned stack ${planned.name} has no domain`);
  return { domain: planned.domain, shard: planned.shard, datasets: planned.datasets };
}

/** Each planned AWS concern and the stack class that realises it. */
const AWS_STACKS: Record<AwsConcern, (scope: App, context: AwsStackContext) => Stack> = {
  cicd: (scope, { props }) => new CicdStack(scope, props),
  storage: (scope, { props }) => new StorageStack(scope, props),
  audit: (scope, { props, built }) => new AuditStack(scope, { ...props, accessLogsBucket: built.of(StorageStack, 'storage').dataLake.accessLogs }),
  cost: (scope, { props }) => new CostStack(scope, props),
  network: (scope, { props, built }) => new NetworkStack(scope, { ...props, encryptionKey: built.of(StorageStack, 'storage').dataLake.key }),
  catalog: (scope, { planned, props, built }) =>
    planned.domain === undefined
      ? new CatalogStack(scope, { ...props, encryptionKey: built.of(StorageStack, 'storage').dataLake.key, vpc: built.of(NetworkStack, 'network').network.vpc })
      : new DomainCatalogStack(scope, { ...props, ...domainShardOf(planned) }),
  ingestion: (scope, { planned, props, built }) =>
    new IngestionStack(scope, { ...props, ...domainShardOf(planned), encryptionKey: built.of(StorageStack, 'storage').dataLake.key }),
  processing: (scope, { props, built }) => {
    const storage = built.of(StorageStack, 'storage');
    return new ProcessingStack(scope, {
      ...props,
      encryptionKey: storage.dataLake.key,
      accessLogsBucket: storage.dataLake.accessLogs,
      vpc: built.of(NetworkStack, 'network').network.vpc,
    });
  },
  kubernetes: (scope, { props, built }) =>
    new KubernetesStack(scope, { ...props, encryptionKey: built.of(StorageStack, 'storage').dataLake.key, vpc: built.of(NetworkStack, 'network').network.vpc }),
  analytics: (scope, { props, built }) => {
    const storage = built.of(StorageStack, 'storage');
    return new AnalyticsStack(scope, { ...props, encryptionKey: storage.dataLake.key, accessLogsBucket: storage.dataLake.accessLogs });
  },
  orchestration: (scope, { planned, props, built }) => {
    if (planned.domain === undefined) return new OrchestrationStack(scope, props);
    const orchestration = built.of(OrchestrationStack, 'orchestration');
    const kubernetes = sparkRuntimesOf(props.environment).includes('kubernetes') ? built.of(KubernetesStack, 'kubernetes') : undefined;
    return new PipelineStack(scope, {
      ...props,
      alertTopic: orchestration.alerts.topic,
      operationsKey: orchestration.operationsKey.key,
      pipeline: pipelineNamed(props.config, planned.domain),
      sparkOnKubernetes: kubernetes?.sparkOnEks,
    });
  },
  schedules: (scope, { planned, props, built }) => {
    const orchestration = built.of(OrchestrationStack, 'orchestration');
    const scheduling = orchestration.scheduling;
    const datasets = planned.shard === undefined ? undefined : scheduleShards(props.config).get(planned.shard);
    if (!scheduling || !datasets) throw new Error(`planned stack ${planned.name}: no schedule group or no datasets in shard ${planned.shard}`);
    return new ScheduleStack(scope, {
      ...props,
      shard: planned.shard as number,
      datasets,
      scheduling: {
        groupName: scheduling.groupName,
        role: scheduling.role,
        deadLetterQueue: scheduling.deadLetterQueue,
        encryptionKey: orchestration.operationsKey.key,
      },
    });
  },
  replication: (scope, { props, built }) =>
    new ReplicationStack(scope, {
      ...props,
      encryptionKey: built.of(StorageStack, 'storage').dataLake.key,
      vpc: built.of(NetworkStack, 'network').network.vpc,
    }),
  api: (scope, { props, built }) => {
    const network = built.of(NetworkStack, 'network').network;
    const queries = built.of(AnalyticsStack, 'analytics').queries;
    return new ApiStack(scope, {
      ...props,
      encryptionKey: built.of(StorageStack, 'storage').dataLake.key,
      vpc: network.vpc,
      executeApiEndpoint:
        props.config.consumers.api?.endpointType === 'private' ? network.interfaceEndpoint(InterfaceVpcEndpointAwsService.APIGATEWAY) : undefined,
      workgroup: queries.workgroup,
      resultsBucket: queries.resultsBucket,
      alertTopic: built.of(OrchestrationStack, 'orchestration').alerts.topic,
    });
  },
  streaming: (scope, { planned, props, built }) => {
    const encryptionKey = built.of(StorageStack, 'storage').dataLake.key;
    if (planned.domain === undefined) return new StreamingStack(scope, { ...props, vpc: built.of(NetworkStack, 'network').network.vpc, encryptionKey });
    return new StreamingDomainStack(scope, { ...props, ...domainShardOf(planned), streaming: built.of(StreamingStack, 'streaming'), encryptionKey });
  },
};

/** The AWS stacks of one environment, built from its plan with their planned dependencies. */
export function addAwsEnvironment(app: App, config: PlatformConfig, environment: EnvironmentConfig, options: BuildPlanOptions = {}): BuiltStacks<Stack> {
  const planned = environmentStacks(config, environment).filter((stack) => stack.cloud === 'aws');
  return buildPlan<Stack>(
    planned,
    (stack, built) => {
      const create = AWS_STACKS[stack.concern as AwsConcern];
      if (!create) throw new Error(`planned stack ${stack.name}: no AWS stack class for concern "${stack.concern}"`);
      return create(app, { planned: stack, props: { config, environment }, built });
    },
    (stack, dependency, reason) => stack.addStackDependency(dependency, reason),
    options,
  );
}

/** The CDK app of a definition: every stack of every environment that uses AWS (or of the one environment asked for). */
export function buildAwsApp(config: PlatformConfig, options: AwsAppOptions = {}): App {
  // The feature flags in cdk.json apply to every way the app is built: the CDK CLI, tests and benches.
  const app = new App({
    outdir: options.outdir,
    context: cdkJson.context,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? process.env.CDK_VALIDATION !== 'false',
  });
  if (options.policyGates ?? true) {
    const cache = options.policyGateCache ?? policyGateCacheDirectory();
    addAwsPolicyGates(app, { cacheDirectory: cache === false ? undefined : cache });
  }
  const fromContext = app.node.tryGetContext(ENVIRONMENT_CONTEXT_KEY) as string | undefined;
  const environments =
    options.environment !== undefined
      ? selectedEnvironments(config, options.environment, 'environment')
      : fromContext !== undefined
        ? selectedEnvironments(config, String(fromContext), `context value "${ENVIRONMENT_CONTEXT_KEY}"`)
        : selectedEnvironments(config, requestedEnvironment());
  for (const environment of environments) addAwsEnvironment(app, config, environment);
  return app;
}
