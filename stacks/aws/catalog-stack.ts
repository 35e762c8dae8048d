import { RemovalPolicy } from 'aws-cdk-lib';
import { type IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { GlueJobSecurity, LakeDatabases, LakeFormationAccessTags, LakeFormationSettings, LakeLocations, SourceConnections } from '../../constructs/aws';
import { LAYERS } from '../../lib/definition';
import { groupAccess } from '../../lib/access/access-plan';
import { catalogTags } from '../../lib/access/lake-formation-tags';
import { Catalogue } from '../../lib/definition';
import { accessTagKey, domainTagKey, glueConnectionName, glueSecurityConfigurationName, lakeLocationRoleName } from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';
import { layerBucketNames, layerBucketsByName, layerDatabaseNames } from './lake-buckets';

export interface CatalogStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack). */
  readonly encryptionKey: IKey;
  /** The environment's VPC (from the network stack); JDBC connections go to its isolated subnets. */
  readonly vpc: IVpc;
}

/**
 * `<prefix>-<env>-catalog`: what every domain shares. A Glue database per layer, Lake Formation as the
 * permission model (explicit admins, no IAMAllowedPrincipals, the layer buckets registered), the access
 * and domain tags with one grant per group (and the gold API's tag where the environment deploys it), the
 * Glue security configuration and the JDBC connections.
 * Tables live in the per-domain stacks (`<prefix>-<env>-catalog-<domain>`), and each domain's data-quality
 * role in its ingestion stack (`<prefix>-<env>-ingestion-<domain>`).
 */
export class CatalogStack extends EnvironmentStack {
  readonly settings: LakeFormationSettings;
  readonly databases: LakeDatabases;
  readonly accessTags: LakeFormationAccessTags;
  readonly security: GlueJobSecurity;
  readonly connections?: SourceConnections;

  constructor(scope: Construct, props: CatalogStackProps) {
    super(scope, 'catalog', {
      description: `Data catalog and Lake Formation governance (databases, tags, grants, Glue security) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const retain = this.platformEnvironment.dataProtection.retainOnDelete;
    const databaseNames = layerDatabaseNames(this);
    const bucketNames = layerBucketNames(this);
    const buckets = layerBucketsByName(this);
    const roleArn = (roleName: string) => this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
    this.settings = new LakeFormationSettings(this, 'LakeFormation', { adminArns: this.lakeAdministratorRoleArns() });
    this.databases = new LakeDatabases(this, 'Databases', {
      databaseNames,
      locations: Object.fromEntries(LAYERS.map((layer) => [layer, `s3://${bucketNames[layer]}/`])) as Record<(typeof LAYERS)[number], string>,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const locations = new LakeLocations(this, 'Locations', { buckets, encryptionKey: props.encryptionKey, roleName: lakeLocationRoleName(this.naming) });
    this.accessTags = new LakeFormationAccessTags(this, 'Access', {
      domainTagKey: domainTagKey(this.naming),
      domains: Catalogue.of(this.config).domains(),
      apiTagKey: catalogTags(this.config, this.platformEnvironment).api?.tagKey,
      groups: groupAccess(this.config).map((access) => ({
        group: access.group,
        tagKey: accessTagKey(this.naming, access.group),
        principalArn: roleArn(access.roleName),
        reads: access.reads,
        owns: access.owns,
        databaseNames: access.layers.map((layer) => databaseNames[layer]),
      })),
    });
    this.security = new GlueJobSecurity(this, 'GlueSecurity', {
      securityConfigurationName: glueSecurityConfigurationName(this.naming),
      encryptionKey: props.encryptionKey,
    });
    const sources = new Map<string, { secret: string; engine: string }>();
    for (const dataset of this.config.datasets) {
      if (dataset.source.kind === 'database')
        sources.set(dataset.source.connectionSecret, { secret: dataset.source.connectionSecret, engine: dataset.source.engine });
    }
    if (sources.size > 0) {
      this.connections = new SourceConnections(this, 'SourceConnections', {
        vpc: props.vpc,
        subnet: props.vpc.isolatedSubnets[0],
        connections: [...sources.values()].map(({ secret, engine }) => ({
          connectionName: glueConnectionName(this.naming, secret),
          secretName: secret,
          engine,
        })),
      });
    }
    // Every Lake Formation change needs CloudFormation's role to be an administrator first.
    for (const dependent of [this.databases, locations, this.accessTags]) dependent.node.addDependency(this.settings);
    this.accessTags.node.addDependency(this.databases);
  }
}
