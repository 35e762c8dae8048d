export * from './access-plan';
export * from './lake-formation-tags';
export * from './unity-catalog-grants';
