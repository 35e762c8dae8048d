/**
 * The pipeline model the stacks and the ops CLI share: a pipeline per domain, the run plan of
 * `platform run`, the Spark step that rebuilds silver and gold (as an EMR step and as an EMR on EKS job
 * run) and the runtimes it may run on, the Spark manifest, the Spark batch log that `platform status`
 * reads, the EMR cluster states in which a cluster accepts steps, and the execution input the scheduler
 * and the CLI send.
 *
 * May import: lib/definition, lib/lake, lib/naming, lib/access.
 */
export * from './pipelines';
export * from './spark-step';
export * from './spark-job-run';
export * from './spark-runtime';
export * from './spark-manifest';
export * from './spark-batch-log';
export * from './emr-cluster-states';
export * from './execution-input';
export * from './bronze-tables-plan';
