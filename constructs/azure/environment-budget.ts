import { ConsumptionBudgetSubscription } from '@cdktf/provider-azurerm/lib/consumption-budget-subscription';
import { Construct } from 'constructs';
import { AZURE_BUDGET_MAX_NOTIFICATIONS } from '../../lib/config';

export interface EnvironmentBudgetProps {
  /** Name of the budget (unique in the subscription). */
  readonly name: string;
  /** The subscription the environment deploys to (its GUID). */
  readonly subscriptionId: string;
  /** Monthly amount, in the subscription's billing currency. */
  readonly amount: number;
  /** First month the budget counts, YYYY-MM-01 (pinned: a computed "now" would move it every month). */
  readonly startDate: string;
  /** Percentages of amount at which actual spend alerts. */
  readonly thresholds: readonly number[];
  /** Percentages of amount at which forecasted spend alerts. */
  readonly forecastThresholds: readonly number[];
  /** Cost-allocation tags the budget counts: only costs carrying every one of these tag values. */
  readonly costTags: Readonly<Record<string, string>>;
  /** Action group every notification alerts (its resource id). */
  readonly actionGroupId: string;
  /**
   * Email addresses every notification mails besides the action group.
   * @default - none
   */
  readonly emails?: readonly string[];
}

/**
 * An environment's monthly consumption budget on Azure: over the whole subscription, filtered by the
 * platform's and the environment's tags (so environments sharing a subscription each count only their
 * own resources, across all of their resource groups), with one notification per threshold to the
 * environment's action group and emails.
 */
export class EnvironmentBudget extends Construct {
  readonly budget: ConsumptionBudgetSubscription;

  constructor(scope: Construct, id: string, props: EnvironmentBudgetProps) {
    super(scope, id);
    const count = props.thresholds.length + props.forecastThresholds.length;
    if (count === 0 || count > AZURE_BUDGET_MAX_NOTIFICATIONS) {
      throw new Error(
        `thresholds and forecastThresholds name ${count} percentages; an Azure budget takes 1 to ${AZURE_BUDGET_MAX_NOTIFICATIONS} notifications`,
      );
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(props.startDate)) throw new Error(`startDate ("${props.startDate}") must be the first day of a month, YYYY-MM-01`);
    const notification = (thresholdType: 'Actual' | 'Forecasted', threshold: number) => ({
      enabled: true,
      operator: 'GreaterThanOrEqualTo',
      threshold,
      thresholdType,
      contactGroups: [props.actionGroupId],
      contactEmails: [...(props.emails ?? [])],
    });
    this.budget = new ConsumptionBudgetSubscription(this, 'Resource', {
      name: props.name,
      subscriptionId: `/subscriptions/${props.subscriptionId}`,
      amount: props.amount,
      timeGrain: 'Monthly',
      timePeriod: { startDate: `${props.startDate}T00:00:00Z` },
      filter: { tag: Object.entries(props.costTags).map(([name, value]) => ({ name, operator: 'In', values: [value] })) },
      notification: [
        ...props.thresholds.map((threshold) => notification('Actual', threshold)),
        ...props.forecastThresholds.map((threshold) => notification('Forecasted', threshold)),
      ],
    });
  }
}
