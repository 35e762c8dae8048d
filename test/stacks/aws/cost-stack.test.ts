import { Match, Template } from 'aws-cdk-lib/assertions';
import { CostStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function costStack(name: string, cfg = config): CostStack {
  return new CostStack(testApp(), { config: cfg, environment: environmentOf(cfg, name) });
}

const templates = new Map<string, Template>();
function templateOf(name: string): Template {
  if (!templates.has(name)) templates.set(name, Template.fromStack(costStack(name)));
  return templates.get(name) as Template;
}

function statementsOf(template: Template, type: string): Array<Record<string, any>> {
  const resource = Object.values(template.findResources(type))[0].Properties;
  return (resource.KeyPolicy ?? resource.PolicyDocument).Statement;
}

describe('CostStack', () => {
  test('matches the snapshot for prod', () => {
    expect(normalizedTemplate(costStack('prod'))).toMatchSnapshot();
  });

  test('budgets the monthly amount in USD over the platform and environment cost-allocation tags', () => {
    const budget = Object.values(templateOf('prod').findResources('AWS::Budgets::Budget'))[0].Properties.Budget;
    expect(budget).toEqual({
      BudgetName: 'acme-prod-cost',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: 5000, Unit: 'USD' },
      FilterExpression: {
        And: [
          { Tags: { Key: 'platform', Values: ['acme'], MatchOptions: ['EQUALS'] } },
          { Tags: { Key: 'environment', Values: ['prod'], MatchOptions: ['EQUALS'] } },
        ],
      },
    });
  });

  test('notifies the cost topic once per actual and forecasted threshold', () => {
    const budget = Object.values(templateOf('prod').findResources('AWS::Budgets::Budget'))[0].Properties;
    const notifications = budget.NotificationsWithSubscribers.map((n: any) => [n.Notification.NotificationType, n.Notification.Threshold]);
    expect(notifications).toEqual([
      ['ACTUAL', 50],
      ['ACTUAL', 80],
      ['ACTUAL', 100],
      ['FORECASTED', 100],
    ]);
    for (const n of budget.NotificationsWithSubscribers) {
      expect(n.Notification).toMatchObject({ ComparisonOperator: 'GREATER_THAN', ThresholdType: 'PERCENTAGE' });
      expect(n.Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: { Ref: expect.stringMatching(/^GuardAlerts/) } }]);
    }
  });

  test('follows the definition: thresholds, amount and recipients', () => {
    const cfg = configWith((d) => {
      d.environments.dev.budget = {
        amount: 42,
        thresholds: [90],
        forecastThresholds: [110, 150],
        recipients: ['a@example.com', 'b@example.com'],
        startDate: '2026-03-01',
      };
    });
    const template = Template.fromStack(costStack('dev', cfg));
    const budget = Object.values(template.findResources('AWS::Budgets::Budget'))[0].Properties;
    expect(budget.Budget.BudgetLimit).toEqual({ Amount: 42, Unit: 'USD' });
    expect(budget.NotificationsWithSubscribers.map((n: any) => n.Notification.Threshold)).toEqual([90, 110, 150]);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'b@example.com' });
    template.hasResourceProperties('AWS::CE::AnomalySubscription', {
      ThresholdExpression: Match.serializedJson({
        Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['4.2'] },
      }),
    });
  });

  test('encrypts the topic with its own key, and the key and topic policies admit Budgets and Cost Anomaly Detection of this account only', () => {
    const template = templateOf('prod');
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme-prod-cost', KmsMasterKeyId: Match.anyValue() });
    for (const service of ['budgets.amazonaws.com', 'costalerts.amazonaws.com']) {
      const sameAccount = { StringEquals: { 'aws:SourceAccount': '333333333333' } };
      expect(statementsOf(template, 'AWS::SNS::TopicPolicy')).toContainEqual(
        expect.objectContaining({ Action: 'sns:Publish', Effect: 'Allow', Principal: { Service: service }, Condition: sameAccount }),
      );
      expect(statementsOf(template, 'AWS::KMS::Key')).toContainEqual(
        expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Principal: { Service: service }, Condition: sameAccount }),
      );
    }
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'finops@acme.example.com' });
  });

  test('watches the platform tag for anomalies and alerts the topic immediately above the anomaly threshold', () => {
    const template = templateOf('prod');
    template.hasResourceProperties('AWS::CE::AnomalyMonitor', {
      MonitorName: 'acme-prod-cost',
      MonitorType: 'CUSTOM',
      MonitorSpecification: Match.serializedJson({ Tags: { Key: 'platform', Values: ['acme'], MatchOptions: ['EQUALS'] } }),
    });
    template.hasResourceProperties('AWS::CE::AnomalySubscription', {
      Frequency: 'IMMEDIATE',
      MonitorArnList: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GuardAnomalyMonitor'), 'MonitorArn'] }],
      Subscribers: [{ Type: 'SNS', Address: { Ref: Match.stringLikeRegexp('^GuardAlerts') } }],
      ThresholdExpression: Match.serializedJson({
        Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['500'] },
      }),
    });
  });
});
