// aws-cdk-lib checks every synthesized template against the CloudFormation resource schemas and only
// ever reports warnings (it downgrades its own errors). The same schemas are enforced, as failures, by
// cfn-lint in `npm run policy` over the synthesized app; in unit tests the check doubled synth time.
process.env.CDK_VALIDATION = 'false';

// PLATFORM_ENV builds one environment (bin/app-selection.ts); the tests build the ones they ask for.
delete process.env.PLATFORM_ENV;
