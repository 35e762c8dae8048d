import { Stack } from 'aws-cdk-lib';
import { CfnPodIdentityAssociation, type Cluster } from 'aws-cdk-lib/aws-eks-v2';
import { CfnVirtualCluster } from 'aws-cdk-lib/aws-emrcontainers';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EMR_ON_EKS_LOGS_PREFIX } from '../../lib/naming';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';
import { type LakeAccessOptions, lakeDataStatements, lakeWildcardReason } from './lake-data-access';

export interface EmrOnEksVirtualClusterProps extends LakeAccessOptions {
  /** The EKS cluster the jobs run on. */
  readonly cluster: Cluster;
  /** Virtual cluster name (see `emrVirtualClusterName`). */
  readonly virtualClusterName: string;
  /** Kubernetes namespace of the jobs (created here). */
  readonly namespace: string;
  /** Name of the job execution role (see `emrOnEksJobRoleName`); EMR derives the jobs' service-account names from it. */
  readonly jobRoleName: string;
  /** Bucket with the job code (`spark/`), which also receives job logs (`EMR_ON_EKS_LOGS_PREFIX`, `logs/emr-on-eks/`). */
  readonly artifactsBucket: IBucket;
}

/** The roles of the pods EMR on EKS starts for a job run; each gets its own Kubernetes service account. */
const EMR_JOB_POD_ROLES = ['client', 'driver', 'executor'] as const;

/**
 * `<role name>` in base 36, as EMR on EKS writes it into the service-account names of a job's pods
 * (`emr-containers-sa-spark-<pod role>-<account>-<base36 role name>`): the UTF-8 bytes of the name
 * read as one big-endian number.
 */
export function base36RoleName(roleName: string): string {
  const hex = Buffer.from(roleName, 'utf8').toString('hex');
  return BigInt(`0x${hex}`).toString(36);
}

/**
 * An EMR on EKS virtual cluster on its own namespace, with the job execution role Spark jobs run
 * under. The role is bound to the jobs' pods through EKS Pod Identity associations (EMR 7.3 and later),
 * one per service account EMR creates for a run, so it trusts only `pods.eks.amazonaws.com` of this
 * account and no OIDC provider is needed. Its permissions are those of the EMR cluster's instances:
 * the lake buckets, the key and the catalog databases. EMR on EKS's EKS access-entry integration gives
 * EMR (its service-linked role) the AmazonEMRJobPolicy on the namespace when the virtual cluster is
 * created, so no RBAC objects are written by hand.
 */
export class EmrOnEksVirtualCluster extends Construct {
  readonly virtualCluster: CfnVirtualCluster;
  readonly jobRole: Role;
  /** The virtual cluster id, for StartJobRun. */
  readonly virtualClusterId: string;
  /** `s3://<artifacts>/logs/emr-on-eks/`: where job runs write their logs (the job role may write there). */
  readonly logUri: string;

  constructor(scope: Construct, id: string, props: EmrOnEksVirtualClusterProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const namespace = props.cluster.addManifest('Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: props.namespace, labels: { 'app.kubernetes.io/managed-by': 'cloud-platform-solutions' } },
    });

    const lakeData = new PolicyDocument({ statements: lakeDataStatements({ ...props, partition, region, account }) });
    const jobCodeAndLogs = new PolicyDocument({
      statements: [
        new PolicyStatement({ sid: 'ListArtifacts', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [props.artifactsBucket.bucketArn] }),
        new PolicyStatement({
          sid: 'ReadJobCode',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [props.artifactsBucket.arnForObjects('spark/*')],
        }),
        new PolicyStatement({
          sid: 'WriteJobLogs',
          actions: ['s3:PutObject', 's3:GetObject'],
          resources: [props.artifactsBucket.arnForObjects(`${EMR_ON_EKS_LOGS_PREFIX}*`)],
        }),
      ],
    });
    this.jobRole = new Role(this, 'JobRole', {
      roleName: props.jobRoleName,
      assumedBy: new ServicePrincipal('pods.eks.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
      description: `EMR on EKS job execution role of ${props.virtualClusterName}: the lake buckets, the key and the catalog databases`,
      inlinePolicies: { LakeData: lakeData, JobCodeAndLogs: jobCodeAndLogs },
    });
    this.jobRole.assumeRolePolicy?.addStatements(
      new PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new ServicePrincipal('pods.eks.amazonaws.com')],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    acknowledgeIamWildcards(this.jobRole, [lakeData, jobCodeAndLogs], lakeWildcardReason);

    const suffix = `${account}-${base36RoleName(props.jobRoleName)}`;
    for (const podRole of EMR_JOB_POD_ROLES) {
      const association = new CfnPodIdentityAssociation(this, `${podRole[0].toUpperCase()}${podRole.slice(1)}PodIdentity`, {
        clusterName: props.cluster.clusterName,
        namespace: props.namespace,
        serviceAccount: `emr-containers-sa-spark-${podRole}-${suffix}`,
        roleArn: this.jobRole.roleArn,
      });
      association.node.addDependency(namespace);
    }

    this.virtualCluster = new CfnVirtualCluster(this, 'Resource', {
      name: props.virtualClusterName,
      containerProvider: { id: props.cluster.clusterName, type: 'EKS', info: { eksInfo: { namespace: props.namespace } } },
    });
    this.virtualCluster.node.addDependency(namespace);
    this.virtualClusterId = this.virtualCluster.attrId;
    this.logUri = props.artifactsBucket.s3UrlForObject(EMR_ON_EKS_LOGS_PREFIX);
  }
}
