import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';
import { STAGE_DEFAULTS } from './stage-policy';

/** The most days a Log Analytics workspace keeps logs (its retention_in_days range is 30-730). */
export const LOG_ANALYTICS_MAX_RETENTION_DAYS = 730;

/**
 * What the audit trails need from the definition: an organisation trail only where the environment
 * uses AWS, and on Azure a Log Analytics workspace that keeps logs at least as long as the audit
 * retention (the Activity Log, blob and SQL audit logs all go to it).
 */
export function auditIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, env] of Object.entries(definition.environments)) {
    const at = (...rest: string[]) => ['environments', name, ...rest];
    const retentionDays = env.audit?.retentionDays ?? STAGE_DEFAULTS[env.stage].auditRetentionDays;
    if (env.audit?.organizationTrail !== undefined && !env.clouds.includes('aws')) {
      issues.push({
        path: at('audit', 'organizationTrail'),
        message: `"${env.audit.organizationTrail}" is given but clouds does not include "aws"; a CloudTrail trail logs an AWS account`,
      });
    }
    if (!env.clouds.includes('azure') || !env.azure) continue;
    if (retentionDays > LOG_ANALYTICS_MAX_RETENTION_DAYS) {
      issues.push({
        path: at('audit', 'retentionDays'),
        message:
          `(${retentionDays}) is longer than a Log Analytics workspace keeps logs (${LOG_ANALYTICS_MAX_RETENTION_DAYS} days), ` +
          `and the Azure audit logs of environment ${name} go to its workspace; allowed on Azure: 90 to ${LOG_ANALYTICS_MAX_RETENTION_DAYS}`,
      });
    }
    const logRetentionDays = env.azure.monitoring?.logRetentionDays;
    if (logRetentionDays !== undefined && logRetentionDays < retentionDays) {
      issues.push({
        path: at('azure', 'monitoring', 'logRetentionDays'),
        message:
          `(${logRetentionDays}) is shorter than audit.retentionDays (${retentionDays}); the workspace also keeps the audit logs ` +
          `(Activity Log, blob reads, writes and deletes, SQL auditing), so it must keep them at least ${retentionDays} days (or omit it)`,
      });
    }
  }
  return issues;
}
