export * from './environment-stacks';
