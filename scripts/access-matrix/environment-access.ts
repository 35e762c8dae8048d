/**
 * The access matrices of one environment: the definition's, and each cloud's effective one built from the
 * environment's synthesized stacks (`synthesized-environment.ts`) and the grant code that runs at
 * deployment (the Spark manifest's tags, the table grants job's plan, the dbt models' generated grants).
 */
import { type AccessMatrix, definitionAccessMatrix } from '../../lib/access/access-matrix';
import type { EnvironmentConfig, PlatformConfig } from '../../lib/definition';
import { sparkManifest } from '../../lib/pipelines/spark-manifest';
import type { PlannedStack } from '../../lib/plan';
import { effectiveAwsAccess } from './effective-aws';
import { type DbtAccessInputs, effectiveDatabricksAccess } from './effective-databricks';
import { synthesizeAws, synthesizeTerraform } from './synthesized-environment';

/** Cloud labels, in the order the matrices are shown. */
export const CLOUD_LABELS = { aws: 'AWS', databricks: 'Databricks' } as const;

export interface EnvironmentAccess {
  readonly definition: AccessMatrix;
  /** By cloud label (`CLOUD_LABELS`), for the clouds the environment uses. */
  readonly clouds: Readonly<Record<string, AccessMatrix>>;
  /** By cloud label: what the matrix was read from, in a sentence. */
  readonly sources: Readonly<Record<string, string>>;
}

export interface EnvironmentAccessOptions {
  /** The dbt models' grants and lineage, as the dbt job deploys them. */
  readonly dbt: DbtAccessInputs;
  /**
   * AWS stacks to build (with the stacks they depend on). When the processing stack is not among them,
   * the silver and gold tags are the manifest it would deploy (`sparkManifest`).
   * @default - every stack of the environment
   */
  readonly awsStacks?: (stack: PlannedStack) => boolean;
}

export function environmentAccess(config: PlatformConfig, environment: EnvironmentConfig, options: EnvironmentAccessOptions): EnvironmentAccess {
  const clouds: Record<string, AccessMatrix> = {};
  const sources: Record<string, string> = {};
  if (environment.clouds.includes('aws')) {
    const aws = synthesizeAws(config, environment, options.awsStacks);
    clouds[CLOUD_LABELS.aws] = effectiveAwsAccess(config, aws.templates, aws.manifest ?? sparkManifest(config, environment));
    sources[CLOUD_LABELS.aws] =
      `${aws.templates.length} CloudFormation templates (tag associations, Lake Formation grants and administrators) and ` +
      `${aws.manifest ? "the Spark manifest in the processing stack's asset" : 'the Spark manifest the processing stack would deploy'}`;
  }
  if (environment.clouds.includes('databricks')) {
    const terraform = synthesizeTerraform(config, environment);
    clouds[CLOUD_LABELS.databricks] = effectiveDatabricksAccess(config, terraform.lakehouse, options.dbt, terraform.others);
    const models = options.dbt.lineage.filter((model) => model.materialized !== 'ephemeral').length;
    sources[CLOUD_LABELS.databricks] =
      `the lakehouse stack's Unity Catalog grants and table grants plan, ${terraform.others.length} other Terraform stacks (storage roles), ` +
      `the committed grants and lineage of ${models} dbt models`;
  }
  return { definition: definitionAccessMatrix(config), clouds, sources };
}
