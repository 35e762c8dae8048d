import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { AzureMonitoringStack } from '../../../stacks/azure/monitoring-stack';
import { EnvironmentReferences } from '../../../stacks/azure/environment-references';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';

describe('AzureMonitoringStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'staging', 'prod'].map((name) => [name, synthStack(AzureMonitoringStack, config, name)]));

  test.each(['dev', 'staging', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('creates the workspace that every diagnostic setting names, Entra ID only', () => {
    const refs = new EnvironmentReferences({ config, environment: environmentOf(config, 'prod') });
    expect(onlyResource(stacks.prod.json, LogAnalyticsWorkspace.tfResourceType)).toMatchObject({
      name: refs.logAnalyticsWorkspaceName,
      local_authentication_enabled: false,
      sku: 'PerGB2018',
    });
    expect(onlyResource(stacks.prod.json, 'azurerm_resource_group').name).toBe(refs.resourceGroupName('monitoring'));
  });

  const diagnosticSettings = (name: string) => Object.values(resourcesOf(stacks[name].json, 'azurerm_monitor_diagnostic_setting'));

  test('audits queries of the workspace into itself', () => {
    expect(diagnosticSettings('dev')).toContainEqual(
      expect.objectContaining({
        enabled_log: [{ category_group: 'audit' }],
        target_resource_id: expect.stringContaining('azurerm_log_analytics_workspace.'),
      }),
    );
  });

  test.each(['dev', 'staging', 'prod'])("exports the %s subscription's Activity Log, every category, to the workspace", (name) => {
    const subscriptionId = environmentOf(config, name).azure?.subscriptionId;
    const activityLog = diagnosticSettings(name).filter((setting) => setting.target_resource_id === `/subscriptions/${subscriptionId}`);
    expect(activityLog).toHaveLength(1);
    expect(activityLog[0]).toMatchObject({
      name: `activity-log-to-log-acme-${name}`,
      log_analytics_workspace_id: expect.stringContaining('azurerm_log_analytics_workspace.'),
      enabled_log: ['Administrative', 'Security', 'Policy', 'Alert', 'ServiceHealth', 'ResourceHealth', 'Recommendation', 'Autoscale'].map((category) => ({
        category,
      })),
    });
    expect(activityLog[0]).not.toHaveProperty('enabled_metric');
  });

  test('keeps logs at least the audit retention: 90 days, a year in production', () => {
    expect(onlyResource(stacks.prod.json, LogAnalyticsWorkspace.tfResourceType).retention_in_days).toBe(365);
    expect(onlyResource(stacks.staging.json, LogAnalyticsWorkspace.tfResourceType).retention_in_days).toBe(90);
    expect(onlyResource(stacks.dev.json, LogAnalyticsWorkspace.tfResourceType).retention_in_days).toBe(90);
  });

  test('emails the receivers of the definition', () => {
    expect(onlyResource(stacks.prod.json, MonitorActionGroup.tfResourceType)).toMatchObject({
      name: 'ag-acme-prod-alerts',
      location: 'global',
      short_name: expect.stringMatching(/^[A-Za-z0-9]{1,12}$/),
      email_receiver: [
        { name: 'data-platform-oncall@acme.example.com', email_address: 'data-platform-oncall@acme.example.com', use_common_alert_schema: true },
      ],
    });
    expect(onlyResource(stacks.staging.json, MonitorActionGroup.tfResourceType).email_receiver ?? []).toEqual([]);
  });

  test('budgets the environment monthly from the pinned start date, over its tags, one notification per threshold to the action group', () => {
    const budget = onlyResource(stacks.prod.json, 'azurerm_consumption_budget_subscription');
    expect(budget).toMatchObject({
      name: 'budget-acme-prod',
      subscription_id: `/subscriptions/${environmentOf(config, 'prod').azure?.subscriptionId}`,
      amount: 5000,
      time_grain: 'Monthly',
      time_period: { start_date: '2026-01-01T00:00:00Z' },
      filter: {
        tag: [
          { name: 'platform', operator: 'In', values: ['acme'] },
          { name: 'environment', operator: 'In', values: ['prod'] },
        ],
      },
    });
    expect(budget.notification.map((n: any) => [n.threshold_type, n.threshold])).toEqual([
      ['Actual', 50],
      ['Actual', 80],
      ['Actual', 100],
      ['Forecasted', 100],
    ]);
    for (const n of budget.notification) {
      expect(n).toMatchObject({ enabled: true, operator: 'GreaterThanOrEqualTo', contact_emails: ['finops@acme.example.com'] });
      expect(n.contact_groups).toEqual([expect.stringMatching(/^\$\{azurerm_monitor_action_group\.[^}]+\.id\}$/)]);
    }
  });

  test('creates no budget when the environment has none', () => {
    const withoutBudget = synthStack(
      AzureMonitoringStack,
      configWith((d) => delete d.environments.dev.budget),
      'dev',
    );
    expect(resourcesOf(withoutBudget.json, 'azurerm_consumption_budget_subscription')).toEqual({});
  });
});
