import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Construct } from 'constructs';
export interface ServicePrivateEndpointProps {
  /** Name of the private endpoint; its network interface is named `<name>-nic`. */
  readonly name: string;
  /** Resource group of the endpoint (usually the resource group of the service it serves). */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Id of the service (storage account, vault, namespace...) the endpoint connects to. */
  readonly targetResourceId: string;
  /** The sub-resource (group id) of the service, e.g. `dfs`, `blob`, `vault`, `namespace`, `Sql`. */
  readonly subresource: string;
  /** Id of the subnet the endpoint's address comes from. */
  readonly subnetId: string;
  /** Id of the private DNS zone the endpoint registers its address in. */
  readonly privateDnsZoneId: string;
}

/**
 * A private endpoint for one sub-resource of a service, registered in the sub-resource's private DNS
 * zone. It lives beside the service it serves (same stack), so that it is created and destroyed with
 * the service and checkov sees the connection; the subnet and zone come from the network stack by id.
 */
export class ServicePrivateEndpoint extends Construct {
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: ServicePrivateEndpointProps) {
    super(scope, id);
    this.endpoint = new PrivateEndpoint(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.subnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: `${props.name}-connection`,
        privateConnectionResourceId: props.targetResourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [props.privateDnsZoneId] },
    });
  }
}
