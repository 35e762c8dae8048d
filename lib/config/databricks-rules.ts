import { lakehouseNameProblems, mlUseCaseNameProblem } from '../naming/composed-names';
import { closestMatch } from '../definition/closest-match';
import { cronProblem } from '../schedules/cron';
import { gitProviderOf, KNOWN_GIT_HOSTS } from './git-provider';
import { quartzCronExpression } from '../schedules/quartz-cron';
import { dbtModelNames } from './dbt-models';
import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';

/**
 * What the Databricks side needs from the definition: the AzureDatabricks application in production
 * (customer-managed keys), ML use cases that refer to real gold models and groups, and names composed
 * for each Databricks environment that fit their limits.
 */
export function databricksIssues(definition: PlatformDefinition, goldModels: readonly string[] = dbtModelNames('gold')): ConfigIssue[] {
  return [...environmentIssues(definition), ...dbtIssues(definition), ...mlUseCaseIssues(definition, goldModels), ...composedNameIssues(definition)];
}

function dbtIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const url = definition.dbt?.repositoryUrl;
  if (url !== undefined && !gitProviderOf(url)) {
    const host = /^https:\/\/([^/:]+)/.exec(url)?.[1] ?? url;
    issues.push({
      path: ['dbt', 'repositoryUrl'],
      message: `"${url}" is on ${host}, which the Databricks jobs service cannot check out from; hosts: ${KNOWN_GIT_HOSTS}`,
    });
  }
  for (const [name, env] of Object.entries(definition.environments)) {
    const schedule = env.databricks?.dbtSchedule;
    if (schedule === undefined || cronProblem(schedule)) continue;
    try {
      quartzCronExpression(schedule);
    } catch (error) {
      issues.push({ path: ['environments', name, 'databricks', 'dbtSchedule'], message: (error as Error).message.replace(/^quartzCronExpression: /, '') });
    }
  }
  return issues;
}

function environmentIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, env] of Object.entries(definition.environments)) {
    if (!env.databricks || !env.clouds.includes('databricks')) continue;
    if (env.stage === 'production' && !env.databricks.azureDatabricksObjectId) {
      issues.push({
        path: ['environments', name, 'databricks', 'azureDatabricksObjectId'],
        message:
          'is required in a production environment: its workspace encrypts managed services with a customer-managed ' +
          'key that the AzureDatabricks application must be allowed to use (find its object id with: ' +
          'az ad sp show --id 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d --query id)',
      });
    }
    const runtime = /^(\d+)\.(\d+)\./.exec(env.databricks.runtimeVersion ?? '');
    if (env.azure?.warehouse && definition.dbt && runtime && Number(runtime[1]) * 100 + Number(runtime[2]) < 1504) {
      issues.push({
        path: ['environments', name, 'databricks', 'runtimeVersion'],
        message:
          `"${env.databricks.runtimeVersion}" cannot run the dbt job's gold warehouse load, which signs in to Azure SQL through a ` +
          'Unity Catalog service credential: that needs Databricks Runtime 15.4 or later (16.2 or later for the generally available release)',
      });
    }
  }
  return issues;
}

function mlUseCaseIssues(definition: PlatformDefinition, goldModels: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const groups = Object.keys(definition.groups);
  const seen = new Map<string, number>();
  (definition.mlUseCases ?? []).forEach((useCase, index) => {
    const at = (...rest: (string | number)[]) => ['mlUseCases', index, ...rest];
    const first = seen.get(useCase.name);
    if (first !== undefined)
      issues.push({ path: at('name'), message: `"${useCase.name}" is already the name of mlUseCases[${first}]; ML use case names must be unique` });
    else seen.set(useCase.name, index);
    useCase.featureTables.forEach((table, i) => {
      if (goldModels.includes(table)) return;
      const hint = closestMatch(table, [...goldModels]);
      issues.push({
        path: at('featureTables', i),
        message:
          `"${table}" is not a gold dbt model${hint ? ` (did you mean "${hint}"?)` : ''}; gold models: ` +
          `${goldModels.join(', ') || '(none under dbt/models/gold)'}`,
      });
    });
    const check = (group: string, path: (string | number)[]) => {
      if (groups.includes(group)) return;
      const hint = closestMatch(group, groups);
      issues.push({
        path,
        message: `"${group}" is not a defined group${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ${groups.join(', ') || '(none defined)'}`,
      });
    };
    useCase.owners.forEach((group, i) => check(group, at('owners', i)));
    useCase.readers?.forEach((group, i) => check(group, at('readers', i)));
  });
  return issues;
}

function composedNameIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [environment, env] of Object.entries(definition.environments)) {
    if (!env.databricks || !env.azure) continue;
    const input = { scope: { prefix: definition.platform.prefix, environment }, azure: env.azure, databricks: true, datasets: definition.datasets };
    for (const problem of lakehouseNameProblems(input)) issues.push({ path: ['environments', environment], message: problem.message });
  }
  (definition.mlUseCases ?? []).forEach((useCase, index) => {
    const problem = mlUseCaseNameProblem(useCase.name);
    if (problem) issues.push({ path: ['mlUseCases', index, 'name'], message: problem });
  });
  return issues;
}
