import { checkedAgainst, type NameRule } from './name-rules';
import type { NamingScope } from './stack-names';

/** Names of the AWS lake resources: buckets, keys, Glue databases, the Athena workgroup. */

/** Limits of the AWS lake resource names, from the AWS references. */
export const AWS_NAME_RULES = {
  s3Bucket: {
    kind: 'S3 bucket',
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
  },
  kmsAlias: {
    kind: 'KMS alias',
    minLength: 7,
    maxLength: 256,
    pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/,
    allowed: '"alias/" followed by letters, digits, /, _ and - (not alias/aws/)',
  },
  athenaWorkgroup: {
    kind: 'Athena workgroup',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z0-9._-]+$/,
    allowed: 'letters, digits, ., _ and -',
  },
  glueDatabase: {
    kind: 'Glue database',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z0-9_]+$/,
    allowed: 'lowercase letters, digits and underscores',
  },
} satisfies Record<string, NameRule>;

/**
 * A globally unique S3 bucket name: `<prefix>-<env>-<purpose>-<account>-<region>`. The account and
 * region make it unique without random suffixes, so the name is known before deployment.
 */
export function s3BucketName(scope: NamingScope, purpose: string, account: string, region: string): string {
  return checkedAgainst(AWS_NAME_RULES.s3Bucket, `${scope.prefix}-${scope.environment}-${purpose}-${account}-${region}`);
}

/** `alias/<prefix>-<env>-<purpose>`. */
export function kmsAliasName(scope: NamingScope, purpose: string): string {
  return checkedAgainst(AWS_NAME_RULES.kmsAlias, `alias/${scope.prefix}-${scope.environment}-${purpose}`);
}

/** `<prefix>_<env>_<layer>`: the Glue Data Catalog database of a layer. */
export function glueDatabaseName(scope: NamingScope, layer: string): string {
  return checkedAgainst(AWS_NAME_RULES.glueDatabase, `${scope.prefix}_${scope.environment}_${layer}`);
}

/** `<prefix>-<env>-analytics`: the environment's Athena workgroup. */
export function athenaWorkgroupName(scope: NamingScope): string {
  return checkedAgainst(AWS_NAME_RULES.athenaWorkgroup, `${scope.prefix}-${scope.environment}-analytics`);
}
