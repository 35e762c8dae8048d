import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';

/** What a budget needs beyond its shape: increasing thresholds, USD where AWS Budgets counts, recipients in production. */
export function budgetIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, env] of Object.entries(definition.environments)) {
    const budget = env.budget;
    if (!budget) continue;
    const at = (...rest: string[]) => ['environments', name, 'budget', ...rest];
    for (const field of ['thresholds', 'forecastThresholds'] as const) {
      const list = budget[field] ?? [];
      const index = list.findIndex((value, i) => i > 0 && value <= list[i - 1]);
      if (index > 0) {
        issues.push({
          path: at(field),
          message: `[${list.join(', ')}] must be strictly increasing; ${list[index]} does not come after ${list[index - 1]}`,
        });
      }
    }
    if (env.clouds.includes('aws') && budget.currency !== undefined && budget.currency !== 'USD') {
      issues.push({
        path: at('currency'),
        message: `"${budget.currency}" is not accepted by AWS Budgets, which counts cost budgets in USD; allowed where clouds includes "aws": USD`,
      });
    }
    if (env.stage === 'production' && (budget.recipients ?? []).length === 0) {
      issues.push({
        path: at('recipients'),
        message: `is empty in production environment ${name}; name at least one email address that receives budget and anomaly alerts`,
      });
    }
  }
  return issues;
}
