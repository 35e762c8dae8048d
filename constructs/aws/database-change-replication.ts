import { join } from 'node:path';
import { CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Duration, Stack } from 'aws-cdk-lib';
import { CfnEndpoint, CfnReplicationConfig, type CfnReplicationSubnetGroup } from 'aws-cdk-lib/aws-dms';
import type { ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { type Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DatabaseEngine } from '../../lib/definition';
import { type CaptureSource, changeCaptureSourcePrefix, DMS_ENGINE_NAMES, DMS_S3_TARGET_SETTINGS, dmsTableMappings } from '../../lib/lake';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';
import { acknowledgeDeployTimeProvider } from './deploy-time-provider';
import { requireWholeNumber } from './whole-number';

export interface DatabaseChangeReplicationProps {
  /** The source database and the captured datasets it serves (lib/lake/change-capture.ts, `captureSources`). */
  readonly source: CaptureSource;
  /** Identifier of the replication configuration and stem of its endpoints' identifiers (letters, digits, hyphens; at most 50). */
  readonly identifier: string;
  /** The bronze bucket: the replication lands change files under `_landing/cdc/<source>/`. */
  readonly bronzeBucket: IBucket;
  /** The environment's data key: S3 objects, endpoint settings and the replication's storage. */
  readonly encryptionKey: IKey;
  /** The replication subnet group (the environment's isolated subnets); DMS needs `dms-vpc-role` in the account to create it. */
  readonly subnetGroup: CfnReplicationSubnetGroup;
  /** The security group of the replication's network interfaces (outbound to the source and the VPC endpoints). */
  readonly securityGroup: ISecurityGroup;
  /**
   * Most DMS capacity units the replication scales to.
   * @default 4
   */
  readonly maxCapacityUnits?: number;
  /**
   * Whether the replication runs in two availability zones.
   * @default false
   */
  readonly multiAz?: boolean;
}

/** TLS mode of each engine's source endpoint: encrypted in transit; Oracle's TLS needs a CA certificate DMS does not have yet. */
const SSL_MODES: Record<DatabaseEngine, string | undefined> = { postgres: 'require', mysql: 'require', sqlserver: 'require', oracle: undefined };

/** The source endpoint setting that holds the Secrets Manager secret and role, per engine. */
const SECRET_SETTINGS: Record<DatabaseEngine, 'postgreSqlSettings' | 'mySqlSettings' | 'microsoftSqlServerSettings' | 'oracleSettings'> = {
  postgres: 'postgreSqlSettings',
  mysql: 'mySqlSettings',
  sqlserver: 'microsoftSqlServerSettings',
  oracle: 'oracleSettings',
};

const IDENTIFIER = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,49}(?<!-)$/;

/**
 * CDC capture of one source database with AWS DMS Serverless: a source endpoint that reads its
 * credentials (`username`, `password`, `host`, `port`) from the Secrets Manager secret of the definition
 * through a role DMS assumes, and its database name (`dbname`) from the same secret at deploy time; an
 * S3 target endpoint writing Parquet under `_landing/cdc/<source>/<schema>/<table>/` of the bronze
 * bucket with SSE-KMS (lib/lake/change-capture.ts holds the settings and the table mappings); a
 * serverless replication configuration (full load, then ongoing changes) in the environment's
 * subnets; and a custom resource that starts the replication when the stack creates it and stops it
 * before the stack deletes it. The dataset's ingestion job turns the files into the bronze CDC layout.
 */
