/**
 * The pipeline model the stacks and the ops CLI share: a pipeline per domain, the run plan of
 * `platform run`, the Spark step that rebuilds silver and gold, the Spark manifest, and the EMR cluster
 * states in which a cluster accepts steps.
 *
 * May import: lib/definition, lib/lake, lib/naming, lib/access.
 */
export * from './pipelines';
export * from './spark-step';
export * from './spark-manifest';
export * from './emr-cluster-states';
