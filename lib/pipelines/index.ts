export * from './pipelines';
export * from './spark-step';
export * from './spark-manifest';
export * from './emr-cluster-states';
