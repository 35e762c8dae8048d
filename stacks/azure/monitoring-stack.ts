import type { Construct } from 'constructs';
import { EnvironmentBudget } from '../../constructs/azure/environment-budget';
import { MonitoringWorkspace } from '../../constructs/azure/monitoring-workspace';
import { azureResourceName } from '../../lib/naming';
import { standardTags, TAG_KEYS } from '../../lib/tagging';
import { AzureConcernStack } from './azure-concern-stack';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * Where one environment's logs and alerts go (`<prefix>-<env>-azure-monitoring`): the Log Analytics
 * workspace every diagnostic setting sends to (the subscription's Activity Log included; it keeps logs at
 * least `audit.retentionDays`), the action group every alert notifies, and, when the environment has a
 * budget, its monthly consumption budget alerting that action group.
 */
export class AzureMonitoringStack extends AzureConcernStack {
  readonly monitoring: MonitoringWorkspace;
  readonly budget?: EnvironmentBudget;

  constructor(scope: Construct, props: EnvironmentScope) {
    super(scope, props, 'monitoring');
    this.monitoring = new MonitoringWorkspace(this, 'Monitoring', {
      resourceGroup: this.resourceGroup,
      workspaceName: this.references.logAnalyticsWorkspaceName,
      actionGroupName: this.references.actionGroupName,
      retentionDays: this.azure.monitoring.logRetentionDays,
      activityLogSubscriptionId: this.azure.subscriptionId,
      alertEmails: this.azure.monitoring.alertEmails,
    });
    const budget = props.environment.budget;
    if (budget) {
      const tags = standardTags(props.config, props.environment);
      this.budget = new EnvironmentBudget(this, 'Budget', {
        name: azureResourceName(this.references.scope, 'budget'),
        subscriptionId: this.azure.subscriptionId,
        amount: budget.amount,
        startDate: budget.startDate,
        thresholds: budget.thresholds,
        forecastThresholds: budget.forecastThresholds,
        costTags: { [TAG_KEYS.platform]: tags[TAG_KEYS.platform], [TAG_KEYS.environment]: tags[TAG_KEYS.environment] },
        actionGroupId: this.monitoring.actionGroup.id,
        emails: budget.recipients,
      });
    }
  }
}
