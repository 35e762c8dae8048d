import { MwsNccBinding } from '@cdktf/provider-databricks/lib/mws-ncc-binding';
import { MwsNccPrivateEndpointRule } from '@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule';
import { MwsNetworkConnectivityConfig } from '@cdktf/provider-databricks/lib/mws-network-connectivity-config';
import type { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { Token } from 'cdktf';
import { Construct } from 'constructs';

/** A private endpoint serverless compute opens to an Azure resource (one sub-resource each). */
export interface ServerlessPrivateTarget {
  /** ARM id of the resource, e.g. the lake storage account. */
  readonly resourceId: string;
  /** Sub-resources (group ids) to reach, e.g. `dfs` and `blob`. */
  readonly groupIds: readonly string[];
}

export interface ServerlessNetworkConnectivityProps {
  /** The account-level provider (host `https://accounts.azuredatabricks.net`, the account id). */
  readonly accountProvider: DatabricksProvider;
  /** Name of the network connectivity configuration, e.g. `<prefix>-<env>-serverless`. */
  readonly name: string;
  /** Azure region of the workspace (a configuration serves workspaces of one region). */
  readonly region: string;
  /** The workspace's numeric id. */
  readonly workspaceId: string;
  /** Private endpoints serverless compute needs. */
  readonly targets: readonly ServerlessPrivateTarget[];
}

/**
 * How serverless compute (the SQL warehouse, serverless jobs) reaches resources that accept no public
 * traffic: an account-level network connectivity configuration bound to the workspace, with a private
 * endpoint rule per target sub-resource. Each endpoint arrives on the target as a pending private
 * endpoint connection that the target's owner approves once (the storage account's Networking blade or
 * `az network private-endpoint-connection approve`); until then serverless queries of the lake fail.
 */
export class ServerlessNetworkConnectivity extends Construct {
  readonly configuration: MwsNetworkConnectivityConfig;

  constructor(scope: Construct, id: string, props: ServerlessNetworkConnectivityProps) {
    super(scope, id);
    const provider = props.accountProvider;
    if (props.targets.some((target) => target.groupIds.length === 0))
      throw new Error(`ServerlessNetworkConnectivity ${props.name}: every target needs at least one group id (sub-resource)`);
    this.configuration = new MwsNetworkConnectivityConfig(this, 'Resource', { provider, name: props.name, region: props.region });
    props.targets.forEach((target, index) => {
      for (const groupId of target.groupIds) {
        new MwsNccPrivateEndpointRule(this, `target-${index}-${groupId}`, {
          provider,
          networkConnectivityConfigId: this.configuration.networkConnectivityConfigId,
          resourceId: target.resourceId,
          groupId,
        });
      }
    });
    new MwsNccBinding(this, 'Binding', {
      provider,
      networkConnectivityConfigId: this.configuration.networkConnectivityConfigId,
      workspaceId: Token.asNumber(props.workspaceId),
    });
  }
}
