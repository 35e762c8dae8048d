export * from './spark-manifest';
export * from './catalog-tags';
