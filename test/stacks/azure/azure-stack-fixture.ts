import { Aspects, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { StandardTagsAspect } from '../../../constructs/azure/standard-tags-aspect';
import type { PlatformConfig } from '../../../lib/definition';
import { standardTags } from '../../../lib/tagging';
import type { AzureConcernStack } from '../../../stacks/azure/azure-concern-stack';
import { environmentOf } from '../../fixtures/platform';
import { synthesize } from '../../fixtures/terraform-json';
import type { EnvironmentScope } from '../../../lib/definition';

/** A stack as bin/cdktf-app.ts composes it (with the standard tags of its environment), synthesized. */
export function synthStack<T extends AzureConcernStack>(
  StackClass: new (scope: Construct, props: EnvironmentScope) => T,
  config: PlatformConfig,
  environmentName: string,
) {
  const environment = environmentOf(config, environmentName);
  const stack = new StackClass(Testing.app(), { config, environment });
  Aspects.of(stack).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  return { stack, json: synthesize(stack) };
}
