import { App, Aspects } from 'cdktf';
import { StandardTagsAspect } from '../constructs/azure/standard-tags-aspect';
import type { PlatformConfig } from '../lib/config';
import { standardTags } from '../lib/tagging';
import { AzureStorageStack } from '../stacks/azure/storage-stack';

export interface CdktfAppOptions {
  /** Where the Terraform JSON goes. @default 'cdktf.out' */
  readonly outdir?: string;
}

/** The CDKTF app of a definition: every Azure/Databricks stack of every environment that uses them. */
export function buildCdktfApp(config: PlatformConfig, options: CdktfAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? 'cdktf.out' });
  for (const environment of config.environments) {
    if (!environment.clouds.includes('azure')) continue;
    const storage = new AzureStorageStack(app, { config, environment });
    Aspects.of(storage).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  }
  return app;
}
