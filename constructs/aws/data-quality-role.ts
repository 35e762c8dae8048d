import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';

export interface DataQualityRoleProps {
  /** Role name (see `dataQualityRoleName`); the domain's pipeline passes it to every evaluation run. */
  readonly roleName: string;
  /** The bronze bucket: the checked tables live in it and results go under `resultsPrefix` in it. */
  readonly bronzeBucket: IBucket;
  /** Prefix of the evaluation results in the bronze bucket (see `DATA_QUALITY_RESULTS_PREFIX`); each run writes below `<prefix><table>/`. */
  readonly resultsPrefix: string;
  /** The environment key. */
  readonly encryptionKey: IKey;
  /** The bronze database whose tables the rulesets check. */
  readonly databaseName: string;
  /** The checked datasets of one domain: each its bronze table, the table's key prefix in the bucket, and its ruleset. */
  readonly datasets: readonly CheckedDataset[];
}

/** One dataset a data-quality role checks. */
export interface CheckedDataset {
  /** The bronze table (in `databaseName`). */
  readonly tableName: string;
  /** The table's key prefix in the bronze bucket (see `datasetPrefix`). */
  readonly prefix: string;
  /** The Glue Data Quality ruleset that checks it (see `dataQualityRulesetName`). */
  readonly rulesetName: string;
}

/**
 * The role one domain's Glue Data Quality evaluation runs assume: read that domain's bronze tables (catalog
 * and objects), write results under each table's results prefix, read and publish to that domain's rulesets
 * only, log to the Glue data-quality log groups. Lake Formation access to the same tables is granted
 * separately (LakeFormationDatabaseAccess with `tableNames`).
 */
export class DataQualityRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DataQualityRoleProps) {
    super(scope, id);
    if (props.datasets.length === 0) throw new Error('datasets must list at least one checked dataset');
    const stack = Stack.of(this);
    const tables = props.datasets.map((dataset) => dataset.tableName);
    const glueArn = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, resourceName });
    this.role = new Role(this, 'Resource', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('glue.amazonaws.com'),
      description: "Glue Data Quality evaluation runs over one domain's bronze tables",
    });
    const policy = new Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'ListCheckedPrefixes',
          actions: ['s3:ListBucket'],
          resources: [props.bronzeBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': props.datasets.map((dataset) => `${dataset.prefix}*`) } },
        }),
        new PolicyStatement({
          sid: 'ReadCheckedTables',
          actions: ['s3:GetObject'],
          resources: props.datasets.map((dataset) => props.bronzeBucket.arnForObjects(`${dataset.prefix}*`)),
        }),
        new PolicyStatement({
          sid: 'WriteResults',
          actions: ['s3:PutObject'],
          resources: tables.map((table) => props.bronzeBucket.arnForObjects(`${props.resultsPrefix}${table}/*`)),
        }),
        new PolicyStatement({
          sid: 'UseEnvironmentKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
        }),
        new PolicyStatement({
          sid: 'ReadBronzeCatalog',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions', 'glue:GetPartition'],
          resources: [
            glueArn('catalog'),
            glueArn('database', props.databaseName),
            ...tables.map((table) => glueArn('table', `${props.databaseName}/${table}`)),
          ],
        }),
        // GetDataAccess has no resource-level permissions; Lake Formation grants decide what it returns.
        new PolicyStatement({ sid: 'AskLakeFormationForCredentials', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
        new PolicyStatement({
          sid: 'PublishResults',
          actions: ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'],
          resources: props.datasets.map((dataset) => glueArn('dataQualityRuleset', dataset.rulesetName)),
        }),
        new PolicyStatement({
          sid: 'WriteRunLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
          resources: [
            stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/data-quality/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          ],
        }),
      ],
    });
    acknowledgeIamWildcards(policy, [policy.document], (finding) => {
      if (!finding.startsWith('Resource::')) return undefined;
      if (finding === 'Resource::*')
        return (
          'lakeformation:GetDataAccess has no resource-level permissions; ' +
          "the Lake Formation grants on the domain's bronze tables decide which data it returns."
        );
      if (finding.includes(':s3:::'))
        return "Objects under the domain's own bronze table prefixes and their results prefixes only: object names are per ingestion and evaluation run.";
      if (finding.includes(':logs:')) return 'Glue names a log group and stream per evaluation run under /aws-glue/data-quality/.';
      return undefined;
    });
  }
}
