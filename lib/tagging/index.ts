export * from './standard-tags';
export * from './standard-tags-aspect';
