export * from './spark-manifest';
