/**
 * The operations CLI (`platform validate | list | run | status | diagram`), an app on the AWS SDK (and the Data Factory and Databricks REST APIs) beside
 * the CDK and CDKTF apps: it reads the definition and the plan, and no stack or construct imports it.
 *
 * May import: lib/definition, lib/naming, lib/pipelines, lib/plan, lib/config.
 */
export * from './athena-queries';
export * from './aws-clients';
export * from './aws-errors';
export * from './aws-profile';
export * from './aws-runner';
export * from './azure-runner';
export * from './aws-target';
export * from './batch-log';
export * from './choices';
export * from './cli';
export * from './databricks-runner';
export * from './clock';
export * from './diagram';
export * from './duration';
export * from './emr-steps';
export * from './errors';
export * from './exit-codes';
export * from './glue-runs';
export * from './help';
export * from './http-timeouts';
export * from './inventory';
export * from './pipeline-results';
export * from './progress';
export * from './rest';
export * from './retry';
export * from './run-pipeline';
export * from './run-report';
export * from './sfn-executions';
export * from './status';
export * from './table';
export * from './validation-report';
export * from './wait';
export * from './work-status';
