import { Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import { type ISubnet, type IVpc, Port, SecurityGroup, type SubnetSelection, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnCluster } from 'aws-cdk-lib/aws-emr';
import { CfnInstanceProfile, Effect, ManagedPolicy, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { requireWholeNumber } from './whole-number';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { EMR_MANAGED_POLICY_TAG } from './data-platform-network';
import { runJobFlowRequest } from './emr-run-job-flow';
import type { EmrSecurityConfiguration } from './emr-security-configuration';
import { GLUE_HIVE_METASTORE } from '../../lib/pipelines/spark-step';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';
import { type LakeAccessOptions, lakeDataStatements, lakeWildcardReason } from './lake-data-access';

/** The EMR release of the platform's clusters: the newest 7.x release the EMR release guide lists (Spark 3.5). */
export const EMR_RELEASE_LABEL = 'emr-7.14.0';

export interface SparkClusterProps extends LakeAccessOptions {
  /** Cluster name (see `emrClusterName`); the ops CLI finds the ACTIVE cluster by it. */
  readonly clusterName: string;
  /** VPC of the cluster. */
  readonly vpc: IVpc;
  /** Encryption at rest and in transit of the cluster. */
  readonly securityConfiguration: EmrSecurityConfiguration;
  /** Bucket with the job code (`spark/`), the TLS material (`tls/`) and the cluster logs (`logs/emr/`). */
  readonly artifactsBucket: IBucket;
  /** Fewest core (worker) nodes; managed scaling never goes below. */
  readonly minWorkers: number;
  /** Most core (worker) nodes; managed scaling never goes above. */
  readonly maxWorkers: number;
  /** Minutes without running steps or activity after which the cluster terminates itself. */
  readonly idleTimeoutMinutes: number;
  /**
   * Subnet of the cluster's instances (EMR places an instance-group cluster in one subnet).
   * @default - the first isolated subnet of the VPC
   */
  readonly vpcSubnets?: SubnetSelection;
  /**
   * EMR release.
   * @default EMR_RELEASE_LABEL
   */
  readonly releaseLabel?: string;
  /**
   * EC2 instance type of the primary and core nodes.
   * @default 'm7g.xlarge' (Graviton, 4 vCPU, 16 GiB)
   */
  readonly instanceType?: string;
  /**
   * Extra Spark defaults (`spark-defaults`), e.g. where the Spark application finds its manifest and its
   * Iceberg catalog (`icebergCatalogDefaults`). The cluster always enables EMR's Iceberg runtime (`iceberg-defaults`).
   * @default - none
   */
  readonly sparkDefaults?: Readonly<Record<string, string>>;
  /**
   * Steps that may run at the same time (one per pipeline that runs concurrently).
   * @default 4
   */
  readonly stepConcurrencyLevel?: number;
  /**
   * Name of an SSM parameter that receives the cluster's EMR RunJobFlow request (see `runJobFlowRequest`),
   * from which a cluster that terminated itself is created again with the same settings.
   * @default - no parameter
   */
  readonly specParameterName?: string;
  /**
   * Tags of a cluster created from the RunJobFlow request (CloudFormation tags this one itself).
   * @default - none
   */
  readonly clusterTags?: Readonly<Record<string, string>>;
}

/**
 * The environment's long-running EMR cluster that builds silver and gold: Spark on the newest EMR 7
 * release, in an isolated subnet (no public IP and no route to the internet: AWS services through VPC
 * endpoints), encrypted at rest and in transit by its security configuration, IMDSv2 only, the Glue Data
 * Catalog as its metastore, managed scaling between the definition's sizing bounds, logs to the
 * artifacts bucket (SSE-KMS), and least-privilege roles.
 *
 * The cluster terminates itself after `idleTimeoutMinutes` without work, so an idle environment costs
 * nothing. CloudFormation keeps the terminated cluster as the resource of this construct, and a plain
 * `cdk deploy` does not replace it (only a change of a replacing property, such as the release or the
 * subnet, does). It comes back from the RunJobFlow request this construct publishes in SSM
 * (`specParameterName`): the input of EMR's RunJobFlow API and of Step Functions'
 * `elasticmapreduce:createCluster`, so a pipeline that finds no ACTIVE cluster by name, or an operator
 * with the SDK, creates the same cluster (name, roles, network, security configuration, scaling, tags).
 */
export class SparkCluster extends Construct {
  readonly cluster: CfnCluster;
  readonly clusterName: string;
  /** The cluster id (j-...), for EMR steps. */
  readonly clusterId: string;
  /** `arn:<partition>:elasticmapreduce:<region>:<account>:cluster/<id>`, for policies that add steps. */
  readonly clusterArn: string;
  /** Role EMR assumes to manage the cluster. */
  readonly serviceRole: Role;
  /** Role of the cluster's instances (and so of every Spark job on it). */
  readonly instanceRole: Role;
  readonly instanceProfile: CfnInstanceProfile;
  readonly primarySecurityGroup: SecurityGroup;
  readonly workerSecurityGroup: SecurityGroup;
  readonly serviceAccessSecurityGroup: SecurityGroup;
  /** `s3://<artifacts>/logs/emr/`. */
  readonly logUri: string;
  /** The SSM parameter with the cluster's RunJobFlow request, when `specParameterName` is given. */
  readonly specParameter?: StringParameter;

  constructor(scope: Construct, id: string, props: SparkClusterProps) {
    super(scope, id);
    validateSizing(props);
    const stepConcurrencyLevel = props.stepConcurrencyLevel ?? 4;
    if (!Token.isUnresolved(stepConcurrencyLevel)) requireWholeNumber('stepConcurrencyLevel', stepConcurrencyLevel, 1, 256);
    const subnet = firstSubnet(props.vpc, props.vpcSubnets);
    const { partition, region, account } = Stack.of(this);

    this.primarySecurityGroup = this.securityGroup(
      'PrimarySecurityGroup',
      props.vpc,
      'EMR primary node: traffic within the cluster only (rules managed by EMR)',
    );
    this.workerSecurityGroup = this.securityGroup(
      'WorkerSecurityGroup',
      props.vpc,
      'EMR core and task nodes: traffic within the cluster only (rules managed by EMR)',
    );
    this.serviceAccessSecurityGroup = new SecurityGroup(this, 'ServiceAccessSecurityGroup', {
      vpc: props.vpc,
      description: 'EMR service access in a private subnet: the EMR service reaches the primary node on 9443',
      allowAllOutbound: false,
    });
    Tags.of(this.serviceAccessSecurityGroup).add(EMR_MANAGED_POLICY_TAG.key, EMR_MANAGED_POLICY_TAG.value);
    this.serviceAccessSecurityGroup.addIngressRule(this.primarySecurityGroup, Port.tcp(9443), 'EMR service from the primary node');
    this.serviceAccessSecurityGroup.addEgressRule(this.primarySecurityGroup, Port.tcp(8443), 'EMR service to the primary node');
    this.serviceAccessSecurityGroup.addEgressRule(this.workerSecurityGroup, Port.tcp(8443), 'EMR service to the core and task nodes');

    this.logUri = props.artifactsBucket.s3UrlForObject('logs/emr/');
    const lakeData = new PolicyDocument({ statements: lakeDataStatements({ ...props, region, account, partition }) });
    const artifactsAndLogs = new PolicyDocument({
      statements: [
        new PolicyStatement({ sid: 'ListArtifacts', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [props.artifactsBucket.bucketArn] }),
        new PolicyStatement({
          sid: 'ReadJobCodeAndTls',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [props.artifactsBucket.arnForObjects('spark/*'), props.artifactsBucket.arnForObjects('tls/*')],
        }),
        new PolicyStatement({
          sid: 'WriteClusterLogs',
          actions: ['s3:PutObject', 's3:GetObject'],
          resources: [props.artifactsBucket.arnForObjects('logs/emr/*')],
        }),
      ],
    });
    this.instanceRole = new Role(this, 'InstanceRole', {
      assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
      description: `Instances of EMR cluster ${props.clusterName}: the lake buckets, the key and the catalog databases, nothing else`,
      inlinePolicies: {
        LakeData: lakeData,
        ArtifactsAndLogs: artifactsAndLogs,
      },
    });
    this.instanceProfile = new CfnInstanceProfile(this, 'InstanceProfile', { roles: [this.instanceRole.roleName] });

    this.serviceRole = new Role(this, 'ServiceRole', {
      assumedBy: new ServicePrincipal('elasticmapreduce.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
      description: `EMR service role of cluster ${props.clusterName}`,
      // The AWS managed v2 policy is scoped by tag: EMR may only touch subnets, security groups and
      // instances tagged for-use-with-amazon-emr-managed-policies=true, which this construct and the
      // network tag. Writing its ~60 EC2 statements by hand would only drift from what EMR needs.
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEMRServicePolicy_v2')],
      inlinePolicies: {
        PassInstanceRole: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'PassTheInstanceRoleToEc2',
              actions: ['iam:PassRole'],
              resources: [this.instanceRole.roleArn],
              conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
            }),
          ],
        }),
        EncryptVolumes: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'UseTheKeyForEbsVolumes',
              actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
              resources: [props.encryptionKey.keyArn],
            }),
            new PolicyStatement({
              sid: 'GrantTheKeyToEc2ForAttachedVolumes',
              effect: Effect.ALLOW,
              actions: ['kms:CreateGrant'],
              resources: [props.encryptionKey.keyArn],
              conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
            }),
          ],
        }),
      },
    });

    const instanceGroup = (instanceCount: number) => ({
      instanceCount,
      instanceType: props.instanceType ?? 'm7g.xlarge',
      market: 'ON_DEMAND',
      ebsConfiguration: { ebsOptimized: true, ebsBlockDeviceConfigs: [{ volumeSpecification: { sizeInGb: 64, volumeType: 'gp3' }, volumesPerInstance: 1 }] },
    });
    this.cluster = new CfnCluster(this, 'Resource', {
      name: props.clusterName,
      releaseLabel: props.releaseLabel ?? EMR_RELEASE_LABEL,
      applications: [{ name: 'Spark' }, { name: 'Hadoop' }],
      serviceRole: this.serviceRole.roleArn,
      jobFlowRole: this.instanceProfile.ref,
      securityConfiguration: props.securityConfiguration.name,
      logUri: this.logUri,
      logEncryptionKmsKeyId: props.encryptionKey.keyArn,
      stepConcurrencyLevel,
      ebsRootVolumeSize: 32,
      instances: {
        ec2SubnetId: subnet.subnetId,
        emrManagedMasterSecurityGroup: this.primarySecurityGroup.securityGroupId,
        emrManagedSlaveSecurityGroup: this.workerSecurityGroup.securityGroupId,
        serviceAccessSecurityGroup: this.serviceAccessSecurityGroup.securityGroupId,
        masterInstanceGroup: instanceGroup(1),
        coreInstanceGroup: instanceGroup(props.minWorkers),
        keepJobFlowAliveWhenNoSteps: true,
        terminationProtected: false,
      },
      managedScalingPolicy: {
        computeLimits: {
          unitType: 'Instances',
          minimumCapacityUnits: props.minWorkers,
          maximumCapacityUnits: props.maxWorkers,
          maximumCoreCapacityUnits: props.maxWorkers,
          maximumOnDemandCapacityUnits: props.maxWorkers,
        },
      },
      autoTerminationPolicy: { idleTimeout: props.idleTimeoutMinutes * 60 },
      configurations: [
        // The Glue Data Catalog as the Hive metastore of Spark and Hive (EMR on EKS job runs get the same).
        { classification: 'spark-hive-site', configurationProperties: GLUE_HIVE_METASTORE },
        { classification: 'hive-site', configurationProperties: GLUE_HIVE_METASTORE },
        { classification: 'spark-defaults', configurationProperties: { 'spark.sql.parquet.compression.codec': 'zstd', ...props.sparkDefaults } },
        // EMR puts the Apache Iceberg runtime on Spark's class path: silver and gold are Iceberg tables.
        { classification: 'iceberg-defaults', configurationProperties: { 'iceberg.enabled': 'true' } },
      ],
    });
    if (props.specParameterName) {
      this.specParameter = new StringParameter(this, 'RunJobFlowRequest', {
        parameterName: props.specParameterName,
        description: `EMR RunJobFlow request of ${props.clusterName}: creates the cluster again after it terminated itself`,
        stringValue: Stack.of(this).toJsonString(runJobFlowRequest(this.cluster, props.clusterTags ?? {})),
      });
    }
    // The roles are referenced (so ordered) already; the security configuration is named, so it needs an explicit order.
    this.cluster.node.addDependency(props.securityConfiguration);
    acknowledgeIamWildcards(this.instanceRole, [lakeData, artifactsAndLogs], lakeWildcardReason);
    Validations.of(this.serviceRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2]',
      reason:
        'AmazonEMRServicePolicy_v2 is the scoped EMR service policy: it only acts on EC2 resources ' +
        "tagged for-use-with-amazon-emr-managed-policies=true (this cluster's security groups and the " +
        "network's subnets); a hand-written copy would drift from what EMR needs.",
    });
    const nagReadsTopLevel =
      'cdk-nag looks for the setting at the top level of the security configuration, while EMR (and ' +
      'this construct) nest it under EncryptionConfiguration; the test of EmrSecurityConfiguration ' +
      'asserts it';
    Validations.of(this.cluster).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-EMR4',
        reason: `Local disk encryption with the environment key is enabled (LocalDiskEncryptionConfiguration, AwsKms, EBS included): ${nagReadsTopLevel}.`,
      },
      { id: 'AwsSolutions::AwsSolutions-EMR5', reason: `In-transit encryption is enabled with PEM certificates: ${nagReadsTopLevel}.` },
    );
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EMR6',
      reason:
        'Nobody logs in to the nodes: steps are submitted through the EMR API under IAM, no security ' +
        'group admits SSH and the subnets have no route from outside the VPC, so neither a key pair ' +
        'nor a Kerberos realm would guard anything.',
    });
    this.clusterName = props.clusterName;
    this.clusterId = this.cluster.ref;
    this.clusterArn = `arn:${partition}:elasticmapreduce:${region}:${account}:cluster/${this.cluster.ref}`;
  }

  private securityGroup(id: string, vpc: IVpc, description: string): SecurityGroup {
    // Outbound stays inside the VPC: the isolated subnets have no route to the internet, only the
    // VPC endpoints and the S3 gateway, which the nodes need for S3, Glue, KMS, STS and Logs.
    const group = new SecurityGroup(this, id, { vpc, description, allowAllOutbound: true });
    Tags.of(group).add(EMR_MANAGED_POLICY_TAG.key, EMR_MANAGED_POLICY_TAG.value);
    return group;
  }
}

