/**
 * Machine learning from the definition: the training plan of each ML use case (tables, features,
 * label, split, estimator), which the Databricks training job and its local test both run.
 *
 * May import: lib/definition, lib/warehouse.
 */
export * from './training-plan';
