import { isBatch } from '../definition';
import {
  accessTagKey,
  cdkExecutionRoleName,
  dataQualityRoleName,
  domainTagKey,
  glueConnectionName,
  glueSecurityConfigurationName,
  ingestionLogGroupName,
  ingestionRoleName,
  lakeLocationRoleName,
} from '../naming/aws-lake-names';
import { NameError } from '../naming/name-rules';
import { stackPartName } from '../naming/stack-names';
import { closestMatch } from '../definition/closest-match';
import type { ConfigPath } from './issue';
import type { PlatformDefinition } from './schema';

interface LakeIssue {
  readonly path: ConfigPath;
  readonly message: string;
}

/**
 * What the AWS catalog and ingestion stacks need from the definition: every name composed from a domain,
 * a group or a secret fits its service. (How many datasets a domain's stacks hold is lib/limits' concern.)
 */
export function lakeIssues(definition: PlatformDefinition): LakeIssue[] {
  const awsEnvironments = Object.entries(definition.environments).filter(([, env]) => env.clouds.includes('aws') && env.aws);
  if (awsEnvironments.length === 0) return [];
  return [...lakeNameIssues(definition, awsEnvironments), ...lakeAdminIssues(definition, awsEnvironments)];
}

function lakeAdminIssues(definition: PlatformDefinition, environments: Array<[string, PlatformDefinition['environments'][string]]>): LakeIssue[] {
  const groups = Object.keys(definition.groups);
  return environments.flatMap(([name, env]) => {
    const group = env.aws?.lakeAdminGroup;
    if (group === undefined || groups.includes(group)) return [];
    const hint = closestMatch(group, groups);
    return [
      {
        path: ['environments', name, 'aws', 'lakeAdminGroup'],
        message: `"${group}" is not a defined group${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ${groups.join(', ') || '(none defined)'}`,
      },
    ];
  });
}

function lakeNameIssues(definition: PlatformDefinition, environments: Array<[string, PlatformDefinition['environments'][string]]>): LakeIssue[] {
  const issues: LakeIssue[] = [];
  const prefix = definition.platform.prefix;
  const report = (path: ConfigPath, compose: () => string, from: string) => {
    try {
      compose();
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      const message = `${error.message} (composed from ${from}; shorten one of them)`;
      if (!issues.some((issue) => issue.message === message)) issues.push({ path, message });
    }
  };
  for (const [environment, env] of environments) {
    const scope = { prefix, environment };
    const base = `platform.prefix "${prefix}" and environment "${environment}"`;
    for (const compose of [() => glueSecurityConfigurationName(scope), () => lakeLocationRoleName(scope), () => domainTagKey(scope)]) {
      report(['environments', environment], compose, base);
    }
    if (env.aws)
      report(
        ['environments', environment, 'aws'],
        () => cdkExecutionRoleName(env.aws!.account, env.aws!.region),
        `account "${env.aws.account}" and region "${env.aws.region}"`,
      );
    for (const group of Object.keys(definition.groups)) report(['groups', group], () => accessTagKey(scope, group), `${base} and group "${group}"`);
    definition.datasets.forEach((dataset, index) => {
      const from = `${base} and domain "${dataset.domain}"`;
      report(['datasets', index, 'domain'], () => stackPartName(scope, 'catalog', dataset.domain), from);
      report(['datasets', index, 'domain'], () => stackPartName(scope, 'ingestion', dataset.domain), from);
      if (isBatch(dataset)) {
        report(['datasets', index, 'domain'], () => ingestionRoleName(scope, dataset.domain), from);
        report(['datasets', index, 'domain'], () => dataQualityRoleName(scope, dataset.domain), from);
        report(['datasets', index, 'domain'], () => ingestionLogGroupName(scope, dataset.domain), from);
      }
      if (dataset.source.kind === 'database') {
        report(
          ['datasets', index, 'source', 'connectionSecret'],
          () => glueConnectionName(scope, (dataset.source as { connectionSecret: string }).connectionSecret),
          `${base} and source.connectionSecret`,
        );
      }
    });
  }
  return issues;
}
