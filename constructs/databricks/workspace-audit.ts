import { SystemSchema } from '@cdktf/provider-databricks/lib/system-schema';
import { WorkspaceConf } from '@cdktf/provider-databricks/lib/workspace-conf';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { WorkspaceScopedProps } from './workspace-scoped';

export interface WorkspaceAuditProps extends WorkspaceScopedProps {
  /**
   * Unity Catalog system schemas to enable on the workspace's metastore (`access` holds
   * `system.access.audit`). A system schema belongs to the metastore, not the workspace: enable it from
   * one workspace per metastore only, or two Terraform states manage one object.
   * @default [] (none)
   */
  readonly systemSchemas?: readonly string[];
  /**
   * Whether the workspace writes verbose audit logs: the text of every notebook command and SQL query
   * (`enableVerboseAuditLogs`), next to the default events.
   * @default false
   */
  readonly verboseAuditLogs?: boolean;
  /**
   * What enabling a system schema waits for: the metastore's assignment to the workspace.
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The audit trail of a Databricks workspace: the Unity Catalog system schemas its queries read
 * (`system.access.audit`, kept by Databricks for a year) and, where asked, verbose audit logs.
 */
export class WorkspaceAudit extends Construct {
  readonly systemSchemas: readonly SystemSchema[];
  readonly workspaceConf?: WorkspaceConf;

  constructor(scope: Construct, id: string, props: WorkspaceAuditProps) {
    super(scope, id);
    const schemas = props.systemSchemas ?? [];
    const repeated = schemas.filter((schema, index) => schemas.indexOf(schema) !== index);
    if (repeated.length > 0) throw new Error(`WorkspaceAudit: systemSchemas names ${repeated.map((s) => `"${s}"`).join(', ')} more than once`);
    this.systemSchemas = schemas.map(
      (schema) =>
        new SystemSchema(this, `system-schema-${schema}`, { provider: props.provider, schema, dependsOn: props.dependsOn ? [...props.dependsOn] : undefined }),
    );
    if (props.verboseAuditLogs) {
      this.workspaceConf = new WorkspaceConf(this, 'Conf', { provider: props.provider, customConfig: { enableVerboseAuditLogs: 'true' } });
    }
  }
}
