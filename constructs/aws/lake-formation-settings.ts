import { CfnDataLakeSettings } from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';

export interface LakeFormationSettingsProps {
  /**
   * ARNs of the data lake administrators. Include the role CloudFormation deploys with, so that
   * deployments can create tables, tags and grants.
   */
  readonly adminArns: readonly string[];
}

/**
 * Lake Formation as the permission model of the account: explicit administrators and no default
 * permissions for new databases and tables, so `IAMAllowedPrincipals` is never granted and IAM
 * policies alone open no table.
 */
export class LakeFormationSettings extends Construct {
  readonly settings: CfnDataLakeSettings;

  constructor(scope: Construct, id: string, props: LakeFormationSettingsProps) {
    super(scope, id);
    if (props.adminArns.length === 0) throw new Error('adminArns must name at least one administrator (e.g. the CloudFormation execution role)');
    this.settings = new CfnDataLakeSettings(this, 'Resource', {
      admins: props.adminArns.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      allowExternalDataFiltering: false,
      allowFullTableExternalDataAccess: false,
    });
  }
}
