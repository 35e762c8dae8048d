export * from './definition-summary';
export * from './run-app';
