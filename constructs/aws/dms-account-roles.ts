import { Validations } from 'aws-cdk-lib';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The fixed names AWS DMS looks up in every account: it cannot be told other ones. */
export const DMS_VPC_ROLE_NAME = 'dms-vpc-role';
export const DMS_CLOUDWATCH_LOGS_ROLE_NAME = 'dms-cloudwatch-logs-role';

const REASON =
  'AWS DMS requires this account-wide role under its fixed name with exactly this AWS managed policy ' +
  '(it manages the replication network interfaces and log streams itself); a customer policy would drift from what DMS needs.';

/**
 * The two account-wide roles AWS DMS uses for every replication of the account: `dms-vpc-role` (network
 * interfaces of replications in a VPC) and `dms-cloudwatch-logs-role` (replication logs). IAM names are
 * global in an account, so exactly one stack per account may create them: the definition opts one
 * environment in (`environments.<env>.aws.changeCapture.createAccountRoles`) and refuses two in one account.
 */
export class DmsAccountRoles extends Construct {
  readonly vpcRole: Role;
  readonly cloudWatchLogsRole: Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const principal = new ServicePrincipal('dms.amazonaws.com');
    this.vpcRole = new Role(this, 'VpcRole', {
      roleName: DMS_VPC_ROLE_NAME,
      assumedBy: principal,
      description: 'AWS DMS: manages the network interfaces of replications in a VPC (account-wide, fixed name)',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonDMSVPCManagementRole')],
    });
    this.cloudWatchLogsRole = new Role(this, 'CloudWatchLogsRole', {
      roleName: DMS_CLOUDWATCH_LOGS_ROLE_NAME,
      assumedBy: principal,
      description: 'AWS DMS: writes replication logs to CloudWatch Logs (account-wide, fixed name)',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonDMSCloudWatchLogsRole')],
    });
    Validations.of(this.vpcRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonDMSVPCManagementRole]',
      reason: REASON,
    });
    Validations.of(this.cloudWatchLogsRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole]',
      reason: REASON,
    });
  }
}
