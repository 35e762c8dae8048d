import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Construct } from 'constructs';

export interface DiagnosticSettingsProps {
  /** Id of the resource (or sub-resource, e.g. `<account id>/blobServices/default`) whose logs are sent. */
  readonly targetResourceId: string;
  /** Id of the Log Analytics workspace that receives them. */
  readonly logAnalyticsWorkspaceId: string;
  /**
   * Log category groups to send; `[]` for resources that emit metrics only (a storage account itself).
   * @default ['allLogs']
   */
  readonly logCategoryGroups?: readonly string[];
  /**
   * Log categories to send by name (e.g. `StorageRead`), instead of category groups: for settings whose
   * categories are a contract (audit logs), so that a category Azure adds to a group later is not sent
   * unannounced, nor one dropped unnoticed.
   * @default - the categories of `logCategoryGroups`
   */
  readonly logCategories?: readonly string[];
  /**
   * Metric categories to send.
   * @default ['AllMetrics']
   */
  readonly metricCategories?: readonly string[];
  /**
   * Whether logs go to resource-specific tables (`Dedicated`); only some services support it (Data
   * Factory does), and on the others Azure drops the setting and Terraform shows a diff forever.
   * @default false (the AzureDiagnostics table)
   */
  readonly resourceSpecificTables?: boolean;
  /**
   * Name of the setting.
   * @default 'to-log-analytics'
   */
  readonly name?: string;
}

/** Sends a resource's logs and metrics to the environment's Log Analytics workspace. */
export class DiagnosticSettings extends Construct {
  readonly setting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: DiagnosticSettingsProps) {
    super(scope, id);
    if (props.logCategories !== undefined && props.logCategoryGroups !== undefined) {
      throw new Error(`DiagnosticSettings: both logCategories and logCategoryGroups are given for ${props.targetResourceId}; give one`);
    }
    const logCategoryGroups = props.logCategories === undefined ? (props.logCategoryGroups ?? ['allLogs']) : [];
    const logCategories = props.logCategories ?? [];
    const metricCategories = props.metricCategories ?? ['AllMetrics'];
    if (logCategoryGroups.length === 0 && logCategories.length === 0 && metricCategories.length === 0) {
      throw new Error(`DiagnosticSettings: no log category, category group or metric category for ${props.targetResourceId}; send at least one`);
    }
    const enabledLog = [...logCategoryGroups.map((categoryGroup) => ({ categoryGroup })), ...logCategories.map((category) => ({ category }))];
    this.setting = new MonitorDiagnosticSetting(this, 'Resource', {
      name: props.name ?? 'to-log-analytics',
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logAnalyticsDestinationType: props.resourceSpecificTables ? 'Dedicated' : undefined,
      enabledLog: enabledLog.length > 0 ? enabledLog : undefined,
      enabledMetric: metricCategories.length > 0 ? metricCategories.map((category) => ({ category })) : undefined,
    });
  }
}
