/** EMR cluster states in which a cluster accepts steps: the CLI looks for such a cluster, and so do the pipelines. */
export const ACTIVE_EMR_CLUSTER_STATES = ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING'] as const;
