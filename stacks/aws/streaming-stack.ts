import { RemovalPolicy } from 'aws-cdk-lib';
import { InterfaceVpcEndpoint, InterfaceVpcEndpointAwsService, type IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnConnection } from 'aws-cdk-lib/aws-glue';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { MSK_IAM_PORT, StreamingCluster } from '../../constructs/aws/streaming-cluster';
import { StreamSchemaRegistry } from '../../constructs/aws/stream-schema-registry';
import { glueSchemaRegistryName, mskClusterName } from '../../lib/naming';
import { Catalogue } from '../../lib/definition';
import { requireAwsStreamSupport } from '../../lib/lake/stream-arguments';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface StreamingStackProps extends EnvironmentStackProps {
  /** The environment's VPC (from the network stack): the cluster and the jobs use its isolated subnets. */
  readonly vpc: IVpc;
  /** The environment's data key (from the storage stack): the jobs' log group. */
  readonly encryptionKey: IKey;
}

/**
 * `<prefix>-<env>-streaming`: what the stream datasets of an environment share. An MSK Serverless
 * cluster (IAM authentication, isolated subnets, reachable on 9098 from the streaming jobs only), the
 * jobs' security group and the Glue NETWORK connection that carries it, a VPC endpoint for the MSK API
 * (bootstrap servers) and the jobs' log group. The jobs and their roles live in one
 * `<prefix>-<env>-streaming-<domain>` stack per domain (StreamingDomainStack), so this template does
 * not grow with the catalogue.
 */
export class StreamingStack extends EnvironmentStack {
  readonly cluster: StreamingCluster;
  readonly jobSecurityGroup: SecurityGroup;
  /** The jobs' continuous logs (KMS-encrypted with the environment key). */
  readonly logGroup: LogGroup;
  /** Name of the Glue NETWORK connection that puts a job next to the cluster (a name: no cross-stack reference). */
  readonly connectionName: string;
  /** The Glue Schema Registry registry of the streams' message schemas (the schemas are in the domain stacks, by its name). */
  readonly schemaRegistry: StreamSchemaRegistry;

  constructor(scope: Construct, props: StreamingStackProps) {
    super(scope, 'streaming', {
      description: `Streaming ingestion (MSK Serverless, the streaming jobs' network and logs) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const streams = Catalogue.of(this.config).streams();
    if (streams.length === 0) throw new Error('the definition has no stream dataset; create the streaming stack only when one has source.kind "stream"');
    streams.forEach(requireAwsStreamSupport);
    const retain = this.platformEnvironment.dataProtection.retainOnDelete;
    const isolated = { subnetType: SubnetType.PRIVATE_ISOLATED };

    this.cluster = new StreamingCluster(this, 'Cluster', { clusterName: mskClusterName(this.naming), vpc: props.vpc, vpcSubnets: isolated });
    this.jobSecurityGroup = new SecurityGroup(this, 'JobSecurityGroup', {
      vpc: props.vpc,
      description: 'Glue streaming jobs: each other (Spark), the MSK listener and HTTPS to the VPC endpoints',
      allowAllOutbound: false,
    });
    // Glue requires the workers of a job to reach each other on every TCP port.
    this.jobSecurityGroup.addIngressRule(this.jobSecurityGroup, Port.allTcp(), 'Glue workers of the same job');
    this.jobSecurityGroup.addEgressRule(this.jobSecurityGroup, Port.allTcp(), 'Glue workers of the same job');
    this.jobSecurityGroup.addEgressRule(this.cluster.securityGroup, Port.tcp(MSK_IAM_PORT), 'MSK IAM listener');
    // The subnets are isolated (no route out of the VPC): 443 reaches only the interface endpoints and the S3 gateway endpoint.
    this.jobSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'AWS APIs through the VPC endpoints (the subnets have no internet route)');
    this.cluster.allowClientsFrom(this.jobSecurityGroup, 'Glue streaming jobs');

    const endpointSecurityGroup = new SecurityGroup(this, 'KafkaEndpointSecurityGroup', {
      vpc: props.vpc,
      description: 'MSK API endpoint: HTTPS from the streaming jobs',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(this.jobSecurityGroup, Port.tcp(443), 'Glue streaming jobs');
    new InterfaceVpcEndpoint(this, 'KafkaEndpoint', {
      vpc: props.vpc,
      service: InterfaceVpcEndpointAwsService.KAFKA,
      subnets: isolated,
      securityGroups: [endpointSecurityGroup],
      privateDnsEnabled: true,
      open: false,
    });

    const subnet = props.vpc.selectSubnets(isolated).subnets[0];
    this.connectionName = `${mskClusterName(this.naming)}-network`;
    new CfnConnection(this, 'Connection', {
      catalogId: this.account,
      connectionInput: {
        name: this.connectionName,
        description: 'Puts the streaming jobs in an isolated subnet next to the MSK cluster',
        connectionType: 'NETWORK',
        physicalConnectionRequirements: {
          subnetId: subnet.subnetId,
          availabilityZone: subnet.availabilityZone,
          securityGroupIdList: [this.jobSecurityGroup.securityGroupId],
        },
      },
    });

    this.logGroup = new LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledgeCrossStackSetting(this.logGroup, props.encryptionKey, 'cloudwatch_log_group_encrypted_check', 'KmsKeyId (the environment data key)');

    this.schemaRegistry = new StreamSchemaRegistry(this, 'SchemaRegistry', {
      registryName: glueSchemaRegistryName(this.naming),
      description: `Message schemas of the streams of ${this.config.prefix} ${this.platformEnvironment.name}, one per topic`,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
