import { Permissions, type PermissionsConfig } from '@cdktf/provider-databricks/lib/permissions';
import type { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import type { Construct } from 'constructs';

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

/** The workspace object a permission is on: `{ jobId }`, `{ pipelineId }`, `{ clusterPolicyId }`... */
export type PermissionTarget = Omit<PermissionsConfig, 'accessControl' | 'provider'>;

/**
 * Gives groups one permission level on one workspace object (`databricks_permissions`), or nothing when
 * no group is given: an empty access list would still take the object's permissions over.
 */
export function grantGroups(
  scope: Construct,
  id: string,
  provider: DatabricksProvider,
  target: PermissionTarget,
  groups: readonly string[],
  permissionLevel: string,
): Permissions | undefined {
  if (groups.length === 0) return undefined;
  return new Permissions(scope, id, { ...target, provider, accessControl: groups.map((groupName) => ({ groupName, permissionLevel })) });
}
