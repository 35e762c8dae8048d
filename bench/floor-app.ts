/**
 * The floor of the synth benchmark: loads the same libraries as `npm run synth` (aws-cdk-lib, cdk-nag,
 * the Control Tower validator, cdktf and the provider modules the stacks use) and synthesizes empty
 * apps with the same stacks per environment. A CDK stack holds one placeholder resource, because
 * CloudFormation (and the built-in validation) rejects a template without resources.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { App as TerraformApp, TerraformStack } from 'cdktf';
import cdkJson from '../cdk.json';
import { loadPlatformConfig } from '../lib/config';
import { addAwsPolicyGates } from '../lib/policy';
import { stackName, terraformStackName } from '../lib/naming';
// The provider modules the Terraform stacks import, loaded so that the floor pays for them too.
import '@cdktf/provider-azurerm/lib/provider';
import '@cdktf/provider-azurerm/lib/resource-group';
import '@cdktf/provider-azurerm/lib/storage-account';
import '@cdktf/provider-azurerm/lib/storage-container';
import '@cdktf/provider-azurerm/lib/storage-management-policy';

const out = mkdtempSync(join(tmpdir(), 'bench-floor-'));
const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
const aws = new App({ outdir: join(out, 'cdk.out'), context: cdkJson.context });
addAwsPolicyGates(aws);
const terraform = new TerraformApp({ outdir: join(out, 'cdktf.out') });
for (const env of config.environments) {
  const scope = { prefix: config.prefix, environment: env.name };
  if (env.aws) new CfnWaitConditionHandle(new Stack(aws, stackName(scope, 'storage'), { env: { account: env.aws.account, region: env.aws.region } }), 'Placeholder');
  if (env.azure) new TerraformStack(terraform, terraformStackName(scope, 'azure', 'storage'));
}
aws.synth();
terraform.synth();
