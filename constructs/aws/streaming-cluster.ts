import { ArnFormat, Stack } from 'aws-cdk-lib';
import { type ISecurityGroup, type IVpc, Port, SecurityGroup, type SubnetSelection, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnServerlessCluster } from 'aws-cdk-lib/aws-msk';
import { Construct } from 'constructs';

export interface StreamingClusterProps {
  /** Cluster name (see `mskClusterName`). */
  readonly clusterName: string;
  /** The VPC the brokers' endpoints live in. */
  readonly vpc: IVpc;
  /**
   * Subnets of the cluster's endpoints (MSK Serverless needs two to five, in different zones).
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: SubnetSelection;
}

/** The port of MSK's IAM-authenticated listener (TLS). */
export const MSK_IAM_PORT = 9098;

/**
 * The environment's MSK Serverless cluster: IAM authentication only (no unauthenticated or SASL/SCRAM
 * listener, TLS always), endpoints in the private subnets only, and a security group that admits
 * nothing until a client is allowed with `allowClientsFrom` (port 9098 only). Serverless clusters
 * encrypt at rest with an AWS-owned key and scale partitions on demand; topics are created by their
 * producers or the streaming jobs (they are not CloudFormation resources).
 */
export class StreamingCluster extends Construct {
  readonly cluster: CfnServerlessCluster;
  readonly securityGroup: SecurityGroup;
  readonly clusterName: string;
  readonly clusterArn: string;

  constructor(scope: Construct, id: string, props: StreamingClusterProps) {
    super(scope, id);
    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: SubnetType.PRIVATE_ISOLATED });
    if (subnets.subnetIds.length < 2)
      throw new Error(`vpcSubnets selects ${subnets.subnetIds.length} subnet(s); MSK Serverless needs at least two, in different availability zones`);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `MSK Serverless ${props.clusterName}: IAM-authenticated Kafka (${MSK_IAM_PORT}) from its allowed clients only`,
      allowAllOutbound: false,
    });
    this.clusterName = props.clusterName;
    this.cluster = new CfnServerlessCluster(this, 'Resource', {
      clusterName: props.clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfigs: [{ subnetIds: subnets.subnetIds, securityGroups: [this.securityGroup.securityGroupId] }],
    });
    this.clusterArn = this.cluster.attrArn;
  }

  /** Lets clients in `group` reach the IAM listener. */
  allowClientsFrom(group: ISecurityGroup, description: string): void {
    this.securityGroup.addIngressRule(group, Port.tcp(MSK_IAM_PORT), description);
  }

  /** `arn:...:topic/<cluster>/<any UUID>/<topic>`: a topic of the cluster, for kafka-cluster:* topic actions (see `groupArn`). */
  topicArn(topic: string): string {
    return this.dataPlaneArn('topic', topic);
  }

  /**
   * `arn:...:group/<cluster>/<any UUID>/<group>`: consumer groups (a trailing `*` matches a prefix) of
   * the cluster. Topic and group ARNs name the cluster by `clusterName` with any UUID: they are known at
   * synth, so a policy in another stack carries them without a cross-stack reference (which cdk-nag
   * and cfn-lint cannot follow through Fn::Split) and can acknowledge their wildcard by id. Grant
   * `kafka-cluster:Connect` on `clusterArn` with them: every topic and group action needs a connection
   * to this very cluster, so they reach no other.
   */
  groupArn(group: string): string {
    return this.dataPlaneArn('group', group);
  }

  private dataPlaneArn(resource: 'topic' | 'group', name: string): string {
    return Stack.of(this).formatArn({ service: 'kafka', resource, resourceName: `${this.clusterName}/*/${name}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }
}
