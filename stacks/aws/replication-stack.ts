import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnReplicationSubnetGroup } from 'aws-cdk-lib/aws-dms';
import { type IVpc, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { DatabaseChangeReplication, DmsAccountRoles } from '../../constructs/aws';
import { captureSources } from '../../lib/lake';
import { dmsReplicationName } from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';
import { layerBucketsByName } from './lake-buckets';

export interface ReplicationStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack). */
  readonly encryptionKey: IKey;
  /** The environment's VPC (from the network stack): replications run in its isolated subnets. */
  readonly vpc: IVpc;
}

/**
 * `<prefix>-<env>-replication`: CDC capture of the environment's `cdc: true` database datasets with
 * AWS DMS Serverless, one replication per source database (connection secret), landing change files
 * in the bronze bucket's `_landing/cdc/` for the datasets' ingestion jobs; and, when the definition opts
 * this environment in, the account-wide roles DMS needs (`dms-vpc-role` must exist before the subnet
 * group is created, so the stack's subnet group waits for it). Deploys after the storage and network stacks.
 */
export class ReplicationStack extends EnvironmentStack {
  readonly replications: ReadonlyMap<string, DatabaseChangeReplication>;
  readonly accountRoles?: DmsAccountRoles;

  constructor(scope: Construct, props: ReplicationStackProps) {
    super(scope, 'replication', {
      description: `CDC capture of database sources with AWS DMS Serverless into the bronze landing area of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const sources = captureSources(this.config.datasets);
    if (sources.length === 0)
      throw new Error(`environment ${props.environment.name}: no cdc: true database datasets to capture; the plan adds this stack only when there are`);
    const capture = this.aws.changeCapture;
    if (capture.createAccountRoles) this.accountRoles = new DmsAccountRoles(this, 'DmsAccountRoles');
    const subnetGroup = new CfnReplicationSubnetGroup(this, 'SubnetGroup', {
      replicationSubnetGroupDescription: `Isolated subnets of the ${props.environment.name} VPC for DMS replications`,
      subnetIds: props.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
    });
    if (this.accountRoles) subnetGroup.node.addDependency(this.accountRoles.vpcRole);
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'DMS replications: outbound to the source databases and the VPC endpoints only',
      allowAllOutbound: true,
    });
    const bronzeBucket = layerBucketsByName(this).bronze;
    const replications = new Map<string, DatabaseChangeReplication>();
    for (const source of sources) {
      replications.set(
        source.secretName,
        new DatabaseChangeReplication(this, source.folder, {
          source,
          identifier: dmsReplicationName(this.naming, source.folder),
          bronzeBucket,
          encryptionKey: props.encryptionKey,
          subnetGroup,
          securityGroup,
          maxCapacityUnits: capture.maxCapacityUnits,
          multiAz: this.platformEnvironment.isProduction,
        }),
      );
    }
    this.replications = replications;
  }
}
