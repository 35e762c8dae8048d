import { Dashboard } from '@cdktf/provider-databricks/lib/dashboard';
import { Permissions } from '@cdktf/provider-databricks/lib/permissions';
import { join } from 'node:path';
import { Construct } from 'constructs';
import type { ServerlessSqlWarehouse } from './serverless-sql-warehouse';
import type { WorkspaceScopedProps } from './workspace-scoped';

/** Where the platform's dashboards are kept: `<name>.lvdash.json`, as exported from Databricks, tables named `gold.<model>` (see lib/consumers). */
export const DASHBOARD_TEMPLATES_DIRECTORY = join(__dirname, 'dashboards');

export interface LakeviewDashboardProps extends WorkspaceScopedProps {
  /** Name shown in the workspace. */
  readonly displayName: string;
  /** Workspace folder it is created in (created when missing; see `workspaceFolder(scope, 'dashboards')`). */
  readonly parentPath: string;
  /**
   * The dashboard's `.lvdash.json` content, bound to the environment's catalog (`bindLakeviewTemplate`
   * in lib/dashboards): every table three-part, so it does not depend on the warehouse's default catalog.
   */
  readonly serializedDashboard: string;
  /** The SQL warehouse its queries run on. */
  readonly warehouse: ServerlessSqlWarehouse;
  /**
   * Whether the published dashboard runs its queries as its publisher (the deployment identity) for every
   * viewer. Off, each viewer's queries run as the viewer, so Unity Catalog's table grants decide what they
   * see, and a viewer also needs `CAN_USE` on the warehouse.
   * @default false
   */
  readonly embedCredentials?: boolean;
  /** Databricks groups that manage it (edit, publish, share): `CAN_MANAGE`. At least one. */
  readonly owners: readonly string[];
  /**
   * Databricks groups that view it and refresh its data: `CAN_RUN`.
   * @default - none
   */
  readonly readers?: readonly string[];
}

/**
 * A Databricks AI/BI (Lakeview) dashboard from a committed `.lvdash.json`, published on the environment's
 * SQL warehouse (Terraform publishes what it manages), with one authoritative permission list: owners
 * `CAN_MANAGE`, readers `CAN_RUN` (view it and refresh its data). A change of the file is a change of the plan.
 */
export class LakeviewDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly permissions: Permissions;

  constructor(scope: Construct, id: string, props: LakeviewDashboardProps) {
    super(scope, id);
    const readers = (props.readers ?? []).filter((group) => !props.owners.includes(group));
    const problems: string[] = [];
    if (props.owners.length === 0) problems.push('owners ([]) must name at least one group: a dashboard nobody manages cannot be fixed but by an admin');
    if (!/^\/[^\s]*[^/]$/.test(props.parentPath))
      problems.push(`parentPath ("${props.parentPath}") must be a workspace folder: a leading slash, no trailing slash, no spaces`);
    if (problems.length > 0) throw new Error(`LakeviewDashboard ${id}: ${problems.join('; ')}`);
    this.dashboard = new Dashboard(this, 'Resource', {
      provider: props.provider,
      displayName: props.displayName,
      parentPath: props.parentPath,
      serializedDashboard: props.serializedDashboard,
      warehouseId: props.warehouse.warehouse.id,
      embedCredentials: props.embedCredentials ?? false,
    });
    this.permissions = new Permissions(this, 'Permissions', {
      provider: props.provider,
      dashboardId: this.dashboard.id,
      accessControl: [
        ...[...new Set(props.owners)].map((groupName) => ({ groupName, permissionLevel: 'CAN_MANAGE' })),
        ...[...new Set(readers)].map((groupName) => ({ groupName, permissionLevel: 'CAN_RUN' })),
      ],
    });
  }
}