function validateSizing(props: SparkClusterProps): void {
  const { minWorkers, maxWorkers, idleTimeoutMinutes } = props;
  if (!Token.isUnresolved(minWorkers)) requireWholeNumber('minWorkers', minWorkers, 1, 500);
  if (!Token.isUnresolved(maxWorkers)) requireWholeNumber('maxWorkers', maxWorkers, 1, 1000);
  if (!Token.isUnresolved(minWorkers) && !Token.isUnresolved(maxWorkers) && minWorkers > maxWorkers) {
    throw new Error(`maxWorkers (${maxWorkers}) must be at least minWorkers (${minWorkers})`);
  }
  // EMR accepts an idle timeout from 1 minute to 7 days.
  if (!Token.isUnresolved(idleTimeoutMinutes)) requireWholeNumber('idleTimeoutMinutes', idleTimeoutMinutes, 1, 7 * 24 * 60, 'minutes');
}

function firstSubnet(vpc: IVpc, selection: SubnetSelection | undefined): ISubnet {
  const subnets = vpc.selectSubnets(selection ?? { subnetType: SubnetType.PRIVATE_ISOLATED }).subnets;
  if (subnets.length === 0) throw new Error('vpcSubnets selects no subnet of the VPC; the cluster needs one private subnet');
  return subnets[0];
}