export class DatabaseChangeReplication extends Construct {
  readonly replication: CfnReplicationConfig;
  readonly sourceEndpoint: CfnEndpoint;
  readonly targetEndpoint: CfnEndpoint;
  /** The role DMS assumes to write the change files. */
  readonly targetRole: Role;
  /** The role DMS assumes to read the source's secret. */
  readonly secretRole: Role;
  readonly run: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseChangeReplicationProps) {
    super(scope, id);
    const { source } = props;
    if (!IDENTIFIER.test(props.identifier))
      throw new Error(`identifier (${props.identifier}) must start with a letter and hold at most 50 letters, digits and single hyphens, not ending in one`);
    const maxCapacityUnits = props.maxCapacityUnits ?? 4;
    requireWholeNumber('maxCapacityUnits', maxCapacityUnits, 1, 384, 'DCU');
    if (source.datasets.length === 0) throw new Error(`source ${source.secretName}: no captured datasets; a replication needs at least one table`);
    const sslMode = SSL_MODES[source.engine];
    const supported = Object.keys(SSL_MODES).filter((engine) => SSL_MODES[engine as DatabaseEngine]);
    if (sslMode === undefined)
      throw new Error(
        `source ${source.secretName}: engine ${source.engine} cannot be captured over TLS without a CA certificate; supported: ${supported.join(', ')}`,
      );
    const stack = Stack.of(this);
    const secret = Secret.fromSecretNameV2(this, 'SourceSecret', source.secretName);

    this.secretRole = new Role(this, 'SecretRole', {
      assumedBy: new ServicePrincipal(`dms.${stack.region}.amazonaws.com`),
      description: `AWS DMS: reads the connection secret ${source.secretName} of the ${source.folder} replication`,
    });
    secret.grantRead(this.secretRole);
    this.sourceEndpoint = new CfnEndpoint(this, 'SourceEndpoint', {
      endpointIdentifier: `${props.identifier}-source`,
      endpointType: 'source',
      engineName: DMS_ENGINE_NAMES[source.engine],
      // Resolved by CloudFormation at deploy time; never in the template.
      databaseName: `{{resolve:secretsmanager:${source.secretName}:SecretString:dbname}}`,
      sslMode,
      kmsKeyId: props.encryptionKey.keyArn,
      [SECRET_SETTINGS[source.engine]]: { secretsManagerAccessRoleArn: this.secretRole.roleArn, secretsManagerSecretId: source.secretName },
    });
    // DMS reads the secret when it creates the endpoint: the role's policy first (the role itself is implied by GetAtt).
    this.sourceEndpoint.node.addDependency(this.secretRole.node.findChild('DefaultPolicy'));

    const prefix = changeCaptureSourcePrefix(source.secretName);
    this.targetRole = new Role(this, 'TargetRole', {
      assumedBy: new ServicePrincipal('dms.amazonaws.com'),
      description: `AWS DMS: writes the change files of the ${source.folder} replication to the bronze landing area`,
    });
    this.targetRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectTagging'], resources: [props.bronzeBucket.arnForObjects(`${prefix}*`)] }),
    );
    this.targetRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bronzeBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    props.encryptionKey.grant(this.targetRole, 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt');
    // The role's default policy: cdk-nag reports its findings there.
    const targetPolicy = this.targetRole.node.findChild('DefaultPolicy') as Policy;
    acknowledgeIamWildcards(targetPolicy, [targetPolicy.document], (finding) =>
      finding.endsWith(`/${prefix}*`)
        ? `DMS names its change files itself (LOAD…, timestamps, per schema and table), all under this source's own prefix ${prefix}`
        : undefined,
    );
    this.targetEndpoint = new CfnEndpoint(this, 'TargetEndpoint', {
      endpointIdentifier: `${props.identifier}-target`,
      endpointType: 'target',
      engineName: 's3',
      kmsKeyId: props.encryptionKey.keyArn,
      s3Settings: {
        ...DMS_S3_TARGET_SETTINGS,
        bucketName: props.bronzeBucket.bucketName,
        bucketFolder: prefix.replace(/\/$/, ''),
        expectedBucketOwner: stack.account,
        serviceAccessRoleArn: this.targetRole.roleArn,
        serverSideEncryptionKmsKeyId: props.encryptionKey.keyArn,
      },
    });
    this.targetEndpoint.node.addDependency(targetPolicy);

    this.replication = new CfnReplicationConfig(this, 'Resource', {
      replicationConfigIdentifier: props.identifier,
      replicationType: 'full-load-and-cdc',
      sourceEndpointArn: this.sourceEndpoint.ref,
      targetEndpointArn: this.targetEndpoint.ref,
      tableMappings: dmsTableMappings(source),
      replicationSettings: {
        Logging: { EnableLogging: true },
        // The landing area keeps what earlier runs wrote; the ingestion job reads each file once.
        FullLoadSettings: { TargetTablePrepMode: 'DO_NOTHING' },
      },
      computeConfig: {
        maxCapacityUnits,
        multiAz: props.multiAz ?? false,
        replicationSubnetGroupId: props.subnetGroup.ref,
        vpcSecurityGroupIds: [props.securityGroup.securityGroupId],
        kmsKeyId: props.encryptionKey.keyArn,
      },
    });

    const provider = CustomResourceProvider.getOrCreateProvider(this, RUN_RESOURCE_TYPE, {
      codeDirectory: join(__dirname, 'jobs', 'dms'),
      runtime: CustomResourceProviderRuntime.NODEJS_24_X,
      description: 'Starts DMS Serverless replications with the stack and stops them before it deletes them',
      timeout: Duration.minutes(2),
    });
    provider.addToRolePolicy({ Effect: 'Allow', Action: ['dms:StartReplication', 'dms:StopReplication'], Resource: this.replication.attrReplicationConfigArn });
    this.run = new CustomResource(this, 'Run', {
      resourceType: RUN_RESOURCE_TYPE,
      serviceToken: provider.serviceToken,
      properties: { ReplicationConfigArn: this.replication.attrReplicationConfigArn },
    });
    acknowledgeDeployTimeProvider(stack.node.findChild(`${RUN_RESOURCE_TYPE}CustomResourceProvider`), REASON, 'the DMS API');
  }
}

const RUN_RESOURCE_TYPE = 'Custom::DmsReplicationRun';

const REASON =
  'The deploy-time function that starts and stops the DMS replications of this stack; it runs only when CloudFormation creates, updates or deletes one';
