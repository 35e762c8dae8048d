import { kmsAliasName } from './aws-names';
import { checkedAgainst, type NameRule } from './name-rules';
import type { NamingScope } from './stack-names';

/** Names of an environment's cost guard on AWS: the budget, anomaly monitor and subscription, alert topic and key. */

/** Limits of the cost guard's names, from the AWS Budgets, Cost Explorer and SNS references (the strictest of them). */
export const COST_NAME_RULES = {
  costGuard: {
    kind: 'budget, anomaly monitor and cost alert topic',
    minLength: 1,
    maxLength: 100,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: 'letters, digits, _ and -',
  },
} satisfies Record<string, NameRule>;

/** `<prefix>-<env>-cost`: the environment's budget, anomaly monitor, anomaly subscription and cost alert topic. */
export function costGuardName(scope: NamingScope): string {
  return checkedAgainst(COST_NAME_RULES.costGuard, `${scope.prefix}-${scope.environment}-cost`);
}

/** `alias/<prefix>-<env>-cost`: the key of the cost alert topic. */
export function costKeyAliasName(scope: NamingScope): string {
  return kmsAliasName(scope, 'cost');
}
