export * from './aws-policy-gates';
export * from './scoped-cfn-guard-validator';
export * from './checkov-cloudformation-skip';
