export * from './adls-data-lake';
export * from './checkov-skip';
export * from './data-classification';
export * from './lake-lifecycle-rules';
export * from './standard-tags-aspect';
