import { Aspects, type TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { StandardTagsAspect } from '../../../constructs/azure/standard-tags-aspect';
import type { PlatformConfig } from '../../../lib/definition';
import { standardTags } from '../../../lib/tagging';
import { environmentOf } from '../../fixtures/platform';
import { synthesize, type TerraformJson } from '../../fixtures/terraform-json';
import type { EnvironmentScope } from '../../../lib/definition';

/** Synthesized Terraform JSON including data sources (the lakehouse stack looks its workspace up). */
export type DatabricksJson = TerraformJson & { data?: Record<string, Record<string, any>> };

/** A Databricks stack as bin/cdktf-app.ts composes it, synthesized. */
export function synthDatabricksStack<T extends TerraformStack>(
  StackClass: new (scope: Construct, props: EnvironmentScope) => T,
  config: PlatformConfig,
  environmentName: string,
  options: { standardTags?: boolean } = {},
): { stack: T; json: DatabricksJson } {
  const environment = environmentOf(config, environmentName);
  const stack = new StackClass(Testing.app(), { config, environment });
  if (options.standardTags) Aspects.of(stack).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  return { stack, json: synthesize(stack) as DatabricksJson };
}
