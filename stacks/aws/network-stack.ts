import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { DATA_PLATFORM_INTERFACE_ENDPOINTS, DataPlatformNetwork, KUBERNETES_INTERFACE_ENDPOINTS } from '../../constructs/aws';
import { goldApiInterfaceEndpoints } from '../../constructs/aws/gold-api';
import { deploysGoldApi } from '../../lib/definition';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface NetworkStackProps extends EnvironmentStackProps {
  /** The environment's data key (from the storage stack), for the flow-log group. */
  readonly encryptionKey: IKey;
}

/**
 * `<prefix>-<env>-network`: the private network every job and cluster of the environment runs in, with the
 * interface endpoints they need (and, where the environment deploys the gold API, its function's and callers').
 */
export class NetworkStack extends EnvironmentStack {
  readonly network: DataPlatformNetwork;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, 'network', {
      description: `Private network (isolated subnets, flow logs, VPC endpoints) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const api = this.config.consumers.api;
    this.network = new DataPlatformNetwork(this, 'Network', {
      region: this.aws.region,
      cidr: this.aws.vpcCidr,
      maxAzs: this.platformEnvironment.policy.awsAvailabilityZones,
      encryptionKey: props.encryptionKey,
      interfaceEndpoints: [
        ...DATA_PLATFORM_INTERFACE_ENDPOINTS,
        ...(this.aws.kubernetes.enabled ? KUBERNETES_INTERFACE_ENDPOINTS : []),
        ...(api && deploysGoldApi(this.config, this.platformEnvironment) ? goldApiInterfaceEndpoints(api.endpointType) : []),
      ],
      removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
