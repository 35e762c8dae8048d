import { Aspects, Fn, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AwsEnvironment, DatasetConfig, EnvironmentConfig, PlatformConfig } from '../../lib/definition';
import { cdkExecutionRoleName, type NamingScope, type StackConcern, stackName, stackPartName } from '../../lib/naming';
import { StandardTagsAspect } from '../../constructs/aws/standard-tags-aspect';
import { standardTags } from '../../lib/tagging';
import type { DomainShardProps, EnvironmentStackProps } from './environment-stack-props';

/**
 * Base of every per-environment AWS stack: the `<prefix>-<env>-<concern>` name, the environment's
 * account and region, the standard tags, and termination protection in production.
 */
/** Keeps every dataset (the `filter` of `shardDatasets` for stacks that hold every kind). */
export const anyDataset = (dataset: DatasetConfig): dataset is DatasetConfig => dataset !== undefined;

export abstract class EnvironmentStack extends Stack {
  readonly config: PlatformConfig;
  /** The environment of the definition (Stack.environment is CDK's own "aws://account/region"). */
  readonly platformEnvironment: EnvironmentConfig;
  readonly aws: AwsEnvironment;
  readonly naming: NamingScope;

  /**
   * @param part - set when a concern is split over several stacks (e.g. one per domain): the stack is
   *   then named `<prefix>-<env>-<concern>-<part>` (see `stackPartName`).
   */
  protected constructor(scope: Construct, concern: StackConcern, props: EnvironmentStackProps, part?: string) {
    const { config, environment } = props;
    if (!environment.aws) throw new Error(`environment "${environment.name}" has no aws settings; add aws to its clouds and an aws block`);
    const naming = { prefix: config.prefix, environment: environment.name };
    const name = part === undefined ? stackName(naming, concern) : stackPartName(naming, concern, part);
    super(scope, name, {
      ...props,
      stackName: name,
      env: { account: environment.aws.account, region: environment.aws.region },
      terminationProtection: props.terminationProtection ?? environment.policy.terminationProtection,
    });
    this.config = config;
    this.platformEnvironment = environment;
    this.aws = environment.aws;
    this.naming = naming;
    Aspects.of(this).add(new StandardTagsAspect({ tags: standardTags(config, environment) }));
  }

  /**
   * The datasets of one shard of a domain, in definition order, that a per-domain stack holds, among those
   * `filter` keeps; refuses a shard that holds none of them or names a dataset of another domain.
   */
  protected shardDatasets<D extends DatasetConfig>(
    props: DomainShardProps,
    filter: (dataset: DatasetConfig) => dataset is D,
    kind: string,
    domainsLabel: string,
  ): D[] {
    const inDomain = this.config.datasets.filter((dataset) => dataset.domain === props.domain);
    const wanted = props.datasets === undefined ? undefined : new Set(props.datasets);
    for (const name of wanted ?? []) {
      if (!inDomain.some((dataset) => dataset.name === name))
        throw new Error(
          `datasets: "${name}" is not a dataset of domain "${props.domain}"; its datasets: ${inDomain.map((d) => d.name).join(', ') || '(none)'}`,
        );
    }
    const datasets = inDomain.filter(filter).filter((dataset) => wanted === undefined || wanted.has(dataset.name));
    if (datasets.length === 0) {
      const domains = [...new Set(this.config.datasets.filter(filter).map((dataset) => dataset.domain))];
      throw new Error(
        `domain "${props.domain}"${props.shard ? ` (shard ${props.shard})` : ''} has no ${kind}; ${domainsLabel}: ${domains.join(', ') || 'none'}`,
      );
    }
    return datasets;
  }

  /**
   * The lake's administrators: the CDK bootstrap's CloudFormation execution role (deployments) and, when the
   * environment names one (aws.lakeAdminGroup), that group's role. Lake Formation admits them as admins and
   * the locked bronze bucket exempts them from its denies.
   */
  lakeAdministratorRoleArns(): string[] {
    const roleArn = (roleName: string) => this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
    const adminGroup = this.aws.lakeAdminGroup === undefined ? undefined : this.config.groups[this.aws.lakeAdminGroup];
    return [roleArn(cdkExecutionRoleName(this.aws.account, this.aws.region)), ...(adminGroup ? [roleArn(adminGroup.awsRoleName)] : [])];
  }

  /**
   * The first three zones as CloudFormation lists them at deploy time, instead of a context lookup:
   * synth never needs AWS credentials or the network (every current region has at least three).
   */
  override get availabilityZones(): string[] {
    return [0, 1, 2].map((index) => Fn.select(index, Fn.getAzs(this.region)));
  }
}
