import { LAKE_NAME_RULES } from './aws-lake-names';
import { kmsAliasName, s3BucketName } from './aws-names';
import { checkedAgainst, type NameRule } from './name-rules';
import type { NamingScope } from './stack-names';

/** Names of an environment's audit trail on AWS: the CloudTrail trail, its bucket, key and log group. */

/** Limits of the audit trail's names, from the CloudTrail reference. */
export const AUDIT_NAME_RULES = {
  cloudTrail: {
    kind: 'CloudTrail trail',
    minLength: 3,
    maxLength: 128,
    pattern: /^[A-Za-z0-9](?!.*(\.\.|\._|_\.|-\.|\.-|-_|_-))[A-Za-z0-9._-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits, ., _ and -, starting and ending with a letter or digit, no two punctuation marks in a row',
  },
} satisfies Record<string, NameRule>;

/** `<prefix>-<env>-audit`: the environment's CloudTrail trail. */
export function cloudTrailName(scope: NamingScope): string {
  return checkedAgainst(AUDIT_NAME_RULES.cloudTrail, `${scope.prefix}-${scope.environment}-audit`);
}

/** `<prefix>-<env>-audit-logs-<account>-<region>`: the Object-Locked bucket the trail delivers to. */
export function auditLogsBucketName(scope: NamingScope, account: string, region: string): string {
  return s3BucketName(scope, 'audit-logs', account, region);
}

/** `alias/<prefix>-<env>-audit`: the key of the trail, its bucket and its log group (not the data key: data readers cannot read the trail). */
export function auditKeyAliasName(scope: NamingScope): string {
  return kmsAliasName(scope, 'audit');
}

/** `/aws/cloudtrail/<prefix>-<env>-audit`: the log group the trail also delivers to, for queries and alarms. */
export function auditLogGroupName(scope: NamingScope): string {
  return checkedAgainst(LAKE_NAME_RULES.logGroup, `/aws/cloudtrail/${cloudTrailName(scope)}`);
}
