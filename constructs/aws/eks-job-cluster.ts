import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { type CfnCondition, CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IVpc, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { AccessPolicy, AccessScopeType, Cluster, ClusterLoggingTypes, DefaultCapacityType, EndpointAccess, KubernetesVersion } from 'aws-cdk-lib/aws-eks-v2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeCheckov } from '../../lib/policy/checkov-cloudformation-skip';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';

/** Every control-plane log type EKS can send to CloudWatch Logs. */
export const ALL_CONTROL_PLANE_LOGS: readonly ClusterLoggingTypes[] = [
  ClusterLoggingTypes.API,
  ClusterLoggingTypes.AUDIT,
  ClusterLoggingTypes.AUTHENTICATOR,
  ClusterLoggingTypes.CONTROLLER_MANAGER,
  ClusterLoggingTypes.SCHEDULER,
];

export interface EksJobClusterProps {
  /** Cluster name (see `eksClusterName`). */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.33". */
  readonly version: string;
  /** VPC of the cluster; the control plane's network interfaces and the nodes go to its isolated subnets. */
  readonly vpc: IVpc;
  /** Customer-managed key for envelope encryption of Kubernetes secrets. */
  readonly secretsEncryptionKey: IKey;
  /**
   * IAM roles (ARNs) that administer the cluster: an access entry each, with AmazonEKSClusterAdminPolicy.
   * @default - none: only the deployment (CloudFormation) administers the cluster
   */
  readonly adminRoleArns?: readonly string[];
  /**
   * What happens to the cluster when it leaves the stack (it holds no data: jobs write to S3).
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The environment's EKS cluster for Spark jobs (EMR on EKS): API server reachable only from inside
 * the VPC, Kubernetes secrets envelope-encrypted with the customer-managed key, every control-plane log
 * type in CloudWatch Logs, access through EKS access entries (no aws-auth ConfigMap), and EKS Auto Mode
 * nodes in the isolated subnets, so that nodes are patched, scaled and replaced by EKS and no node
 * group has to be sized by hand. The kubectl handler (for the few Kubernetes objects the platform
 * creates, such as the jobs namespace) runs inside the VPC with the layer from the npm package
 * `@aws-cdk/lambda-layer-kubectl-v33`, so synth needs no download.
 */
export class EksJobCluster extends Construct {
  readonly cluster: Cluster;

  constructor(scope: Construct, id: string, props: EksJobClusterProps) {
    super(scope, id);
    if (!/^1\.[0-9]{2}$/.test(props.version)) throw new Error(`version (${props.version}) must be a Kubernetes minor version such as 1.33`);
    const isolated = props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED });
    if (isolated.subnets.length < 2)
      throw new Error(`vpc has ${isolated.subnets.length} isolated subnet(s); EKS needs subnets in at least two availability zones`);
    // The kubectl handler reaches the private API server and the VPC endpoints; nothing else is routable.
    const kubectlSecurityGroup = new SecurityGroup(this, 'KubectlSecurityGroup', {
      vpc: props.vpc,
      description: 'CDK kubectl handler: HTTPS to the private API server and the VPC endpoints',
      allowAllOutbound: true,
    });
    this.cluster = new Cluster(this, 'Resource', {
      clusterName: props.clusterName,
      version: KubernetesVersion.of(props.version),
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: SubnetType.PRIVATE_ISOLATED }],
      endpointAccess: EndpointAccess.PRIVATE,
      secretsEncryptionKey: props.secretsEncryptionKey,
      clusterLogging: [...ALL_CONTROL_PLANE_LOGS],
      defaultCapacityType: DefaultCapacityType.AUTOMODE,
      compute: { nodePools: ['system', 'general-purpose'] },
      kubectlProviderOptions: {
        kubectlLayer: new KubectlV33Layer(this, 'KubectlLayer'),
        privateSubnets: isolated.subnets,
        securityGroups: [kubectlSecurityGroup],
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.cluster.connections.allowFrom(kubectlSecurityGroup, Port.tcp(443), 'kubectl handler to the API server');
    (props.adminRoleArns ?? []).forEach((roleArn, index) => {
      this.cluster.grantAccess(`Admin${index}`, roleArn, [
        AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: AccessScopeType.CLUSTER }),
      ]);
    });
    acknowledgeCrossStackSetting(
      this.cluster,
      props.secretsEncryptionKey,
      'eks_secrets_encrypted_check',
      'EncryptionConfig (secrets, with the environment data key)',
    );
    acknowledgeClusterFindings(this.cluster);
  }
}

