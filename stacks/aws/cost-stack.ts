import { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CostGuard, DataLakeKey } from '../../constructs/aws';
import type { BudgetConfig } from '../../lib/definition';
import { costGuardName, costKeyAliasName } from '../../lib/naming';
import { standardTags, TAG_KEYS } from '../../lib/tagging';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

/**
 * `<prefix>-<env>-cost`: the environment's cost guard (budgets.amount USD a month over the platform and
 * environment cost-allocation tags, anomaly alerts) with its own key and alert topic. Planned only when
 * the environment has a budget; its own topic, not the orchestration stack's, because that stack exists
 * only with datasets and a budget must not.
 */
export class CostStack extends EnvironmentStack {
  readonly guard: CostGuard;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, 'cost', {
      description: `Cost guard (budget, anomaly alerts, their topic and key) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const environment = this.platformEnvironment;
    const budget: BudgetConfig | undefined = environment.budget;
    if (!budget) throw new Error(`environment ${environment.name} has no budget; the cost stack is planned only with one`);
    const key = new DataLakeKey(this, 'CostKey', {
      aliasName: costKeyAliasName(this.naming),
      allowCloudWatchLogs: false,
      description: `Cost alerts key of ${this.naming.prefix} ${this.naming.environment}: the budget and anomaly alert topic`,
      pendingWindowDays: environment.dataProtection.kmsKeyDeletionWindowDays,
      removalPolicy: environment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const tags = standardTags(this.config, environment);
    this.guard = new CostGuard(this, 'Guard', {
      name: costGuardName(this.naming),
      amount: budget.amount,
      thresholds: budget.thresholds,
      forecastThresholds: budget.forecastThresholds,
      recipients: budget.recipients,
      costTags: { [TAG_KEYS.platform]: tags[TAG_KEYS.platform], [TAG_KEYS.environment]: tags[TAG_KEYS.environment] },
      anomalyTag: [TAG_KEYS.platform, tags[TAG_KEYS.platform]],
      anomalyThreshold: budget.anomalyThreshold,
      encryptionKey: key.key,
    });
  }
}
