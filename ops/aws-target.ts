import type { EnvironmentConfig, PlatformConfig } from '../lib/definition';
import { type NamingScope, pipelineName } from '../lib/naming';
import { unknownChoiceError } from './choices';
import { UsageError } from './errors';

/** An environment that has an AWS side, with everything needed to name and reach its resources. */
export interface AwsTarget {
  readonly config: PlatformConfig;
  readonly environment: EnvironmentConfig;
  readonly scope: NamingScope;
  readonly account: string;
  readonly region: string;
}

/** The environment called `name`; a UsageError naming the valid ones (with a did-you-mean) otherwise. */
export function environmentNamed(config: PlatformConfig, name: string): EnvironmentConfig {
  const environment = config.environments.find((env) => env.name === name);
  if (!environment)
    throw unknownChoiceError(
      'environment',
      name,
      config.environments.map((env) => env.name),
    );
  return environment;
}

/** Environments whose clouds include aws. */
export function awsEnvironments(config: PlatformConfig): EnvironmentConfig[] {
  return config.environments.filter((env) => env.clouds.includes('aws') && env.aws !== undefined);
}

/** The AWS side of environment `name`; a UsageError when it does not exist or does not use AWS. */
export function awsTarget(config: PlatformConfig, name: string): AwsTarget {
  const environment = environmentNamed(config, name);
  if (!environment.clouds.includes('aws') || !environment.aws) {
    const withAws = awsEnvironments(config).map((env) => env.name);
    throw new UsageError(
      `environment "${name}" does not use AWS (its clouds: ${environment.clouds.join(', ')}); Glue ` +
        `and EMR commands need an environment with aws in its clouds: ${withAws.join(', ') || '(none in this definition)'}`,
    );
  }
  return { config, environment, scope: { prefix: config.prefix, environment: name }, account: environment.aws.account, region: environment.aws.region };
}

/** The AWS partition of a region: `aws-cn` for cn-*, `aws-us-gov` for us-gov-*, else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The ARN of a pipeline's Step Functions state machine (named by `pipelineName`), the one its schedules start. */
export function stateMachineArn(target: AwsTarget, pipeline: string): string {
  return `arn:${partitionOf(target.region)}:states:${target.region}:${target.account}:stateMachine:${pipelineName(target.scope, pipeline)}`;
}
