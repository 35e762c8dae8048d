import { RemovalPolicy } from 'aws-cdk-lib';
import { type IVpc, SubnetType } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  ArtifactsBucket,
  EMR_TLS_CERTIFICATES_KEY,
  EmrSecurityConfiguration,
  EmrTlsCertificates,
  LakeFormationDatabaseAccess,
  LakeFormationTagAssociation,
  SparkApplication,
  SparkCluster,
} from '../../constructs/aws';
import { LAYERS, type Layer } from '../../lib/definition';
import {
  artifactsBucketName,
  emrClusterName,
  emrSecurityConfigurationName,
  glueDatabaseName,
  s3BucketName,
  sparkClusterSpecParameterName,
} from '../../lib/naming';
import { catalogTags, everyCatalogTag } from '../../lib/access/lake-formation-tags';
import { sparkManifest } from '../../lib/pipelines/spark-manifest';
import { sparkApplicationDefaults } from '../../lib/pipelines/spark-step';
import { standardTags } from '../../lib/tagging';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface ProcessingStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack). */
  readonly encryptionKey: IKey;
  /** The environment's access-log bucket (from the storage stack). */
  readonly accessLogsBucket: IBucket;
  /** The environment's VPC (from the network stack). */
  readonly vpc: IVpc;
}

/**
 * `<prefix>-<env>-processing`: how silver and gold are built (deploy it after the catalog stack, whose
 * Lake Formation settings let CloudFormation grant the cluster's role access to the lake databases). The artifacts bucket with the Spark
 * application and its dataset manifest, the in-transit certificates made at deploy time, the EMR
 * security configuration, and the environment's Spark cluster sized from the definition.
 */
export class ProcessingStack extends EnvironmentStack {
  readonly artifacts: ArtifactsBucket;
  readonly application: SparkApplication;
  readonly tlsCertificates: EmrTlsCertificates;
  readonly securityConfiguration: EmrSecurityConfiguration;
  readonly spark: SparkCluster;

  constructor(scope: Construct, props: ProcessingStackProps) {
    super(scope, 'processing', {
      description: `Spark processing (artifacts bucket, Spark application, EMR cluster) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const { account, region } = this.aws;
    const { sizing } = this.platformEnvironment;
    const artifactsName = artifactsBucketName(this.naming, account, region);
    const isolated = { subnetType: SubnetType.PRIVATE_ISOLATED };
    // The layers by name, not by reference to the storage stack: the names are fixed by the definition,
    // so the roles' policies read the same in every template and the stacks stay loosely coupled.
    const layer = (name: Layer) => Bucket.fromBucketName(this, `${layerId(name)}Bucket`, s3BucketName(this.naming, name, account, region));
    this.artifacts = new ArtifactsBucket(this, 'Artifacts', {
      bucketName: artifactsName,
      encryptionKey: props.encryptionKey,
      serverAccessLogsBucket: props.accessLogsBucket,
      removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.application = new SparkApplication(this, 'SparkApplication', {
      bucket: this.artifacts.bucket,
      encryptionKey: props.encryptionKey,
      manifest: sparkManifest(this.config, this.platformEnvironment),
      vpc: props.vpc,
      vpcSubnets: isolated,
    });
    this.tlsCertificates = new EmrTlsCertificates(this, 'SparkTls', {
      bucket: this.artifacts.bucket,
      objectKey: EMR_TLS_CERTIFICATES_KEY,
      encryptionKey: props.encryptionKey,
      organization: `${this.config.prefix} ${this.platformEnvironment.name} Spark`,
    });
    this.securityConfiguration = new EmrSecurityConfiguration(this, 'SparkSecurity', {
      name: emrSecurityConfigurationName(this.naming),
      encryptionKey: props.encryptionKey,
      tlsCertificatesZip: `s3://${artifactsName}/${EMR_TLS_CERTIFICATES_KEY}`,
    });
    this.spark = new SparkCluster(this, 'Spark', {
      clusterName: emrClusterName(this.naming),
      vpc: props.vpc,
      vpcSubnets: isolated,
      encryptionKey: props.encryptionKey,
      securityConfiguration: this.securityConfiguration,
      artifactsBucket: this.artifacts.bucket,
      readBuckets: [layer('bronze')],
      writeBuckets: [layer('silver'), layer('gold')],
      glueDatabases: LAYERS.map((layer) => glueDatabaseName(this.naming, layer)),
      minWorkers: sizing.sparkMinWorkers,
      maxWorkers: sizing.sparkMaxWorkers,
      idleTimeoutMinutes: sizing.idleTimeoutMinutes,
      sparkDefaults: sparkApplicationDefaults({ scope: this.naming, account, region }),
      specParameterName: sparkClusterSpecParameterName(this.naming),
      clusterTags: standardTags(this.config, this.platformEnvironment),
    });
    // Lake Formation decides table access: bronze to read, silver and gold to rewrite and re-register.
    for (const name of LAYERS) {
      new LakeFormationDatabaseAccess(this, `${layerId(name)}Access`, {
        role: this.spark.instanceRole,
        databaseName: glueDatabaseName(this.naming, name),
        access: name === 'bronze' ? 'read' : 'readWrite',
      });
    }
    // The application creates and tags the silver and gold tables (Iceberg; CloudFormation no longer declares them) with the catalog's LF-tags.
    new LakeFormationTagAssociation(this, 'GoldTagging', {
      role: this.spark.instanceRole,
      tags: everyCatalogTag(catalogTags(this.config, this.platformEnvironment)),
    });
    // The first step may start as soon as the cluster is up: the application and certificates must be there.
    this.spark.cluster.node.addDependency(this.application, this.tlsCertificates);
  }
}

/** `Bronze`, `Silver`, `Gold`: construct ids are a contract. */
export function layerId(layer: Layer): string {
  return `${layer[0].toUpperCase()}${layer.slice(1)}`;
}
