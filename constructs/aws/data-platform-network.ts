import { type CfnResource, Fn, RemovalPolicy, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  type InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeCheckov } from '../../lib/policy/checkov-cloudformation-skip';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';
import { requireWholeNumber } from './whole-number';

export interface DataPlatformNetworkProps {
  /** Region of the VPC; its subnets go to the first `maxAzs` zones CloudFormation lists for it. */
  readonly region: string;
  /** Customer-managed key that encrypts the flow-log group (it must let CloudWatch Logs use it). */
  readonly encryptionKey: IKey;
  /**
   * Address range of the VPC.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones to spread the private subnets over.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * How long VPC flow logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: RetentionDays;
  /**
   * AWS services reached through interface endpoints (S3 always gets a gateway endpoint).
   * @default Glue, STS, KMS, CloudWatch Logs, Secrets Manager, EMR
   */
  readonly interfaceEndpoints?: readonly InterfaceVpcEndpointAwsService[];
  /**
   * What happens to the flow-log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The services every data job needs; with these endpoints no job needs a route to the internet. */
export const DATA_PLATFORM_INTERFACE_ENDPOINTS: readonly InterfaceVpcEndpointAwsService[] = [
  InterfaceVpcEndpointAwsService.GLUE,
  InterfaceVpcEndpointAwsService.STS,
  InterfaceVpcEndpointAwsService.KMS,
  InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  InterfaceVpcEndpointAwsService.EMR,
];

/**
 * What EKS Auto Mode nodes in isolated subnets need besides the data endpoints: image pulls from ECR
 * (API and Docker registry), the EC2 and EKS APIs, and EKS Pod Identity credentials (eks-auth).
 */
export const KUBERNETES_INTERFACE_ENDPOINTS: readonly InterfaceVpcEndpointAwsService[] = [
  InterfaceVpcEndpointAwsService.ECR,
  InterfaceVpcEndpointAwsService.ECR_DOCKER,
  InterfaceVpcEndpointAwsService.EC2,
  InterfaceVpcEndpointAwsService.EKS,
  InterfaceVpcEndpointAwsService.EKS_AUTH,
];

/** The tag the AWS managed EMR service policy (v2) requires on every subnet it may launch instances in. */
export const EMR_MANAGED_POLICY_TAG = { key: 'for-use-with-amazon-emr-managed-policies', value: 'true' } as const;

/**
 * An environment's private network for data processing: isolated subnets only (no internet or NAT
 * gateway), all traffic recorded in KMS-encrypted flow logs, and VPC endpoints for S3 and the AWS
 * services the jobs call, reachable on 443 from inside the VPC only.
 */
export class DataPlatformNetwork extends Construct {
  readonly vpc: Vpc;
  /** Security group of the interface endpoints; jobs reach them on 443. */
  readonly endpointSecurityGroup: SecurityGroup;
  private readonly endpoints = new Map<string, InterfaceVpcEndpoint>();

  constructor(scope: Construct, id: string, props: DataPlatformNetworkProps) {
    super(scope, id);
    const maxAzs = props.maxAzs ?? 2;
    if (!Token.isUnresolved(maxAzs)) requireWholeNumber('maxAzs', maxAzs, 1, 6);
    const flowLogs = new LogGroup(this, 'FlowLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.flowLogRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledgeCrossStackSetting(flowLogs, props.encryptionKey, 'cloudwatch_log_group_encrypted_check', 'KmsKeyId (the environment data key)');
    const cidr = props.cidr ?? '10.0.0.0/16';
    this.vpc = new Vpc(this, 'Resource', {
      ipAddresses: IpAddresses.cidr(cidr),
      // Zones chosen by CloudFormation at deploy time (Fn::GetAZs), not looked up at synth: synth needs
      // no AWS credentials or network and reads the same everywhere.
      availabilityZones: Array.from({ length: maxAzs }, (_, i) => Fn.select(i, Fn.getAzs(props.region))),
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
      flowLogs: { all: { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.ALL } },
      gatewayEndpoints: { S3: { service: GatewayVpcEndpointAwsService.S3 } },
    });
    for (const subnet of this.vpc.isolatedSubnets) Tags.of(subnet).add(EMR_MANAGED_POLICY_TAG.key, EMR_MANAGED_POLICY_TAG.value);
    this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    // The literal range, not the VPC's attribute, so that the rule reads the same before deployment.
    this.endpointSecurityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(443), 'HTTPS from the VPC');
    // CDK strips the default security group's rules at deploy time with a provider Lambda.
    const restrictDefaultSecurityGroup = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictDefaultSecurityGroup) acknowledgeDefaultSecurityGroupProvider(restrictDefaultSecurityGroup);
    for (const service of props.interfaceEndpoints ?? DATA_PLATFORM_INTERFACE_ENDPOINTS) {
      if (this.endpoints.has(service.name)) continue;
      const endpoint = this.vpc.addInterfaceEndpoint(endpointId(service), {
        service,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
      this.endpoints.set(service.name, endpoint);
    }
  }

  /** The interface endpoint of `service`, for what must be reached only through it (a private API); fails when the network has none. */
  interfaceEndpoint(service: InterfaceVpcEndpointAwsService): InterfaceVpcEndpoint {
    const endpoint = this.endpoints.get(service.name);
    if (!endpoint) {
      throw new Error(
        `the network has no interface endpoint for ${service.shortName}; endpoints: ${[...this.endpoints.values()].map((e) => e.node.id).join(', ')}`,
      );
    }
    return endpoint;
  }
}

const PROVIDER_REASON =
  "CDK's deploy-time provider that removes every rule of the VPC's default security group: it " +
  'runs once per deployment, calls only the EC2 API and touches no data';

/** The findings of CDK's own default-security-group provider Lambda, acknowledged with why they do not apply. */
function acknowledgeDefaultSecurityGroupProvider(provider: IConstruct): void {
  Validations.of(provider).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason: `${PROVIDER_REASON}; inside the isolated subnets it would need an EC2 endpoint for this alone.`,
  });
  const handler = provider.node.tryFindChild('Handler') as CfnResource | undefined;
  if (!handler) return;
  acknowledgeCheckov(
    handler,
    { id: 'CKV_AWS_115', reason: `${PROVIDER_REASON}; CloudFormation invokes it once, so a concurrency limit protects nothing.` },
    { id: 'CKV_AWS_116', reason: `${PROVIDER_REASON}; CloudFormation receives and reports its failures, so a dead-letter queue would stay empty.` },
    { id: 'CKV_AWS_117', reason: `${PROVIDER_REASON}; inside the isolated subnets it would need an EC2 endpoint for this alone.` },
  );
  // cfn-lint W3005: CDK adds an explicit DependsOn on the role that the GetAtt already implies.
  handler.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
}

/** Construct ids are a contract: `com.amazonaws.<region>.secretsmanager` becomes `SecretsmanagerEndpoint`. */
function endpointId(service: InterfaceVpcEndpointAwsService): string {
  const name = service.shortName.replace(/[^A-Za-z0-9]/g, '');
  return `${name[0].toUpperCase()}${name.slice(1)}Endpoint`;
}
