import type { StackProps } from 'aws-cdk-lib';
import type { EnvironmentScope } from '../../lib/definition';

/** What every per-environment AWS stack receives: the whole definition and its own environment. */
export interface EnvironmentStackProps extends EnvironmentScope, Omit<StackProps, 'env' | 'stackName'> {}
