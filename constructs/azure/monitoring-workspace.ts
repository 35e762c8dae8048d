import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';
import { DiagnosticSettings } from './diagnostic-settings';

export interface MonitoringWorkspaceProps {
  readonly resourceGroup: ResourceGroup;
  /** Name of the Log Analytics workspace (see `logAnalyticsWorkspaceName`). */
  readonly workspaceName: string;
  /** Name of the action group that alerts go to. */
  readonly actionGroupName: string;
  /**
   * Days the workspace keeps logs (30-730).
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Subscription whose Activity Log (every control-plane operation, `ACTIVITY_LOG_CATEGORIES`) is
   * exported to the workspace, so that it is kept for the workspace's retention instead of the Activity
   * Log's own 90 days.
   * @default - none exported
   */
  readonly activityLogSubscriptionId?: string;
  /**
   * Name of the Activity Log export; unique within the subscription, which several environments may share.
   * @default - `activity-log-to-<workspaceName>`
   */
  readonly activityLogSettingName?: string;
  /**
   * Who receives alerts, by email.
   * @default [] (alerts are recorded but reach nobody)
   */
  readonly alertEmails?: readonly string[];
}

const ACTION_GROUP_SHORT_NAME_LENGTH = 12;

/**
 * The categories of a subscription's Activity Log, all of them: who changed which resource
 * (Administrative), what Defender and Policy decided (Security, Policy), which alerts fired, service and
 * resource health, autoscale and Advisor recommendations.
 */
export const ACTIVITY_LOG_CATEGORIES = [
  'Administrative',
  'Security',
  'Policy',
  'Alert',
  'ServiceHealth',
  'ResourceHealth',
  'Recommendation',
  'Autoscale',
] as const;

/**
 * Where an environment's logs and alerts go: a Log Analytics workspace that accepts Entra ID only
 * (no shared workspace keys) and an action group that emails the receivers of the definition.
 */
export class MonitoringWorkspace extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  readonly actionGroup: MonitorActionGroup;
  /** The export of the subscription's Activity Log, when `activityLogSubscriptionId` is given. */
  readonly activityLog?: DiagnosticSettings;

  constructor(scope: Construct, id: string, props: MonitoringWorkspaceProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    const alertEmails = props.alertEmails ?? [];
    const problems: string[] = [];
    if (!Number.isInteger(retentionDays) || retentionDays < 30 || retentionDays > 730)
      problems.push(`retentionDays (${retentionDays}) must be a whole number of days from 30 to 730`);
    for (const email of alertEmails) if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push(`alertEmails ("${email}") must be an email address`);
    if (problems.length > 0) throw new Error(`MonitoringWorkspace: ${problems.join('; ')}`);

    this.workspace = new LogAnalyticsWorkspace(this, 'Resource', {
      name: props.workspaceName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      sku: 'PerGB2018',
      retentionInDays: retentionDays,
      localAuthenticationEnabled: false,
    });
    // Who queried or changed the workspace is itself audited, into the workspace.
    new DiagnosticSettings(this, 'Diagnostics', {
      targetResourceId: this.workspace.id,
      logAnalyticsWorkspaceId: this.workspace.id,
      logCategoryGroups: ['audit'],
      metricCategories: [],
    });
    if (props.activityLogSubscriptionId !== undefined) {
      this.activityLog = new DiagnosticSettings(this, 'ActivityLog', {
        name: props.activityLogSettingName ?? `activity-log-to-${props.workspaceName}`,
        targetResourceId: `/subscriptions/${props.activityLogSubscriptionId}`,
        logAnalyticsWorkspaceId: this.workspace.id,
        logCategories: ACTIVITY_LOG_CATEGORIES,
        metricCategories: [],
      });
    }
    this.actionGroup = new MonitorActionGroup(this, 'ActionGroup', {
      name: props.actionGroupName,
      resourceGroupName: props.resourceGroup.name,
      location: 'global',
      shortName: props.actionGroupName.replace(/[^A-Za-z0-9]/g, '').slice(-ACTION_GROUP_SHORT_NAME_LENGTH),
      emailReceiver: alertEmails.map((emailAddress) => ({ name: emailAddress, emailAddress, useCommonAlertSchema: true })),
    });
  }
}
