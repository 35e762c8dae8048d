/**
 * The policy gates of the CDK app: cdk-nag and the Control Tower rules (cfn-guard) registered once, the
 * per-template result cache that runs each gate once per distinct template, and the helpers that
 * acknowledge a finding in code next to its resource (CloudFormation and checkov).
 *
 * May import: nothing of the project (a leaf).
 */
export * from './aws-policy-gates';
export * from './scoped-cfn-guard-validator';
export * from './checkov-cloudformation-skip';
export * from './cross-stack-acknowledgement';
export * from './explicit-severity';
export * from './template-result-cache';
export * from './cached-cloudformation-validate';
