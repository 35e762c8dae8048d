#!/usr/bin/env node
import { loadPlatformConfig } from '../lib/config';
import { runApp } from '../lib/config/run-app';
import { requestedEnvironment, selectedEnvironments } from './app-selection';
import { buildAwsApp } from './aws-app';
import { buildCdktfApp } from './cdktf-app';

// `npm run synth`: CloudFormation for every AWS environment (cdk.out/) and Terraform JSON for every
// Azure/Databricks environment (cdktf.out/), from one read of the definition, in one process; with
// PLATFORM_ENV=<env>, for that environment only. The definition is validated before either app exists, so an
// invalid one writes no template.
process.env.CHECKPOINT_DISABLE ??= '1';
void runApp(() => {
  const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
  const environments = selectedEnvironments(config, requestedEnvironment()).map((env) => env.name);
  const started = Date.now();
  const aws = buildAwsApp(config, { outdir: 'cdk.out' }).synth();
  const terraform = buildCdktfApp(config, { outdir: 'cdktf.out' });
  terraform.synth();
  const terraformStacks = terraform.node.children.length;
  process.stdout.write(
    `synthesized ${aws.stacks.length} CloudFormation stack(s) into cdk.out/ and ${terraformStacks} ` +
      `Terraform stack(s) into cdktf.out/stacks/ in ${((Date.now() - started) / 1000).toFixed(1)} ` +
      `s for ${environments.join(', ')} (policy gates passed)\n`,
  );
});
