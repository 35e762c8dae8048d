import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { EksJobCluster, EmrOnEksVirtualCluster, LakeFormationDatabaseAccess, LakeFormationTagAssociation } from '../../constructs/aws';
import { LAYERS, type Layer } from '../../lib/definition';
import {
  artifactsBucketName,
  eksClusterName,
  emrOnEksJobRoleName,
  emrVirtualClusterName,
  glueDatabaseName,
  s3BucketName,
  SPARK_JOBS_NAMESPACE,
} from '../../lib/naming';
import { catalogTags, everyCatalogTag } from '../../lib/access/lake-formation-tags';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';
import { layerId } from './processing-stack';

export interface KubernetesStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack): secrets envelope encryption and the lake. */
  readonly encryptionKey: IKey;
  /** The environment's VPC (from the network stack). */
  readonly vpc: IVpc;
}

/**
 * `<prefix>-<env>-kubernetes`, where the definition enables Kubernetes (`aws.kubernetes.enabled`):
 * the private EKS cluster and the EMR on EKS virtual cluster that runs Spark jobs on it (deploy it after
 * the catalog stack, like the processing stack: its job role gets Lake Formation access to the lake).
 */
export class KubernetesStack extends EnvironmentStack {
  readonly eks: EksJobCluster;
  readonly sparkOnEks: EmrOnEksVirtualCluster;

  constructor(scope: Construct, props: KubernetesStackProps) {
    super(scope, 'kubernetes', {
      description: `Kubernetes job orchestration (private EKS cluster, EMR on EKS) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    if (!this.aws.kubernetes.enabled) {
      throw new Error(
        `environment "${this.platformEnvironment.name}" does not enable Kubernetes; ` +
          `set environments.${this.platformEnvironment.name}.aws.kubernetes.enabled: true`,
      );
    }
    const { account, region } = this.aws;
    const adminGroup = this.aws.kubernetes.adminGroup;
    // Buckets by name, not by reference: the names are fixed by the definition, and the job role's
    // policy then reads the same in every template.
    const bucket = (id: string, name: string) => Bucket.fromBucketName(this, id, name);
    const layer = (name: Layer) => bucket(`${layerId(name)}Bucket`, s3BucketName(this.naming, name, account, region));
    this.eks = new EksJobCluster(this, 'Eks', {
      clusterName: eksClusterName(this.naming),
      version: this.aws.kubernetes.version,
      vpc: props.vpc,
      secretsEncryptionKey: props.encryptionKey,
      adminRoleArns: adminGroup
        ? [this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: this.config.groups[adminGroup].awsRoleName })]
        : [],
    });
    this.sparkOnEks = new EmrOnEksVirtualCluster(this, 'SparkOnEks', {
      cluster: this.eks.cluster,
      virtualClusterName: emrVirtualClusterName(this.naming),
      namespace: SPARK_JOBS_NAMESPACE,
      jobRoleName: emrOnEksJobRoleName(this.naming),
      encryptionKey: props.encryptionKey,
      artifactsBucket: bucket('ArtifactsBucket', artifactsBucketName(this.naming, account, region)),
      readBuckets: [layer('bronze')],
      writeBuckets: [layer('silver'), layer('gold')],
      glueDatabases: LAYERS.map((name) => glueDatabaseName(this.naming, name)),
    });
    for (const name of LAYERS) {
      new LakeFormationDatabaseAccess(this, `${layerId(name)}Access`, {
        role: this.sparkOnEks.jobRole,
        databaseName: glueDatabaseName(this.naming, name),
        access: name === 'bronze' ? 'read' : 'readWrite',
      });
    }
    // The application tags the gold tables it adds itself (<dataset>_daily, <domain>_summary) with the catalog's LF-tags.
    new LakeFormationTagAssociation(this, 'GoldTagging', {
      role: this.sparkOnEks.jobRole,
      tags: everyCatalogTag(catalogTags(this.config, this.platformEnvironment)),
    });
  }
}