const managed = (name: string, reason: string) => ({ id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`, reason });

const KUBECTL_REASON =
  "CDK's kubectl provider (the handler and its custom-resource framework function), which applies " +
  "the platform's few Kubernetes objects when CloudFormation deploys and runs at no other time";

/** The findings of EKS Auto Mode's roles and CDK's kubectl provider, each acknowledged with why it does not apply. */
function acknowledgeClusterFindings(cluster: Cluster): void {
  const autoMode =
    'EKS Auto Mode requires exactly these AWS managed policies on the cluster role (EKS manages ' +
    'compute, storage, load balancing and networking for the nodes with them)';
  Validations.of(cluster).acknowledge(
    ...['AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'].map(
      (name) => managed(name, autoMode),
    ),
    ...['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'].map((name) =>
      managed(name, 'The node role of EKS Auto Mode: the managed policies EKS documents for nodes that join the cluster and pull images.'),
    ),
    {
      id: 'CloudFormation-Validate::W9009',
      reason:
        'EKS v2 writes EncryptionConfig.Resources: ["secrets"], the only resource type EKS encrypts; ' +
        'the schema marks the field deprecated but the API still requires it.',
    },
    {
      id: 'Annotation::@aws-cdk/aws-eks:isolatedSubnetsForKubectlPrivateSubnets',
      reason:
        'The network gives the isolated subnets interface endpoints for STS and EKS (and the cluster ' +
        'endpoint is private to the VPC), which is all the kubectl handler calls.',
    },
  );
  const provider = cluster.node.tryFindChild('KubectlProvider');
  if (!provider) return;
  const handler = provider.node.findChild('Handler').node;
  const hasEcrPublic = Stack.of(cluster).getLogicalId(handler.findChild('HasEcrPublic') as CfnCondition);
  const handlerFunction = Stack.of(cluster).getLogicalId(handler.defaultChild as CfnResource);
  Validations.of(provider).acknowledge(
    managed('service-role/AWSLambdaBasicExecutionRole', `${KUBECTL_REASON}: the minimal managed policy for a function that logs.`),
    managed('service-role/AWSLambdaVPCAccessExecutionRole', `${KUBECTL_REASON}: the minimal managed policy for a function in a VPC.`),
    managed('AmazonEC2ContainerRegistryReadOnly', `${KUBECTL_REASON}: lets it read Helm charts from ECR; the platform installs none, CDK attaches it always.`),
    {
      id:
        `AwsSolutions::AwsSolutions-IAM4[Policy::{"Fn::If":["${hasEcrPublic}",` +
        '{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      reason: `${KUBECTL_REASON}: public ECR read only in the regions where CDK enables it, for Helm charts; the platform installs none.`,
    },
    { id: 'AwsSolutions::AwsSolutions-L1', reason: `${KUBECTL_REASON}: CDK pins its runtime together with its handler code.` },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${handlerFunction}.Arn>:*]`,
      reason: `${KUBECTL_REASON}: the framework may invoke every version of its own handler (<handler arn>:*), which CDK grants.`,
    },
    {
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: `${KUBECTL_REASON}: its log groups are created by CDK with no option for a key; they hold only deployment events, no data.`,
    },
    {
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        `${KUBECTL_REASON}: the handler runs in the isolated subnets (a cross-stack reference the rule ` +
        `cannot follow); the framework function only relays CloudFormation events to it and needs no ` +
        `network path to the cluster.`,
    },
  );
  for (const logGroup of provider.node
    .findAll()
    .filter((child): child is CfnResource => child instanceof CfnResource && child.cfnResourceType === 'AWS::Logs::LogGroup')) {
    acknowledgeCheckov(logGroup, {
      id: 'CKV_AWS_158',
      reason: `${KUBECTL_REASON}: CDK creates its log groups with no option for a key; they hold only deployment events, no data.`,
    });
  }
  for (const fn of provider.node
    .findAll()
    .filter((child): child is CfnResource => child instanceof CfnResource && child.cfnResourceType === 'AWS::Lambda::Function')) {
    // cfn-lint W3005: CDK adds an explicit DependsOn on the role that the GetAtt already implies.
    fn.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    acknowledgeCheckov(
      fn,
      { id: 'CKV_AWS_115', reason: `${KUBECTL_REASON}; CloudFormation invokes it once per deployment, so a concurrency limit protects nothing.` },
      { id: 'CKV_AWS_116', reason: `${KUBECTL_REASON}; CloudFormation receives and reports its failures, so a dead-letter queue would stay empty.` },
      { id: 'CKV_AWS_117', reason: `${KUBECTL_REASON}; the framework function only relays CloudFormation events to the handler, which is in the VPC.` },
      { id: 'CKV_AWS_173', reason: `${KUBECTL_REASON}; its environment holds no secrets, only settings.` },
    );
  }
}
