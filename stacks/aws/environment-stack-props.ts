import type { StackProps } from 'aws-cdk-lib';
import type { EnvironmentConfig, PlatformConfig } from '../../lib/definition';

/** What every per-environment AWS stack receives: the whole definition and its own environment. */
export interface EnvironmentStackProps extends Omit<StackProps, 'env' | 'stackName'> {
  readonly config: PlatformConfig;
  readonly environment: EnvironmentConfig;
}
