import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { DiagnosticSettings } from '../../../constructs/azure/diagnostic-settings';
import { MonitoringWorkspace, type MonitoringWorkspaceProps } from '../../../constructs/azure/monitoring-workspace';
import { onlyResource, synthesize } from '../../fixtures/terraform-json';

function monitoringStack(props: Partial<MonitoringWorkspaceProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-monitoring', location: 'westeurope' });
  new MonitoringWorkspace(stack, 'Monitoring', { resourceGroup, workspaceName: 'log-test', actionGroupName: 'ag-acme-test-alerts', ...props });
  return stack;
}

describe('MonitoringWorkspace', () => {
  test('defaults to 30 days and a short name from the action group name', () => {
    const json = synthesize(monitoringStack());
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')).toMatchObject({ retention_in_days: 30, local_authentication_enabled: false });
    expect(onlyResource(json, 'azurerm_monitor_action_group').short_name).toBe('acmetestalerts'.slice(-12));
  });

  test('fails when retention or an email is invalid', () => {
    expect(() => monitoringStack({ retentionDays: 7 })).toThrow('MonitoringWorkspace: retentionDays (7) must be a whole number of days from 30 to 730');
    expect(() => monitoringStack({ alertEmails: ['oncall'] })).toThrow('alertEmails ("oncall") must be an email address');
  });
});

describe('DiagnosticSettings', () => {
  test('fails when it would send nothing', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(
      () =>
        new DiagnosticSettings(stack, 'Diagnostics', {
          targetResourceId: 'target',
          logAnalyticsWorkspaceId: 'workspace',
          logCategoryGroups: [],
          metricCategories: [],
        }),
    ).toThrow('DiagnosticSettings: no log category, category group or metric category for target; send at least one');
  });

  test('fails when categories and category groups are both given', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(
      () =>
        new DiagnosticSettings(stack, 'Diagnostics', {
          targetResourceId: 'target',
          logAnalyticsWorkspaceId: 'workspace',
          logCategoryGroups: ['audit'],
          logCategories: ['StorageRead'],
        }),
    ).toThrow('DiagnosticSettings: both logCategories and logCategoryGroups are given for target; give one');
  });

  test('sends named log categories', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DiagnosticSettings(stack, 'Diagnostics', {
      targetResourceId: 'target',
      logAnalyticsWorkspaceId: 'workspace',
      logCategories: ['A', 'B'],
      metricCategories: [],
    });
    const setting = onlyResource(synthesize(stack), 'azurerm_monitor_diagnostic_setting');
    expect(setting.enabled_log).toEqual([{ category: 'A' }, { category: 'B' }]);
    expect(setting).not.toHaveProperty('enabled_metric');
  });

  test('writes to resource-specific tables only when asked', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DiagnosticSettings(stack, 'Diagnostics', { targetResourceId: 'target', logAnalyticsWorkspaceId: 'workspace', resourceSpecificTables: true });
    expect(onlyResource(synthesize(stack), 'azurerm_monitor_diagnostic_setting').log_analytics_destination_type).toBe('Dedicated');
  });
});
