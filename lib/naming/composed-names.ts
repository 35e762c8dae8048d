import { Catalogue, isStream, LAYERS } from '../definition';
import { LAKE_AREAS } from '../lake';
import { athenaWorkgroupName, glueDatabaseName, kmsAliasName, s3BucketName } from './aws-names';
import { auditKeyAliasName, auditLogGroupName, auditLogsBucketName, cloudTrailName } from './aws-audit-names';
import { apiAccessTagKey, goldApiName, goldApiRoleName } from './aws-lake-names';
import {
  alertTopicName,
  artifactsBucketName,
  dataQualityRulesetName,
  eksClusterName,
  emrClusterName,
  emrOnEksJobRoleName,
  emrSecurityConfigurationName,
  emrVirtualClusterName,
  glueIngestionJobName,
  mskClusterName,
  pipelineName,
  scheduleGroupName,
  sparkClusterSpecParameterName,
  sparkJobRunName,
  sparkStepName,
} from './aws-job-names';
import {
  adlsFilesystemName,
  AZURE_ABBREVIATIONS,
  type AzureAbbreviatedKind,
  azureResourceName,
  dataFactoryName,
  eventHubsNamespaceName,
  keyVaultName,
  logAnalyticsWorkspaceName,
  resourceGroupName,
  sqlServerName,
  storageAccountName,
  synapseWorkspaceName,
} from './azure-names';
import {
  clusterPolicyName,
  DATABRICKS_NAME_RULES,
  servingEndpointNameOf,
  databricksAccessConnectorName,
  databricksWorkspaceName,
  dbfsStorageAccountName,
  dbtJobName,
  dltPipelineName,
  keyVaultSecretScopeName,
  serverlessConnectivityName,
  sqlWarehouseName,
  unityCatalogName,
} from './databricks-names';
import { NameError, nameProblem } from './name-rules';
import { type NamingScope, STACK_CONCERNS, stackName, terraformStackName } from './stack-names';

/**
 * The names an environment composes, checked before anything is synthesized: every name the stacks
 * will create from the prefix, the environment, the domains and the datasets, on each cloud the
 * environment uses. Naming owns the list; validation (lib/config) places each problem in the definition.
 */

/** What the names of an environment are composed from (the definition's fields, before or after resolution). */
export interface ComposedNamesInput {
  readonly scope: NamingScope;
  readonly aws?: { readonly account: string; readonly region: string };
  readonly azure?: { readonly subscriptionId: string };
  /** Whether the environment has the Databricks lakehouse (which runs on Azure). */
  readonly databricks: boolean;
  readonly datasets: readonly { readonly name: string; readonly domain: string; readonly source: { readonly kind: string } }[];
}

/** A composed name that breaks its cloud's limits, and what it was composed from. */
export interface ComposedNameProblem {
  readonly message: string;
  /** The dataset (index in the catalogue) the name was composed from, if any. */
  readonly dataset?: number;
}

function problemOf(compose: () => string): string | undefined {
  try {
    compose();
    return undefined;
  } catch (error) {
    if (error instanceof NameError) return error.message;
    throw error;
  }
}

