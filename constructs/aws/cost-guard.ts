import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { CfnAnomalyMonitor, CfnAnomalySubscription } from 'aws-cdk-lib/aws-ce';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';

/** The services that publish cost alerts: AWS Budgets and Cost Anomaly Detection. */
export const COST_ALERT_PUBLISHERS: readonly string[] = ['budgets.amazonaws.com', 'costalerts.amazonaws.com'];

export interface CostGuardProps {
  /** Name of the budget, the anomaly monitor and subscription, and the alert topic. */
  readonly name: string;
  /** Monthly budget, in USD (AWS Budgets counts cost budgets in USD). */
  readonly amount: number;
  /** Percentages of amount at which actual spend alerts (one notification each). */
  readonly thresholds: readonly number[];
  /** Percentages of amount at which forecasted month-end spend alerts (one notification each). */
  readonly forecastThresholds: readonly number[];
  /** Email addresses subscribed to the alert topic. */
  readonly recipients: readonly string[];
  /**
   * Cost-allocation tags the budget counts: only costs carrying every one of these tag values. The tags
   * must be activated as cost-allocation tags in the payer account (README, "Cost guards").
   */
  readonly costTags: Readonly<Record<string, string>>;
  /**
   * The one cost-allocation tag the anomaly monitor watches (a custom monitor takes a single tag key):
   * [key, value].
   */
  readonly anomalyTag: readonly [string, string];
  /** Alert when an anomaly's total impact reaches this many USD. */
  readonly anomalyThreshold: number;
  /** Customer-managed key that encrypts the alert topic; its policy admits Budgets and Cost Anomaly Detection. */
  readonly encryptionKey: IKey;
}

/**
 * An environment's cost guard on AWS: a monthly COST budget over the platform's cost-allocation tags
 * with one notification per threshold (actual and forecasted), a Cost Anomaly Detection monitor on the
 * platform tag with an immediate subscription, both alerting a KMS-encrypted topic that the recipients
 * subscribe to.
 */
export class CostGuard extends Construct {
  readonly alerts: AlertTopic;
  readonly budget: CfnBudget;
  readonly anomalyMonitor: CfnAnomalyMonitor;
  readonly anomalySubscription: CfnAnomalySubscription;

  constructor(scope: Construct, id: string, props: CostGuardProps) {
    super(scope, id);
    if (!(props.amount > 0)) throw new Error(`amount (${props.amount}) must be a positive number of USD`);
    if (props.thresholds.length + props.forecastThresholds.length === 0) throw new Error('thresholds and forecastThresholds must name at least one percentage');
    this.alerts = new AlertTopic(this, 'Alerts', {
      topicName: props.name,
      encryptionKey: props.encryptionKey,
      emails: props.recipients,
      publishingServices: COST_ALERT_PUBLISHERS,
    });
    const topicArn = this.alerts.topic.topicArn;
    const notification = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number): CfnBudget.NotificationWithSubscribersProperty => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers: [{ subscriptionType: 'SNS', address: topicArn }],
    });
    this.budget = new CfnBudget(this, 'Budget', {
      budget: {
        budgetName: props.name,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.amount, unit: 'USD' },
        filterExpression: {
          and: Object.entries(props.costTags).map(([key, value]) => ({ tags: { key, values: [value], matchOptions: ['EQUALS'] } })),
        },
      },
      notificationsWithSubscribers: [
        ...props.thresholds.map((threshold) => notification('ACTUAL', threshold)),
        ...props.forecastThresholds.map((threshold) => notification('FORECASTED', threshold)),
      ],
    });
    // Budgets and Cost Anomaly Detection check that they may publish when the subscriber is created: the
    // topic policy (not only the topic, which the Ref already orders) must exist first.
    const topicPolicy = this.alerts.topic.node.findChild('Policy');
    this.budget.node.addDependency(topicPolicy);
    const [tagKey, tagValue] = props.anomalyTag;
    this.anomalyMonitor = new CfnAnomalyMonitor(this, 'AnomalyMonitor', {
      monitorName: props.name,
      monitorType: 'CUSTOM',
      monitorSpecification: JSON.stringify({ Tags: { Key: tagKey, Values: [tagValue], MatchOptions: ['EQUALS'] } }),
    });
    this.anomalySubscription = new CfnAnomalySubscription(this, 'AnomalySubscription', {
      subscriptionName: props.name,
      frequency: 'IMMEDIATE',
      monitorArnList: [this.anomalyMonitor.attrMonitorArn],
      subscribers: [{ type: 'SNS', address: topicArn }],
      thresholdExpression: JSON.stringify({
        Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(props.anomalyThreshold)] },
      }),
    });
    this.anomalySubscription.node.addDependency(topicPolicy);
  }
}
