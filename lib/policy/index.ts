export * from './aws-policy-gates';
export * from './scoped-cfn-guard-validator';
export * from './checkov-cloudformation-skip';
export * from './cross-stack-acknowledgement';
export * from './explicit-severity';
