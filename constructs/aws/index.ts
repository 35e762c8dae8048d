/**
 * Reusable AWS CDK constructs of the medallion platform, one concept per file: the layer buckets and
 * their key, the network, the Glue catalog, Lake Formation, the ingestion and streaming jobs, the Spark
 * cluster and application, EMR on EKS, the pipelines' state machines and schedules, Athena, the
 * CloudTrail audit trail, the roles GitHub Actions deploy with; the job code they ship (PySpark) lives
 * beside them in `jobs/`.
 *
 * May import: lib/definition, lib/policy, lib/schedules, lib/lake, lib/tagging, lib/naming, lib/access, lib/pipelines, lib/config, lib/limits.
 */
export * from './access-logs-bucket';
export * from './data-lake-key';
export * from './data-lake-storage';
export * from './medallion-bucket';
export * from './audit-trail';
export * from './github-oidc-role';
export * from './s3-lifecycle-rules';
export * from './secure-bucket-defaults';
export * from './data-platform-network';
export * from './query-workgroup';
export * from './lake-databases';
export * from './lake-formation-settings';
export * from './lake-locations';
export * from './lake-formation-access-tags';
export * from './lake-formation-database-access';
export * from './lake-formation-tag-association';
export * from './dataset-tables';
export * from './glue-job-security';
export * from './source-connections';
export * from './ingestion-job-role';
export * from './packed-managed-policies';
export * from './stream-schema-registry';
export * from './dataset-ingestion-job';
export * from './dataset-quality-ruleset';
export * from './data-quality-role';
export * from './iam-wildcard-findings';
export * from './artifacts-bucket';
export * from './spark-application';
export * from './emr-security-configuration';
export * from './lake-data-access';
export * from './spark-cluster';
export * from './eks-job-cluster';
export * from './emr-on-eks-virtual-cluster';
export * from './alert-topic';
export * from './cost-guard';
export * from './pipeline-definition';
export * from './pipeline-state-machine';
export * from './pipeline-scheduling';
export * from './dataset-schedule';
export * from './glue-job-failure-alerts';
export * from './streaming-cluster';
export * from './dataset-streaming-job';
export * from './imported-glue-security';
export * from './emr-tls-certificates';
export * from './emr-run-job-flow';
export * from './dms-account-roles';
export * from './database-change-replication';
