import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';
import { PackedManagedPolicies } from './packed-managed-policies';

export interface DataQualityRoleProps {
  /** Role name (see `dataQualityRoleName`); the domain's pipeline passes it to every evaluation run. */
  readonly roleName: string;
  /** The bronze bucket: the checked tables live in it and results go under `resultsPrefix` in it. */
  readonly bronzeBucket: IBucket;
  /** Key prefix of the domain's bronze tables in the bucket (see `domainPrefix`): every checked table lies below it. */
  readonly tablesPrefix: string;
  /** Prefix of the domain's evaluation results in the bronze bucket (see `dataQualityResultsPrefix`); each run writes below `<prefix><table>/`. */
  readonly resultsPrefix: string;
  /** The environment key. */
  readonly encryptionKey: IKey;
  /**
   * The bronze database whose tables the rulesets check. IAM reaches any of its tables; the role's Lake
   * Formation grants (`LakeFormationDatabaseAccess` with `tableNames`) keep it to the checked ones.
   */
  readonly databaseName: string;
  /**
   * The domain's Glue Data Quality rulesets (see `dataQualityRulesetName`), granted in customer managed
   * policies (`PackedManagedPolicies`), since they grow with the domain's datasets.
   */
  readonly rulesetNames: readonly string[];
}

/**
 * The role one domain's Glue Data Quality evaluation runs assume: read that domain's bronze objects and the
 * bronze catalog, write results under the domain's results prefix, read and publish to that domain's rulesets
 * only, log to the Glue data-quality log groups. The inline policy keeps one size however many datasets the
 * domain has; the rulesets, one per dataset, are in customer managed policies. Lake Formation access to the
 * checked tables is granted separately (LakeFormationDatabaseAccess with `tableNames`).
 */
export class DataQualityRole extends Construct {
  readonly role: Role;
  /** The managed policies of the domain's rulesets. */
  readonly rulesetPolicies: PackedManagedPolicies;

  constructor(scope: Construct, id: string, props: DataQualityRoleProps) {
    super(scope, id);
    if (props.rulesetNames.length === 0) throw new Error('rulesetNames must list at least one ruleset of the domain');
    const stack = Stack.of(this);
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
          conditions: { StringLike: { 's3:prefix': [`${props.tablesPrefix}*`] } },
        }),
        new PolicyStatement({
          sid: 'ReadCheckedTables',
          actions: ['s3:GetObject'],
          resources: [props.bronzeBucket.arnForObjects(`${props.tablesPrefix}*`)],
        }),
        new PolicyStatement({
          sid: 'WriteResults',
          actions: ['s3:PutObject'],
          resources: [props.bronzeBucket.arnForObjects(`${props.resultsPrefix}*`)],
        }),
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
          sid: 'WriteRunLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
          resources: [
            stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/data-quality/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          ],
        }),
      ],
    });
    this.rulesetPolicies = new PackedManagedPolicies(this, 'RulesetPolicies', {
      role: this.role,
      grants: [
        {
          items: props.rulesetNames,
          statement: (names: readonly string[]) =>
            new PolicyStatement({
              sid: 'PublishResults',
              actions: ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'],
              resources: names.map((name) => glueArn('dataQualityRuleset', name)),
            }),
        },
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
        return "Objects under the domain's own bronze prefix and its results prefix only: object names are per ingestion and evaluation run.";
      if (finding.includes(':table/'))
        return (
          'Tables of the bronze database: Glue tables take no tags, so IAM cannot tell domains apart; the Lake Formation ' +
          "grants of the role name the domain's checked tables, and a statement per table would grow past IAM's limit with the domain."
        );
      if (finding.includes(':logs:')) return 'Glue names a log group and stream per evaluation run under /aws-glue/data-quality/.';
      return undefined;
    });
  }
}
