export * from './aws-policy-gates';
