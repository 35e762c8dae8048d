export * from './standard-tags';