/** Why any name the environment composes breaks its cloud's limits; empty when all fit. */
export function composedNameProblems(input: ComposedNamesInput): ComposedNameProblem[] {
  const { scope, aws, azure, databricks, datasets } = input;
  const from = `platform.prefix "${scope.prefix}" and environment "${scope.environment}"`;
  const environmentWide: Array<[() => string, string]> = [];
  const add = (detail: string, ...names: Array<() => string>) => environmentWide.push(...names.map((name): [() => string, string] => [name, detail]));
  for (const concern of STACK_CONCERNS) {
    if (aws) add('', () => stackName(scope, concern));
    if (azure) add('', () => terraformStackName(scope, 'azure', concern));
    if (databricks) add('', () => terraformStackName(scope, 'databricks', concern));
  }
  const problems: ComposedNameProblem[] = [];
  if (aws) {
    const { account, region } = aws;
    add(
      '',
      () => s3BucketName(scope, 'access-logs', account, region),
      () => kmsAliasName(scope, 'data'),
    );
    add(
      '',
      () => auditLogsBucketName(scope, account, region),
      () => auditKeyAliasName(scope),
      () => cloudTrailName(scope),
      () => auditLogGroupName(scope),
    );
    add(
      '',
      () => s3BucketName(scope, 'athena-results', account, region),
      () => athenaWorkgroupName(scope),
      () => artifactsBucketName(scope, account, region),
    );
    add(
      '',
      () => scheduleGroupName(scope),
      () => alertTopicName(scope),
      () => kmsAliasName(scope, 'operations'),
    );
    add(
      '',
      () => emrClusterName(scope),
      () => mskClusterName(scope),
    );
    add(
      '',
      () => emrSecurityConfigurationName(scope),
      () => eksClusterName(scope),
      () => emrVirtualClusterName(scope),
      () => emrOnEksJobRoleName(scope),
      () => sparkClusterSpecParameterName(scope),
    );
    add(
      '',
      () => goldApiName(scope),
      () => goldApiRoleName(scope),
      () => apiAccessTagKey(scope),
    );
    datasets.forEach((dataset, index) => {
      const names = [() => pipelineName(scope, dataset.domain), () => sparkStepName(scope, dataset.domain), () => sparkJobRunName(scope, dataset.domain)];
      if (!isStream(dataset)) names.push(() => glueIngestionJobName(scope, dataset.name));
      names.push(() => dataQualityRulesetName(scope, dataset.name));
      for (const compose of names) {
        const problem = problemOf(compose);
        if (problem === undefined) continue;
        const message =
          `${problem} (composed from platform.prefix "${scope.prefix}", environment "${scope.environment}", ` +
          `domain "${dataset.domain}" and dataset "${dataset.name}"; shorten one of them)`;
        if (!problems.some((known) => known.message === message)) problems.push({ message, dataset: index });
      }
    });
    for (const layer of LAYERS)
      add(
        '',
        () => s3BucketName(scope, layer, account, region),
        () => glueDatabaseName(scope, layer),
      );
  }
  if (azure) {
    const { subscriptionId } = azure;
    add(
      '',
      () => storageAccountName(scope, subscriptionId),
      () => resourceGroupName(scope, 'data'),
    );
    add(
      '',
      () => keyVaultName(scope, subscriptionId),
      () => logAnalyticsWorkspaceName(scope),
      () => eventHubsNamespaceName(scope, subscriptionId),
    );
    add(
      '',
      () => dataFactoryName(scope, subscriptionId),
      () => sqlServerName(scope, subscriptionId),
      () => synapseWorkspaceName(scope, subscriptionId),
    );
    for (const concern of STACK_CONCERNS) add('', () => resourceGroupName(scope, concern));
    for (const kind of Object.keys(AZURE_ABBREVIATIONS) as AzureAbbreviatedKind[]) add('', () => azureResourceName(scope, kind, 'private-endpoints'));
    for (const area of LAKE_AREAS) add('', () => adlsFilesystemName(area));
  }
  if (databricks) add('', () => unityCatalogName(scope));
  for (const [compose, detail] of environmentWide) {
    const problem = problemOf(compose);
    if (problem !== undefined) problems.push({ message: `${problem} (composed from ${from}${detail}; shorten one of them)` });
  }
  return problems;
}

/** Why any name of the environment's lakehouse (workspace, jobs, policies, pipelines per stream domain) breaks its limits. */
export function lakehouseNameProblems(input: ComposedNamesInput & { readonly azure: { readonly subscriptionId: string } }): ComposedNameProblem[] {
  const { scope, azure } = input;
  const streamDomains = Catalogue.of(input).streamDomains();
  const candidates: Array<[() => string, string]> = [
    [() => databricksWorkspaceName(scope), ''],
    [() => databricksAccessConnectorName(scope), ''],
    [() => dbfsStorageAccountName(scope, azure.subscriptionId), ''],
    [() => dbtJobName(scope), ''],
    [() => clusterPolicyName(scope, 'interactive'), ''],
    [() => sqlWarehouseName(scope), ''],
    [() => keyVaultSecretScopeName(scope), ''],
    [() => serverlessConnectivityName(scope), ''],
    ...streamDomains.map((domain): [() => string, string] => [() => dltPipelineName(scope, domain), `, domain "${domain}"`]),
  ];
  return candidates.flatMap(([compose, detail]) => {
    const problem = problemOf(compose);
    return problem === undefined
      ? []
      : [{ message: `${problem} (composed from platform.prefix "${scope.prefix}", environment "${scope.environment}"${detail}; shorten one of them)` }];
  });
}

/** Why a dataset's name cannot name its Unity Catalog tables, or undefined. */
export function datasetNameProblem(name: string): string | undefined {
  return nameProblem(name, DATABRICKS_NAME_RULES.unityCatalogIdentifier);
}

/** Why an ML use case's name cannot name its Databricks objects, or undefined. */
export function mlUseCaseNameProblem(name: string): string | undefined {
  return nameProblem(name, DATABRICKS_NAME_RULES.databricksObject);
}

/** Why the serving endpoint of an ML use case in an environment cannot have its composed name, or undefined. */
export function servingEndpointNameProblem(scope: NamingScope, useCase: string): string | undefined {
  const problem = nameProblem(servingEndpointNameOf(scope, useCase), DATABRICKS_NAME_RULES.servingEndpoint);
  return (
    problem && `${problem} (composed from platform.prefix "${scope.prefix}", environment "${scope.environment}" and the use case name; shorten one of them)`
  );
}
