import { App, Aspects } from 'cdktf';
import { StandardTagsAspect } from '../constructs/azure/standard-tags-aspect';
import { runApp } from '../lib/cli/run-app';
import { loadPlatformConfig } from '../lib/config/load';
import { standardTags } from '../lib/tagging';
import { AzureStorageStack } from '../stacks/azure/storage-stack';

// The CDKTF app: Azure stacks of every environment that deploys to Azure, from one read of the
// definition. The definition is loaded before the App exists, so an invalid one writes nothing.
void runApp(() => {
  const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
  const app = new App({ outdir: 'cdktf.out' });
  for (const environment of config.environments) {
    if (!environment.clouds.includes('azure')) continue;
    const storage = new AzureStorageStack(app, { config, environment });
    Aspects.of(storage).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  }
  app.synth();
});
