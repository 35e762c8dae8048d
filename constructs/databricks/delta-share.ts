import { Grants } from '@cdktf/provider-databricks/lib/grants';
import { Share } from '@cdktf/provider-databricks/lib/share';
import { Construct } from 'constructs';
import { SHARED_OBJECT_TYPES, type SharedObjectType } from '../../lib/consumers/sharing-plan';
import type { DeltaSharingRecipient } from './delta-sharing-recipient';
import type { WorkspaceScopedProps } from './workspace-scoped';

/** One table (or view) of a share. */
export interface SharedTable {
  /** Fully qualified name in the provider's metastore: `<catalog>.<schema>.<table>`. */
  readonly name: string;
  readonly type: SharedObjectType;
  /**
   * `<schema>.<table>` the recipient sees it as.
   * @default - its schema and table, without the provider's catalog
   */
  readonly sharedAs?: string;
  /**
   * What it holds, shown to the recipient.
   * @default - none
   */
  readonly comment?: string;
}

export interface DeltaShareProps extends WorkspaceScopedProps {
  /** Unity Catalog name of the share (unique in the metastore; see `deltaShareName`). */
  readonly name: string;
  /**
   * What the share holds, shown to its recipients.
   * @default - none
   */
  readonly comment?: string;
  /** The tables it shares; at least one, each once. */
  readonly tables: readonly SharedTable[];
  /** Who may read it (`SELECT` on the share); nobody else is granted anything on it. */
  readonly recipients: readonly DeltaSharingRecipient[];
}

const THREE_PART_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/**
 * A Delta Sharing share (`databricks_share`) of Unity Catalog tables, read-only by construction, with one
 * authoritative `databricks_grants` that gives exactly its recipients `SELECT` on it. Objects are sorted by
 * name (the provider keeps them as an ordered list, so a stable order keeps plans to what changed). The
 * recipient sees `<schema>.<table>`, never the provider's catalog, and current data only: history sharing
 * (time travel, change data feed) stays off.
 */
export class DeltaShare extends Construct {
  readonly share: Share;
  readonly grants: Grants;
  readonly name: string;

  constructor(scope: Construct, id: string, props: DeltaShareProps) {
    super(scope, id);
    const where = `DeltaShare ${props.name}`;
    const problems: string[] = [];
    if (props.tables.length === 0) problems.push('tables ([]) must name at least one table');
    if (props.recipients.length === 0) problems.push('recipients ([]) must name at least one recipient: a share nobody reads is only an exposure');
    const names = props.tables.map((table) => table.name);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    if (repeated.length > 0) problems.push(`tables name ${[...new Set(repeated)].join(', ')} more than once`);
    for (const table of props.tables) {
      if (!THREE_PART_NAME.test(table.name)) problems.push(`tables: "${table.name}" must be a fully qualified <catalog>.<schema>.<table> name`);
      if (!(SHARED_OBJECT_TYPES as readonly string[]).includes(table.type))
        problems.push(`tables: ${table.name} has type "${table.type}"; allowed: ${SHARED_OBJECT_TYPES.join(', ')}`);
    }
    if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
    this.name = props.name;
    this.share = new Share(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      comment: props.comment,
      object: [...props.tables]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((table) => ({
          name: table.name,
          dataObjectType: table.type,
          sharedAs: table.sharedAs ?? table.name.slice(table.name.indexOf('.') + 1),
          comment: table.comment,
        })),
    });
    const recipients = [...new Set(props.recipients.map((recipient) => recipient.name))].sort();
    this.grants = new Grants(this, 'Grants', {
      provider: props.provider,
      share: this.share.name,
      grant: recipients.map((principal) => ({ principal, privileges: ['SELECT'] })),
      dependsOn: props.recipients.map((recipient) => recipient.recipient),
    });
  }
}
