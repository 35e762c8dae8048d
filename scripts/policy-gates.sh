#!/usr/bin/env bash
# The policy gates over everything `npm run synth` writes, run by `npm test` and CI:
#   1. cdk-nag (AwsSolutions) and the AWS Control Tower rules (cfn-guard) run inside the synth itself,
#      which fails on any finding not acknowledged in code;
#   2. cfn-lint on every CloudFormation template (it enforces the CloudFormation schemas, so the synth here skips
#      aws-cdk-lib's own schema validation: CDK_VALIDATION=false);
#   3. checkov on every CloudFormation template (acknowledgements: Metadata.checkov.skip on the resource);
#   2 and 3 run once per distinct template (scripts/cloudformation-gates.ts: one process each over the templates
#   not passed before by the same tool version and configuration);
#   4. checkov on every Terraform JSON file (acknowledgements: checkov:skip lines in the resource's "//");
#   5. Terraform's own validation of every Terraform stack with the real providers (scripts/validate-terraform.ts).
# Offline: checkov runs with --skip-download, cdktf with CHECKPOINT_DISABLE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh
export CHECKPOINT_DISABLE=1 BC_SKIP_MAPPING=TRUE
# Every environment is gated: PLATFORM_ENV (the CLI's default environment, which also makes synth build one
# environment) must not narrow the gates to one.
unset PLATFORM_ENV

rm -rf cdk.out cdktf.out
CDK_VALIDATION=false npx ts-node --swc bin/synth.ts

shopt -s nullglob
templates=(cdk.out/*.template.json)
terraform=(cdktf.out/stacks/*/cdk.tf.json)
if [ ${#templates[@]} -eq 0 ] && [ ${#terraform[@]} -eq 0 ]; then
  echo "policy-gates: the definition produced no template to check" >&2
  exit 1
fi

if [ ${#templates[@]} -gt 0 ]; then
  npx ts-node --swc scripts/cloudformation-gates.ts cdk.out
fi

if [ ${#terraform[@]} -gt 0 ]; then
  echo "checkov terraform_json: ${#terraform[@]} stack(s)"
  npx ts-node --swc scripts/checkov-terraform-json.ts cdktf.out/stacks
  npx ts-node --swc scripts/validate-terraform.ts cdktf.out/stacks
fi
echo "policy gates passed"
