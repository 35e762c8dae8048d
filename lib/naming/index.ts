/**
 * Every resource name, composed from `{ prefix, environment }` and checked against its cloud's limits
 * by one helper (`name-rules.ts`: `checkedAgainst`): `stack-names.ts`, `aws-names.ts`,
 * `aws-job-names.ts`, `aws-lake-names.ts`, `aws-audit-names.ts`, `aws-cost-names.ts`, `azure-names.ts`, `databricks-names.ts`, `cicd-names.ts`
 * (the delivery identities: subjects, role and identity names per environment).
 *
 * May import: lib/definition, lib/lake.
 */
export * from './name-rules';
export * from './stack-names';
export * from './aws-names';
export * from './aws-job-names';
export * from './aws-lake-names';
export * from './aws-audit-names';
export * from './aws-cost-names';
export * from './azure-names';
export * from './databricks-names';
export * from './composed-names';
export * from './cicd-names';
