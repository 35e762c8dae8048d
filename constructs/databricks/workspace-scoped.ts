import type { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';

/**
 * What every construct that configures a workspace's contents takes: the provider (alias) of that
 * workspace. Provider 1.99's Unity Catalog resources have no `provider_config`, so each workspace gets
 * its own aliased provider and every resource names it; two workspaces in one stack can never mix.
 */
export interface WorkspaceScopedProps {
  /** The Databricks provider of the workspace the resources belong to. */
  readonly provider: DatabricksProvider;
}

/** Email notifications shared by pipelines and jobs. */
export interface FailureNotificationProps {
  /**
   * Who is emailed when a run fails.
   * @default - nobody (the failure is still in the run history and the audit logs)
   */
  readonly failureEmails?: readonly string[];
}
