import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/** What a Spark job may touch in the lake: the layers it reads, the layers it writes, the key, the catalog databases. */
export interface LakeAccessOptions {
  /** Customer-managed key of the lake. */
  readonly encryptionKey: IKey;
  /** Buckets the jobs read (bronze). */
  readonly readBuckets: readonly IBucket[];
  /** Buckets the jobs read and rewrite (silver, gold). */
  readonly writeBuckets: readonly IBucket[];
  /** Glue Data Catalog databases whose tables the jobs read and (re)register. */
  readonly glueDatabases: readonly string[];
}

/** `LakeAccessOptions` in one account, region and partition. */
export interface LakeDataAccess extends LakeAccessOptions {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const READ_OBJECT = ['s3:GetObject', 's3:GetObjectVersion'];
const WRITE_OBJECT = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const GLUE_TABLE_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:DeleteTable',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
  'glue:GetUserDefinedFunctions',
];

/**
 * The IAM statements of a Spark job's role on the lake, with every action named (no wildcards):
 * object reads on the read layers, object reads and writes on the write layers, the key for SSE-KMS,
 * and table management in the given Glue databases only (plus `default`, which the Hive metastore
 * client opens when a session starts). Lake Formation still decides which tables the role may use:
 * `lakeformation:GetDataAccess` only lets the role ask it for credentials.
 */
export function lakeDataStatements(access: LakeDataAccess): PolicyStatement[] {
  const { partition, region, account } = access;
  const glue = (resource: string) => `arn:${partition}:glue:${region}:${account}:${resource}`;
  const buckets = [...access.readBuckets, ...access.writeBuckets];
  return [
    new PolicyStatement({
      sid: 'ListLakeBuckets',
      actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: buckets.map((b) => b.bucketArn),
    }),
    new PolicyStatement({ sid: 'ReadLakeObjects', actions: READ_OBJECT, resources: buckets.map((b) => b.arnForObjects('*')) }),
    ...(access.writeBuckets.length > 0
      ? [new PolicyStatement({ sid: 'WriteCuratedObjects', actions: WRITE_OBJECT, resources: access.writeBuckets.map((b) => b.arnForObjects('*')) })]
      : []),
    new PolicyStatement({
      sid: 'UseTheLakeKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
      resources: [access.encryptionKey.keyArn],
    }),
    new PolicyStatement({
      sid: 'ManageTablesOfTheLakeDatabases',
      actions: GLUE_TABLE_ACTIONS,
      resources: [
        glue('catalog'),
        glue('database/default'),
        ...access.glueDatabases.flatMap((database) => [glue(`database/${database}`), glue(`table/${database}/*`), glue(`userDefinedFunction/${database}/*`)]),
      ],
    }),
    // GetDataAccess has no resource-level permissions; Lake Formation grants decide what it returns.
    new PolicyStatement({ sid: 'AskLakeFormationForCredentials', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
  ];
}

/**
 * Why each wildcard resource of `lakeDataStatements` (and of a job's own artifact prefixes) is as
 * narrow as it can be, for `acknowledgeIamWildcards`; wildcard actions get no reason, so they fail synth.
 */
export function lakeWildcardReason(finding: string): string | undefined {
  if (finding.startsWith('Action::')) return undefined;
  if (finding === 'Resource::*')
    return 'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation grants decide which tables it returns credentials for.';
  if (finding.includes(':glue:'))
    return 'Tables and functions inside the lake databases only: the Spark application creates and replaces tables named after datasets the definition adds.';
  return 'Objects inside one bucket or prefix of the environment: jobs read and write objects whose keys they cannot know in advance.';
}
