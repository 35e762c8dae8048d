export * from './whole-number';
