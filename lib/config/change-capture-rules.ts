import { CAPTURED_ENGINES, sourceObject } from '../lake/change-capture';
import { tumblingWindowProblem } from '../schedules/tumbling-window';
import type { ConfigIssue } from './issue';
import { changeDataOf, type PlatformDefinition } from './schema';

/**
 * What CDC capture needs from the definition: a captured dataset (`cdc: true`, database source) keeps its
 * bronze in Parquet (the files DMS and Data Factory land), names its table with its schema (DMS selects
 * by schema and table); the account-wide DMS
 * roles are created by at most one environment per AWS account.
 */
export function changeCaptureIssues(definition: PlatformDefinition): ConfigIssue[] {
  return [...capturedDatasetIssues(definition), ...accountRoleIssues(definition)];
}

const ENGINE_REASONS = {
  aws: 'DMS encrypts an Oracle connection only with a CA certificate, which the platform does not manage',
  azure: 'Data Factory reads PostgreSQL logical decoding and SQL Server CDC; MySQL and Oracle have no change feed it can query',
};

function capturedDatasetIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const environments = Object.values(definition.environments);
  const clouds = (['aws', 'azure'] as const).filter((cloud) => environments.some((env) => env.clouds.includes(cloud)));
  definition.datasets.forEach((dataset, index) => {
    const source = dataset.source;
    if (changeDataOf(dataset) === undefined || source.kind !== 'database') return;
    if (dataset.format !== 'parquet')
      issues.push({
        path: ['datasets', index, 'format'],
        message:
          `is "${dataset.format}"; a cdc: true database dataset must be parquet (its changes arrive as the Parquet files ` + 'the capture service writes)',
      });
    for (const cloud of clouds)
      if (!CAPTURED_ENGINES[cloud].includes(source.engine))
        issues.push({
          path: ['datasets', index, 'source', 'engine'],
          message:
            `is "${source.engine}"; cdc: true on ${cloud.toUpperCase()} captures ${CAPTURED_ENGINES[cloud].join(', ')} (${ENGINE_REASONS[cloud]}); ` +
            'use load: snapshot or changeTrackingColumn',
        });
    const windowProblem = clouds.includes('azure') && source.engine === 'sqlserver' ? tumblingWindowProblem(dataset.schedule) : undefined;
    if (windowProblem) issues.push({ path: ['datasets', index, 'schedule'], message: `"${dataset.schedule}": ${windowProblem}` });
    if (!sourceObject(source.table))
      issues.push({
        path: ['datasets', index, 'source', 'table'],
        message:
          `"${source.table}" has no schema; a cdc: true database dataset names its table as schema.table ` +
          `(e.g. dbo.${source.table}) so that the capture selects it`,
      });
  });
  return issues;
}

function accountRoleIssues(definition: PlatformDefinition): ConfigIssue[] {
  const creators = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const [name, env] of Object.entries(definition.environments)) {
    if (env.aws?.changeCapture?.createAccountRoles !== true) continue;
    const earlier = creators.get(env.aws.account);
    if (earlier !== undefined)
      issues.push({
        path: ['environments', name, 'aws', 'changeCapture', 'createAccountRoles'],
        message:
          `is true in environments ${earlier} and ${name}, which share AWS account ${env.aws.account}; ` +
          'dms-vpc-role and dms-cloudwatch-logs-role exist once per account, so set it in one of them only',
      });
    else creators.set(env.aws.account, name);
  }
  return issues;
}
