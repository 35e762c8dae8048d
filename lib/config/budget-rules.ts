import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';
import { DEFAULT_BUDGET_FORECAST_THRESHOLDS, DEFAULT_BUDGET_THRESHOLDS } from './defaults';

/** The most notifications an Azure consumption budget takes. */
export const AZURE_BUDGET_MAX_NOTIFICATIONS = 5;

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
    const notifications = (budget.thresholds ?? DEFAULT_BUDGET_THRESHOLDS).length + (budget.forecastThresholds ?? DEFAULT_BUDGET_FORECAST_THRESHOLDS).length;
    if (env.clouds.includes('azure') && notifications > AZURE_BUDGET_MAX_NOTIFICATIONS) {
      issues.push({
        path: at('thresholds'),
        message:
          `with forecastThresholds names ${notifications} percentages, but an Azure budget takes at most ${AZURE_BUDGET_MAX_NOTIFICATIONS} ` +
          `notifications; allowed where clouds includes "azure": at most ${AZURE_BUDGET_MAX_NOTIFICATIONS} thresholds and forecastThresholds together`,
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
