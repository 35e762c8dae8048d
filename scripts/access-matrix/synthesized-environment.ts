/**
 * One environment synthesized as a deployment would be, for reading its effective access: the AWS
 * stacks' CloudFormation templates (and the Spark manifest the processing stack deploys, when it is
 * built), and the Azure and Databricks stacks' Terraform JSON. Into temporary directories; nothing of
 * the repository's cdk.out or cdktf.out is touched.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App as CdkApp } from 'aws-cdk-lib';
import { App as CdktfApp } from 'cdktf';
import cdkJson from '../../cdk.json';
import { addAwsEnvironment } from '../../bin/aws-app';
import { addTerraformEnvironment } from '../../bin/cdktf-app';
import type { EnvironmentConfig, PlatformConfig } from '../../lib/definition';
import { terraformStackName } from '../../lib/naming';
import type { PlannedStack } from '../../lib/plan';
import type { CloudFormationTemplate, ManifestTables } from './effective-aws';
import type { TerraformJson } from './effective-databricks';

export interface SynthesizedAws {
  readonly templates: readonly CloudFormationTemplate[];
  /** The Spark manifest deployed with the application; absent when the processing stack was not built. */
  readonly manifest?: ManifestTables;
}

export interface SynthesizedTerraform {
  /** `<prefix>-<env>-databricks-lakehouse`. */
  readonly lakehouse: TerraformJson;
  /** Every other Azure and Databricks stack of the environment. */
  readonly others: readonly TerraformJson[];
}

/**
 * The AWS stacks of an environment (every planned one, or those `only` selects with the stacks they
 * depend on), without the policy gates: access is read, not checked, here.
 */
export function synthesizeAws(config: PlatformConfig, environment: EnvironmentConfig, only?: (stack: PlannedStack) => boolean): SynthesizedAws {
  const outdir = mkdtempSync(join(tmpdir(), 'access-matrix-cdk-'));
  try {
    const app = new CdkApp({ outdir, context: cdkJson.context });
    addAwsEnvironment(app, config, environment, { only });
    const assembly = app.synth();
    const manifests = readdirSync(outdir)
      .filter((entry) => entry.startsWith('asset.') && existsSync(join(outdir, entry, 'manifest.json')))
      .map((entry) => JSON.parse(readFileSync(join(outdir, entry, 'manifest.json'), 'utf8')))
      .filter((json) => json.lakeFormation !== undefined && json.databases !== undefined);
    return { templates: assembly.stacks.map((stack) => stack.template as CloudFormationTemplate), manifest: manifests[0] };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The Azure and Databricks stacks of an environment. */
export function synthesizeTerraform(config: PlatformConfig, environment: EnvironmentConfig): SynthesizedTerraform {
  const outdir = mkdtempSync(join(tmpdir(), 'access-matrix-cdktf-'));
  try {
    const app = new CdktfApp({ outdir });
    addTerraformEnvironment(app, config, environment);
    app.synth();
    const lakehouseName = terraformStackName({ prefix: config.prefix, environment: environment.name }, 'databricks', 'lakehouse');
    const stacks = readdirSync(join(outdir, 'stacks')).map((name) => ({
      name,
      json: JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TerraformJson,
    }));
    const lakehouse = stacks.find((stack) => stack.name === lakehouseName);
    if (!lakehouse)
      throw new Error(
        `environment ${environment.name} has no ${lakehouseName} stack (is databricks among its clouds?); stacks: ${stacks.map((s) => s.name).join(', ')}`,
      );
    return { lakehouse: lakehouse.json, others: stacks.filter((stack) => stack !== lakehouse).map((stack) => stack.json) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
