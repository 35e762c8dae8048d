export * from './run-app';
