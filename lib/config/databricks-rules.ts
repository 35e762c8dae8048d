import { lakehouseNameProblems, mlUseCaseNameProblem, servingEndpointNameProblem } from '../naming/composed-names';
import { closestMatch } from '../definition/closest-match';
import { cronProblem } from '../schedules/cron';
import { gitProviderOf, KNOWN_GIT_HOSTS } from './git-provider';
import { quartzCronExpression } from '../schedules/quartz-cron';
import { dbtModelNames } from './dbt-models';
import { DEFAULT_DATABRICKS_RUNTIME } from './defaults';
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
    const runtime = runtimeNumber(env.databricks.runtimeVersion ?? DEFAULT_DATABRICKS_RUNTIME);
    if ((definition.mlUseCases ?? []).length > 0 && runtime !== undefined && runtime < ML_TRAINING_MIN_RUNTIME) {
      issues.push({
        path: ['environments', name, 'databricks', 'runtimeVersion'],
        message:
          `"${env.databricks.runtimeVersion ?? DEFAULT_DATABRICKS_RUNTIME}" cannot run the training jobs of mlUseCases: the scikit-learn and skops ` +
          'they install need numpy 1.25 or later, which Databricks Runtime 16.4 LTS and later ship (on older runtimes pip would replace the ' +
          "runtime's numpy under its pandas); set runtimeVersion to 16.4.x-scala2.12 or later",
      });
    }
    if (env.azure?.warehouse && definition.dbt && runtime !== undefined && runtime < 1504) {
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

/** The training jobs need Databricks Runtime 16.4 or later (as major * 100 + minor). */
const ML_TRAINING_MIN_RUNTIME = 1604;

/** A runtime key's version as major * 100 + minor (`16.4.x-scala2.12` is 1604); undefined for a key of another shape. */
function runtimeNumber(key: string): number | undefined {
  const match = /^(\d+)\.(\d+)\./.exec(key);
  return match ? Number(match[1]) * 100 + Number(match[2]) : undefined;
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
    if (useCase.keys.includes(useCase.label))
      issues.push({
        path: at('label'),
        message: `"${useCase.label}" is also one of keys (${useCase.keys.join(', ')}); the label is what the model predicts, not a row key`,
      });
    const schedule = useCase.trainingSchedule;
    if (schedule !== undefined && !cronProblem(schedule)) {
      try {
        quartzCronExpression(schedule);
      } catch (error) {
        issues.push({ path: at('trainingSchedule'), message: (error as Error).message.replace(/^quartzCronExpression: /, '') });
      }
    }
    useCase.serving?.environments.forEach((environment, i) => {
      const env = definition.environments[environment];
      if (env?.clouds.includes('databricks') && env.databricks) return;
      const withDatabricks = Object.entries(definition.environments)
        .filter(([, candidate]) => candidate.clouds.includes('databricks') && candidate.databricks)
        .map(([candidate]) => candidate);
      issues.push({
        path: at('serving', 'environments', i),
        message:
          `"${environment}" ${env ? 'does not deploy the databricks cloud' : 'is not an environment'}; ` +
          `environments with Databricks: ${withDatabricks.join(', ') || '(none)'}`,
      });
    });
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
    for (const environment of useCase.serving?.environments ?? []) {
      const endpointProblem = servingEndpointNameProblem({ prefix: definition.platform.prefix, environment }, useCase.name);
      if (endpointProblem) issues.push({ path: ['mlUseCases', index, 'name'], message: endpointProblem });
    }
  });
  return issues;
}
