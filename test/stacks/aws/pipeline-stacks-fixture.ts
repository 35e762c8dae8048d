import type { App } from 'aws-cdk-lib';
import type { PlatformConfig } from '../../../lib/definition';
import { NetworkStack, StorageStack } from '../../../stacks/aws';
import { addPipelineStacks, type PipelineStacks } from '../../../stacks/aws/pipeline-stacks';
import { testApp } from '../../fixtures/cdk-app';
import { environmentOf } from '../../fixtures/platform';

/** The orchestration and streaming stacks of one environment, with the storage and network stacks they use. */
export function pipelineStacksOf(config: PlatformConfig, environmentName: string, app: App = testApp()): PipelineStacks {
  const environment = environmentOf(config, environmentName);
  const storage = new StorageStack(app, { config, environment });
  const network = new NetworkStack(app, { config, environment, encryptionKey: storage.dataLake.key });
  const stacks = addPipelineStacks(app, { config, environment, vpc: network.network.vpc, encryptionKey: storage.dataLake.key });
  if (!stacks) throw new Error('test fixture: the definition has no dataset');
  return stacks;
}
