import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';

export interface DataQualityRoleProps {
  /** Role name (see `dataQualityRoleName`); pipelines pass it to every evaluation run. */
  readonly roleName: string;
  /** The bronze bucket: the checked tables live in it and results go to `resultsPrefix` in it. */
  readonly bronzeBucket: IBucket;
  /** Prefix of the evaluation results in the bronze bucket (see `DATA_QUALITY_RESULTS_PREFIX`). */
  readonly resultsPrefix: string;
  /** The environment key. */
  readonly encryptionKey: IKey;
  /** The bronze database whose tables the rulesets check. */
  readonly databaseName: string;
}

/**
 * The role Glue Data Quality evaluation runs assume: read the bronze layer and its catalog, write
 * results under one prefix, publish results to Glue, log to the Glue data-quality log groups.
 * Lake Formation access to the bronze tables is granted separately (LakeFormationDatabaseAccess).
 */
export class DataQualityRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DataQualityRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const glueArn = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, resourceName });
    this.role = new Role(this, 'Resource', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('glue.amazonaws.com'),
      description: 'Glue Data Quality evaluation runs over the bronze tables',
    });
    const policy = new Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({ sid: 'ListBronze', actions: ['s3:ListBucket'], resources: [props.bronzeBucket.bucketArn] }),
        new PolicyStatement({ sid: 'ReadBronze', actions: ['s3:GetObject'], resources: [props.bronzeBucket.arnForObjects('*')] }),
        new PolicyStatement({ sid: 'WriteResults', actions: ['s3:PutObject'], resources: [props.bronzeBucket.arnForObjects(`${props.resultsPrefix}*`)] }),
        new PolicyStatement({
          sid: 'UseEnvironmentKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
        }),
        new PolicyStatement({
          sid: 'ReadBronzeCatalog',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions', 'glue:GetPartition'],
          resources: [glueArn('catalog'), glueArn('database', props.databaseName), glueArn('table', `${props.databaseName}/*`)],
        }),
        // GetDataAccess has no resource-level permissions; Lake Formation grants decide what it returns.
        new PolicyStatement({ sid: 'AskLakeFormationForCredentials', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
        new PolicyStatement({
          sid: 'PublishResults',
          actions: ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'],
          resources: [glueArn('dataQualityRuleset', '*')],
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
        return 'lakeformation:GetDataAccess has no resource-level permissions; the Lake Formation grants on the bronze tables decide which data it returns.';
      if (finding.includes(':s3:::'))
        return 'Data quality rulesets may check any bronze table and write results under their own prefix; object names are per run.';
      if (finding.includes(':glue:'))
        return (
          'Rulesets are created per dataset in the domain stacks; the role checks every table of the ' +
          'bronze database and publishes to any of its rulesets (read-only metadata).'
        );
      if (finding.includes(':logs:')) return 'Glue names a log group and stream per evaluation run under /aws-glue/data-quality/.';
      return undefined;
    });
  }
}
