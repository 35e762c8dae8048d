export * from './environment-plan';
export * from './pipeline-stacks';
export * from './definition-summary';
export * from './build-plan';
