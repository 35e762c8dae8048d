import type { Construct } from 'constructs';
import { MonitoringWorkspace } from '../../constructs/azure/monitoring-workspace';
import { AzureConcernStack } from './azure-concern-stack';
import type { EnvironmentScope } from '../../lib/definition';

/**
 * Where one environment's logs and alerts go (`<prefix>-<env>-azure-monitoring`): the Log Analytics
 * workspace every diagnostic setting sends to (the subscription's Activity Log included; it keeps logs at
 * least `audit.retentionDays`), and the action group every alert notifies.
 */
export class AzureMonitoringStack extends AzureConcernStack {
  readonly monitoring: MonitoringWorkspace;

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
  }
}
