/**
 * The floor of the synth benchmark: loads the same libraries as `npm run synth` (aws-cdk-lib with the
 * modules the stacks use, cdk-nag, the Control Tower validator, cdktf and every provider module the
 * Azure and Databricks constructs import) and synthesizes the same set of stacks, empty. A CDK stack holds one
 * placeholder resource, because CloudFormation (and the built-in validation) rejects an empty template.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { App as TerraformApp, TerraformStack } from 'cdktf';
import cdkJson from '../cdk.json';
import { loadPlatformConfig } from '../lib/config';
import { environmentStacks } from '../lib/plan/environment-plan';
import { addAwsPolicyGates } from '../lib/policy';
import { policyGateCacheDirectory, requestedEnvironment, selectedEnvironments } from '../bin/app-selection';

const root = join(__dirname, '..');

/** Every library module the stacks and constructs import, so that the floor pays for loading them too. */
function libraryModulesOfTheSource(): string[] {
  const modules = new Set<string>();
  for (const folder of ['constructs/aws', 'constructs/azure', 'constructs/databricks', 'stacks/aws', 'stacks/azure', 'stacks/databricks']) {
    for (const file of readdirSync(join(root, folder)).filter((name) => name.endsWith('.ts'))) {
      for (const match of readFileSync(join(root, folder, file), 'utf8').matchAll(/from '((?:aws-cdk-lib|@cdktf\/provider-[a-z]+)\/[^']+)'/g))
        modules.add(match[1]);
    }
  }
  return [...modules].sort();
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loading modules by name is the point of the floor
for (const module of libraryModulesOfTheSource()) require(module);

const out = mkdtempSync(join(tmpdir(), 'bench-floor-'));
const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
const aws = new App({ outdir: join(out, 'cdk.out'), context: cdkJson.context });
// The gates exactly as the full synth registers them (bin/aws-app.ts), cache included.
const gateCache = policyGateCacheDirectory();
addAwsPolicyGates(aws, { cacheDirectory: gateCache });
const terraform = new TerraformApp({ outdir: join(out, 'cdktf.out') });
for (const environment of selectedEnvironments(config, requestedEnvironment())) {
  for (const planned of environmentStacks(config, environment)) {
    if (planned.toolchain === 'cdk') {
      const stack = new Stack(aws, planned.name, { env: { account: environment.aws?.account, region: environment.aws?.region } });
      new CfnWaitConditionHandle(stack, 'Placeholder');
    } else {
      new TerraformStack(terraform, planned.name);
    }
  }
}
aws.synth();
terraform.synth();
