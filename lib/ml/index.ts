/**
 * Machine learning from the definition: the training plan of each ML use case (tables, features,
 * label, split, estimator), which the Databricks training job and its local test both run.
 */
export * from './training-plan';
