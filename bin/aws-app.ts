import { App } from 'aws-cdk-lib';
import cdkJson from '../cdk.json';
import type { PlatformConfig } from '../lib/definition';
import { addAwsPolicyGates } from '../lib/policy';
import { AnalyticsStack, CatalogStack, DomainCatalogStack, IngestionStack, KubernetesStack, NetworkStack, ProcessingStack, StorageStack, addPipelineStacks } from '../stacks/aws';
import { Catalogue } from '../lib/definition';

export interface AwsAppOptions {
  /** Where the cloud assembly goes. */
  readonly outdir?: string;
  /** Register the policy gates (cdk-nag, Control Tower rules). Only the floor benchmark turns them off. */
  readonly policyGates?: boolean;
}

/** The CDK app of a definition: every stack of every environment that uses AWS. */
export function buildAwsApp(config: PlatformConfig, options: AwsAppOptions = {}): App {
  // The feature flags in cdk.json apply to every way the app is built: the CDK CLI, tests and benches.
  const app = new App({ outdir: options.outdir, context: cdkJson.context });
  if (options.policyGates ?? true) addAwsPolicyGates(app);
  for (const environment of config.environments) {
    if (!environment.clouds.includes('aws')) continue;
    const storage = new StorageStack(app, { config, environment });
    const network = new NetworkStack(app, { config, environment, encryptionKey: storage.dataLake.key });
    const catalog = new CatalogStack(app, { config, environment, encryptionKey: storage.dataLake.key, vpc: network.network.vpc });
    const domainCatalogs = new Map<string, DomainCatalogStack>();
    for (const domain of Catalogue.of(config).domains()) {
      const tables = new DomainCatalogStack(app, { config, environment, domain });
      domainCatalogs.set(domain, tables);
      tables.addStackDependency(catalog, 'tables need the databases, tags and Lake Formation administrators');
      const ingestion = new IngestionStack(app, { config, environment, domain, encryptionKey: storage.dataLake.key });
      ingestion.addStackDependency(tables, 'jobs and rulesets use the bronze tables; the security configuration and connections come from the catalog stack');
    }
    const processing = new ProcessingStack(app, { config, environment, encryptionKey: storage.dataLake.key, accessLogsBucket: storage.dataLake.accessLogs, vpc: network.network.vpc });
    processing.addStackDependency(catalog, 'the cluster role gets Lake Formation access to the lake databases');
    if (environment.aws?.kubernetes.enabled) {
      const kubernetes = new KubernetesStack(app, { config, environment, encryptionKey: storage.dataLake.key, vpc: network.network.vpc });
      kubernetes.addStackDependency(catalog, 'the job role gets Lake Formation access to the lake databases');
    }
    new AnalyticsStack(app, { config, environment, encryptionKey: storage.dataLake.key, accessLogsBucket: storage.dataLake.accessLogs });
    const pipelines = addPipelineStacks(app, { config, environment, vpc: network.network.vpc, encryptionKey: storage.dataLake.key });
    for (const streams of pipelines?.streamingDomains ?? []) {
      const tables = domainCatalogs.get(streams.domain);
      if (!tables) throw new Error(`streaming domain "${streams.domain}" has no catalog stack; domains: ${[...domainCatalogs.keys()].join(', ')}`);
      streams.addStackDependency(tables, "streaming jobs write the domain's bronze tables and run with the Glue security configuration of the catalog stack");
    }
  }
  return app;
}
