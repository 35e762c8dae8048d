import { Recipient } from '@cdktf/provider-databricks/lib/recipient';
import { Construct } from 'constructs';
import type { WorkspaceScopedProps } from './workspace-scoped';

/** A recipient on another Unity Catalog metastore: Databricks-to-Databricks sharing, no credential leaves the platform. */
export interface DatabricksRecipientAccess {
  readonly kind: 'databricks';
  /** The recipient metastore's sharing identifier, `<cloud>:<region>:<metastore uuid>` (they read it from Catalog Explorer or `CURRENT_METASTORE()`). */
  readonly sharingIdentifier: string;
}

/** A recipient outside Databricks (open sharing): a bearer token from an activation link. */
export interface OpenRecipientAccess {
  readonly kind: 'open';
  /**
   * IPv4 addresses or CIDR ranges the token may be used from (at most 100).
   * @default - any address (the token alone authenticates)
   */
  readonly ipAccessList?: readonly string[];
}

export interface DeltaSharingRecipientProps extends WorkspaceScopedProps {
  /** Unity Catalog name of the recipient (unique in the metastore; see `deltaSharingRecipientName`). */
  readonly name: string;
  /**
   * What the recipient is, for the provider's own records.
   * @default - none
   */
  readonly comment?: string;
  readonly access: DatabricksRecipientAccess | OpenRecipientAccess;
}

/** The most addresses an open recipient's IP access list takes. */
export const RECIPIENT_IP_ACCESS_LIST_LIMIT = 100;
const SHARING_IDENTIFIER = /^(aws|azure|gcp):[a-z0-9-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IPV4_OR_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)(\/([0-9]|[12]\d|3[0-2]))?$/;

/**
 * A Delta Sharing recipient (`databricks_recipient`) of the workspace's metastore. A Databricks recipient
 * is named by its metastore's sharing identifier and sees the shares granted to it as a provider in its own
 * catalog explorer; an open recipient gets an activation link (`activationUrl`, once) to download its
 * credential file, and that token works only from its IP access list when it has one. Shares are granted to it by
 * `DeltaShare` (`SELECT` on the share), nothing else.
 */
export class DeltaSharingRecipient extends Construct {
  readonly recipient: Recipient;
  readonly name: string;

  constructor(scope: Construct, id: string, props: DeltaSharingRecipientProps) {
    super(scope, id);
    const { access } = props;
    const where = `DeltaSharingRecipient ${props.name}`;
    if (access.kind === 'databricks' && !SHARING_IDENTIFIER.test(access.sharingIdentifier))
      throw new Error(
        `${where}: access.sharingIdentifier ("${access.sharingIdentifier}") must be a metastore's sharing identifier, <cloud>:<region>:<metastore uuid> ` +
          '(e.g. azure:westeurope:19a84bee-54bc-43a2-87de-023d0ec16016)',
      );
    const ipAccessList = access.kind === 'open' ? (access.ipAccessList ?? []) : [];
    if (ipAccessList.length > 0) {
      if (ipAccessList.length > RECIPIENT_IP_ACCESS_LIST_LIMIT)
        throw new Error(
          `${where}: access.ipAccessList has ${ipAccessList.length} entries; a recipient's IP access list takes at most ${RECIPIENT_IP_ACCESS_LIST_LIMIT}`,
        );
      const bad = ipAccessList.filter((address) => !IPV4_OR_CIDR.test(address));
      if (bad.length > 0) throw new Error(`${where}: access.ipAccessList entries ${bad.map((a) => `"${a}"`).join(', ')} are not IPv4 addresses or CIDR ranges`);
    }
    this.name = props.name;
    this.recipient = new Recipient(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      comment: props.comment,
      ...(access.kind === 'databricks'
        ? { authenticationType: 'DATABRICKS', dataRecipientGlobalMetastoreId: access.sharingIdentifier }
        : { authenticationType: 'TOKEN', ipAccessList: ipAccessList.length > 0 ? { allowedIpAddresses: [...ipAccessList] } : undefined }),
    });
  }

  /** The one-time link an open recipient downloads its credential file from; empty for a Databricks recipient. */
  get activationUrl(): string {
    return this.recipient.activationUrl;
  }
}
