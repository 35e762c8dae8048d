import { composedNameProblems, datasetNameProblem } from '../naming/composed-names';
import { eventHubName } from '../naming/azure-names';
import { STAGE_DEFAULTS } from './stage-policy';
import { lakeIssues } from './lake-rules';
import { changeCaptureIssues } from './change-capture-rules';
import { accessIssues } from './access-rules';
import { auditIssues } from './audit-rules';
import { budgetIssues } from './budget-rules';
import { cicdIssues } from './cicd-rules';
import { consumerIssues } from './consumer-rules';
import { closestMatch } from '../definition/closest-match';
import { databricksIssues } from './databricks-rules';
import { streamSchemaIssues } from './stream-schema-rules';
import { STREAM_MESSAGE_FORMATS } from '../lake/stream-arguments';
import { schedulerCronProblem } from '../schedules/scheduler-cron';
import { CONTINUOUS } from '../definition';
import { cronProblem } from '../schedules/cron';
import { dataFactoryScheduleProblem } from '../schedules/data-factory-recurrence';
import type { ConfigIssue, ConfigPath } from './issue';
import { lifecycleOrderViolations, mergeLifecycle } from './lifecycle';
import { changeDataOf, type DatasetInput, type EnvironmentInput, type PlatformDefinition } from './schema';
import { type BronzeLockMode, LAYERS } from '../definition';
import { isStream } from '../definition';

export type { ConfigIssue } from './issue';

/**
 * Rules that relate parts of the definition to each other. They run on a definition that already
 * matches the schema, and each returns every problem it finds rather than stopping at the first.
 */
export function crossFieldIssues(definition: PlatformDefinition): ConfigIssue[] {
  return [
    ...environmentIssues(definition),
    ...datasetIssues(definition),
    ...composedNameIssues(definition),
    ...azureIssues(definition),
    ...streamSchemaIssues(definition),
    ...databricksIssues(definition),
    ...lakeIssues(definition),
    ...changeCaptureIssues(definition),
    ...accessIssues(definition),
    ...awsPipelineIssues(definition),
    ...auditIssues(definition),
    ...cicdIssues(definition),
    ...budgetIssues(definition),
    ...consumerIssues(definition),
  ];
}

function environmentIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = Object.keys(definition.environments);
  if (names.length === 0) issues.push({ path: ['environments'], message: 'must define at least one environment' });
  for (const [name, env] of Object.entries(definition.environments)) {
    const at = (...rest: (string | number)[]) => ['environments', name, ...rest];
    for (const cloud of ['aws', 'azure', 'databricks'] as const) {
      const uses = env.clouds.includes(cloud);
      if (uses && !env[cloud]) issues.push({ path: at(cloud), message: `is required because clouds includes "${cloud}"` });
      if (!uses && env[cloud])
        issues.push({ path: at(cloud), message: `is given but clouds does not include "${cloud}"; add "${cloud}" to clouds or remove this block` });
    }
    if (env.clouds.includes('databricks') && !env.clouds.includes('azure')) {
      issues.push({ path: at('clouds'), message: 'includes "databricks" without "azure"; the Databricks workspace runs on Azure' });
    }
    if (env.stage === 'production' && env.dataProtection.onDelete !== 'retain') {
      issues.push({
        path: at('dataProtection', 'onDelete'),
        message: `"${env.dataProtection.onDelete}" is not allowed in a production environment; production must be "retain" so that data is never destroyed`,
      });
    } else if (env.dataProtection.onDelete === 'destroy' && bronzeLockModeOf(env) === 'compliance') {
      issues.push({
        path: at('dataProtection', 'onDelete'),
        message:
          `"destroy" contradicts bronzeLockMode "compliance": nobody can lift a compliance-mode lock, so the bronze bucket ` +
          `and filesystem cannot be emptied or destroyed before every object's retention ends; use "retain", or bronzeLockMode "governance"`,
      });
    }
    const kubernetesAdmin = env.aws?.kubernetes?.adminGroup;
    if (kubernetesAdmin !== undefined && !Object.hasOwn(definition.groups, kubernetesAdmin)) {
      const hint = closestMatch(kubernetesAdmin, Object.keys(definition.groups));
      issues.push({
        path: at('aws', 'kubernetes', 'adminGroup'),
        message:
          `"${kubernetesAdmin}" is not a defined group${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ` +
          `${Object.keys(definition.groups).join(', ') || '(none defined)'}`,
      });
    }
    const sizing = env.sizing;
    if (sizing?.sparkMinWorkers !== undefined && sizing.sparkMaxWorkers !== undefined && sizing.sparkMinWorkers > sizing.sparkMaxWorkers) {
      issues.push({
        path: at('sizing', 'sparkMaxWorkers'),
        message: `(${sizing.sparkMaxWorkers}) must be at least sparkMinWorkers (${sizing.sparkMinWorkers})`,
      });
    }
  }
  return [...issues, ...lifecycleIssues(definition)];
}

/**
 * Lifecycle ordering per environment and layer. A bad value inherited from the top-level lifecycle is
 * reported once, naming the environments it breaks, not once per environment.
 */
function lifecycleIssues(definition: PlatformDefinition): ConfigIssue[] {
  const found = new Map<string, { path: ConfigPath; message: string; environments: string[] }>();
  for (const [envName, env] of Object.entries(definition.environments)) {
    for (const issue of environmentLifecycleIssues(definition, envName, env)) {
      const key = `${issue.path.join('.')}|${issue.message}`;
      const entry = found.get(key) ?? { ...issue, environments: [] };
      entry.environments.push(envName);
      found.set(key, entry);
    }
  }
  return [...found.values()].map(({ path, message, environments }) =>
    path[0] === 'environments'
      ? { path, message }
      : { path, message: `${message} (in environment${environments.length > 1 ? 's' : ''} ${environments.join(', ')})` },
  );
}

function environmentLifecycleIssues(definition: PlatformDefinition, envName: string, env: EnvironmentInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const layer of LAYERS) {
    const { value, origin } = mergeLifecycle(definition, envName, env, layer);
    for (const violation of lifecycleOrderViolations(value)) {
      const where = origin[violation.field] ?? ['environments', envName, 'lifecycle', layer, violation.field];
      issues.push({ path: where, message: `(${violation.days}) must be greater than ${violation.earlierField} (${violation.earlierDays})` });
    }
    const { expireAfterDays, retainDays } = value;
    if (expireAfterDays !== undefined && retainDays !== undefined && expireAfterDays < retainDays) {
      // Noncurrent-version expiry is not compared: S3 and Azure skip a locked version and delete it once its lock ends.
      const where = origin.expireAfterDays ?? ['environments', envName, 'lifecycle', layer, 'expireAfterDays'];
      issues.push({
        path: where,
        message:
          `(${expireAfterDays}) must be at least retainDays (${retainDays}${origin.retainDays ? '' : ', the default'}): ` +
          `${layer} objects stay locked for retainDays, so they cannot expire earlier; raise expireAfterDays or lower retainDays`,
      });
    }
  }
  return issues;
}

/** The environment's bronze lock mode: its own, else its stage's default. */
function bronzeLockModeOf(env: EnvironmentInput): BronzeLockMode {
  return env.dataProtection.bronzeLockMode ?? STAGE_DEFAULTS[env.stage].bronzeLockMode;
}

function datasetIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  const topics = new Map<string, number>();
  const groups = Object.keys(definition.groups);
  definition.datasets.forEach((dataset, index) => {
    const at = (...rest: (string | number)[]) => ['datasets', index, ...rest];
    const first = seen.get(dataset.name);
    if (first !== undefined)
      issues.push({ path: at('name'), message: `"${dataset.name}" is already the name of datasets[${first}]; dataset names must be unique` });
    else seen.set(dataset.name, index);
    issues.push(...columnReferenceIssues(dataset, at));
    issues.push(...groupReferenceIssues(dataset, groups, at));
    issues.push(...sourceIssues(dataset, at));
    issues.push(...historyIssues(definition, dataset, at));
    if (isStream(dataset)) {
      const topic = dataset.source.topic;
      const owner = topics.get(topic);
      if (owner !== undefined)
        issues.push({
          path: at('source', 'topic'),
          message: `"${topic}" is already the topic of datasets[${owner}]; each stream dataset needs a topic of its own`,
        });
      else topics.set(topic, index);
    }
  });
  return issues;
}

/**
 * SCD type 2 (every version of a key) is kept by the Databricks stream pipeline's AUTO CDC only: the
 * silver step on AWS and the batch paths keep the current row of each key.
 */
function historyIssues(definition: PlatformDefinition, dataset: DatasetInput, at: (...rest: (string | number)[]) => ConfigPath): ConfigIssue[] {
  if (changeDataOf(dataset)?.scdType !== 2) return [];
  const path = at('cdc', 'scdType');
  const kept = 'SCD type 2 history is kept by the Databricks stream pipeline (AUTO CDC) only';
  if (!isStream(dataset)) return [{ path, message: `(2) is not available for a ${dataset.source.kind} source: ${kept}; use 1 (the current row of each key)` }];
  const onAws = Object.entries(definition.environments)
    .filter(([, environment]) => environment.clouds.includes('aws'))
    .map(([name]) => name);
  if (onAws.length === 0) return [];
  return [
    {
      path,
      message:
        `(2) is not available in environments that deploy to AWS (${onAws.join(', ')}): ${kept}, and the silver step on AWS keeps ` +
        'the current row of each key; use 1, or deploy those environments to azure and databricks only',
    },
  ];
}

function columnReferenceIssues(dataset: DatasetInput, at: (...rest: (string | number)[]) => ConfigPath): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const columns = dataset.columns.map((c) => c.name);
  const unknown = (name: string) => {
    const hint = closestMatch(name, columns);
    return `"${name}" is not a column of this dataset${hint ? ` (did you mean "${hint}"?)` : ''}; columns: ${columns.join(', ')}`;
  };
  dataset.columns.forEach((column, i) => {
    if (columns.indexOf(column.name) !== i) issues.push({ path: at('columns', i, 'name'), message: `"${column.name}" is defined more than once` });
  });
  dataset.keys.forEach((key, i) => {
    const column = dataset.columns.find((c) => c.name === key);
    if (!column) issues.push({ path: at('keys', i), message: unknown(key) });
    else if (column.nullable === true) issues.push({ path: at('keys', i), message: `"${key}" is a key, so its column cannot be nullable` });
  });
  dataset.quality?.forEach((rule, i) => {
    const referenced = rule.rule === 'unique' ? rule.columns : 'column' in rule ? [rule.column] : [];
    referenced.forEach((name) => {
      if (!columns.includes(name)) issues.push({ path: at('quality', i, rule.rule === 'unique' ? 'columns' : 'column'), message: unknown(name) });
    });
    if (rule.rule === 'range') {
      if (rule.min === undefined && rule.max === undefined) issues.push({ path: at('quality', i), message: 'a range rule needs min, max or both' });
      if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
        issues.push({ path: at('quality', i, 'max'), message: `(${rule.max}) must be at least min (${rule.min})` });
    }
    if (rule.rule === 'row_count' && rule.max !== undefined && rule.min > rule.max) {
      issues.push({ path: at('quality', i, 'max'), message: `(${rule.max}) must be at least min (${rule.min})` });
    }
  });
  const piiColumns = dataset.columns.filter((c) => c.pii).map((c) => c.name);
  if (piiColumns.length > 0 && dataset.classification !== 'pii') {
    issues.push({
      path: at('classification'),
      message: `"${dataset.classification}" is too low: columns ${piiColumns.join(', ')} are marked pii, so the dataset must be classified "pii"`,
    });
  }
  return issues;
}

function groupReferenceIssues(dataset: DatasetInput, groups: string[], at: (...rest: (string | number)[]) => ConfigPath): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (group: string, path: ConfigPath) => {
    if (groups.includes(group)) return;
    const hint = closestMatch(group, groups);
    issues.push({
      path,
      message: `"${group}" is not a defined group${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ${groups.join(', ') || '(none defined)'}`,
    });
  };
  dataset.owners.forEach((group, i) => check(group, at('owners', i)));
  for (const layer of LAYERS) dataset.readers?.[layer]?.forEach((group, i) => check(group, at('readers', layer, i)));
  return issues;
}

function sourceIssues(dataset: DatasetInput, at: (...rest: (string | number)[]) => ConfigPath): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const streaming = isStream(dataset);
  if (streaming && dataset.schedule !== CONTINUOUS) {
    issues.push({ path: at('schedule'), message: `"${dataset.schedule}" is not allowed for a stream source; stream datasets must be "${CONTINUOUS}"` });
  }
  if (!streaming && dataset.schedule === CONTINUOUS) {
    issues.push({
      path: at('schedule'),
      message: `"${CONTINUOUS}" is only for stream sources; a ${dataset.source.kind} source needs a five-field cron expression`,
    });
  }
  if (streaming && !['json', 'avro'].includes(dataset.format)) {
    issues.push({ path: at('format'), message: `"${dataset.format}" is not a message format; stream datasets must be json or avro` });
  }
  if (dataset.source.kind === 'database') issues.push(...databaseLoadIssues(dataset, dataset.source, at));
  return issues;
}

/** Column types a change-tracking column may have: ones that order every change (Glue bookmark keys). */
const CHANGE_TRACKING_TYPES = /^(int|bigint|timestamp|decimal\(\d{1,2},0\))$/;

/**
 * How a database dataset finds what changed: CDC events (bookmarked on `_change_seq`), a change-tracking
 * column, or a full snapshot each run. A bookmark on the keys alone would never read an updated row again.
 */
function databaseLoadIssues(
  dataset: DatasetInput,
  source: { readonly changeTrackingColumn?: string; readonly load?: string },
  at: (...rest: (string | number)[]) => ConfigPath,
): ConfigIssue[] {
  const tracking = source.changeTrackingColumn;
  if (changeDataOf(dataset) !== undefined) {
    if (tracking !== undefined)
      return [{ path: at('source', 'changeTrackingColumn'), message: `is not used with cdc: true (change events are read by _change_seq); remove it` }];
    if (source.load !== undefined)
      return [{ path: at('source', 'load'), message: `is not used with cdc: true (change events are read by _change_seq); remove it` }];
    return [];
  }
  if (source.load === 'snapshot') {
    return tracking === undefined
      ? []
      : [{ path: at('source', 'changeTrackingColumn'), message: `is not used with load: snapshot (the whole table is read every run); remove one of them` }];
  }
  if (tracking === undefined) {
    return [
      {
        path: at('source'),
        message:
          'a database source without cdc needs changeTrackingColumn (a column every insert and update sets to a strictly increasing value) ' +
          'or load: snapshot; a bookmark on the keys alone never reads an updated row again',
      },
    ];
  }
  const column = dataset.columns.find((c) => c.name === tracking);
  const columns = dataset.columns.map((c) => c.name);
  if (!column) {
    const hint = closestMatch(tracking, columns);
    return [
      {
        path: at('source', 'changeTrackingColumn'),
        message: `"${tracking}" is not a column of this dataset${hint ? ` (did you mean "${hint}"?)` : ''}; columns: ${columns.join(', ')}`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  if (!CHANGE_TRACKING_TYPES.test(column.type))
    issues.push({
      path: at('source', 'changeTrackingColumn'),
      message: `"${tracking}" is a ${column.type} column; a change-tracking column must be int, bigint, timestamp or decimal(p,0)`,
    });
  if (column.nullable !== false && !dataset.keys.includes(tracking))
    issues.push({ path: at('source', 'changeTrackingColumn'), message: `"${tracking}" is nullable; a change-tracking column must be nullable: false` });
  return issues;
}

/** Every name the definition composes, per environment, checked against its cloud's limits. */
function composedNameIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [environment, env] of Object.entries(definition.environments)) {
    const input = {
      scope: { prefix: definition.platform.prefix, environment },
      aws: env.aws,
      azure: env.azure,
      databricks: env.databricks !== undefined,
      datasets: definition.datasets,
    };
    for (const problem of composedNameProblems(input))
      issues.push({ path: problem.dataset === undefined ? ['environments', environment] : ['datasets', problem.dataset], message: problem.message });
  }
  for (const [index, dataset] of definition.datasets.entries()) {
    const problem = datasetNameProblem(dataset.name);
    if (problem) issues.push({ path: ['datasets', index, 'name'], message: problem });
  }
  return issues;
}

/** Event Hubs limits per tier (partitions per event hub, hours of retention), from the Event Hubs quotas. */
const EVENT_HUBS_LIMITS = {
  Standard: { partitions: 32, retentionHours: 7 * 24 },
  Premium: { partitions: 100, retentionHours: 90 * 24 },
} as const;

/**
 * What the Azure side of an environment needs from the definition: alert receivers in production, and
 * stream datasets that its Event Hubs tier can hold (a topic becomes an event hub of the same name).
 */
function azureIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const azureEnvironments = Object.entries(definition.environments).filter(([, env]) => env.clouds.includes('azure') && env.azure);
  for (const [name, env] of azureEnvironments) {
    for (const service of ['warehouse', 'analytics'] as const) {
      const adminGroup = env.azure?.[service]?.adminGroup;
      if (adminGroup === undefined) continue;
      const path = ['environments', name, 'azure', service, 'adminGroup'];
      const group = definition.groups[adminGroup];
      if (!group) {
        const hint = closestMatch(adminGroup, Object.keys(definition.groups));
        issues.push({
          path,
          message:
            `"${adminGroup}" is not a defined group${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ` +
            `${Object.keys(definition.groups).join(', ') || '(none defined)'}`,
        });
      } else if (!group.entraObjectId) {
        issues.push({
          path,
          message: `"${adminGroup}" has no entraObjectId; the ${service} admin is an Entra ID group, so set groups.${adminGroup}.entraObjectId`,
        });
      }
    }
    if (env.stage === 'production' && (env.azure?.monitoring?.alertEmails ?? []).length === 0) {
      issues.push({
        path: ['environments', name, 'azure', 'monitoring', 'alertEmails'],
        message: 'must name at least one email address in a production environment, so that failed pipelines reach someone',
      });
    }
  }
  definition.datasets.forEach((dataset, index) => {
    if (azureEnvironments.length === 0) return;
    if (!isStream(dataset) && dataset.schedule !== CONTINUOUS && cronProblem(dataset.schedule) === undefined) {
      const problem = dataFactoryScheduleProblem(dataset.schedule);
      const names = azureEnvironments.map(([name]) => name).join(', ');
      if (problem)
        issues.push({
          path: ['datasets', index, 'schedule'],
          message: `"${dataset.schedule}" cannot be a Data Factory schedule trigger (Azure environments: ${names}): ${problem}`,
        });
    }
    if (dataset.source.kind !== 'stream') return;
    const source = dataset.source;
    const at = (...rest: (string | number)[]) => ['datasets', index, 'source', ...rest];
    const problem = (() => {
      try {
        eventHubName(source.topic);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    })();
    if (problem) issues.push({ path: at('topic'), message: `${problem}; on Azure a stream's event hub is named after its topic` });
    for (const [envName, env] of azureEnvironments) {
      const sku = env.azure?.streaming?.sku ?? STAGE_DEFAULTS[env.stage].eventHubsSku;
      const limits = EVENT_HUBS_LIMITS[sku];
      if (source.partitions !== undefined && source.partitions > limits.partitions) {
        issues.push({
          path: at('partitions'),
          message:
            `(${source.partitions}) is more than an Event Hubs ${sku} event hub can have (${limits.partitions}) ` +
            `in environment ${envName}; lower it or set environments.${envName}.azure.streaming.sku to ` +
            `Premium`,
        });
      }
      if (source.retentionHours !== undefined && source.retentionHours > limits.retentionHours) {
        issues.push({
          path: at('retentionHours'),
          message:
            `(${source.retentionHours}) is longer than Event Hubs ${sku} keeps events (${limits.retentionHours} ` +
            `hours) in environment ${envName}; lower it or use the Premium tier`,
        });
      }
    }
  });
  return issues;
}

/**
 * What the AWS side of an environment needs from the definition: alert receivers in production, and
 * batch schedules that one EventBridge Scheduler cron expression can hold.
 */
function awsPipelineIssues(definition: PlatformDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const awsEnvironments = Object.entries(definition.environments).filter(([, env]) => env.clouds.includes('aws') && env.aws);
  for (const [name, env] of awsEnvironments) {
    if (env.stage === 'production' && (env.aws?.monitoring?.alertEmails ?? []).length === 0) {
      issues.push({
        path: ['environments', name, 'aws', 'monitoring', 'alertEmails'],
        message: 'must name at least one email address in a production environment, so that failed pipelines reach someone',
      });
    }
    const kubernetesEnabled = env.aws?.kubernetes?.enabled ?? STAGE_DEFAULTS[env.stage].kubernetesEnabled;
    if (env.aws?.pipelines?.sparkRuntime === 'kubernetes' && !kubernetesEnabled) {
      issues.push({
        path: ['environments', name, 'aws', 'pipelines', 'sparkRuntime'],
        message:
          `"kubernetes" needs the environment's EMR on EKS virtual cluster, which it does not have ` +
          `(aws.kubernetes.enabled is ${env.aws?.kubernetes?.enabled === undefined ? `false by default in ${env.stage}` : 'false'}); ` +
          'set aws.kubernetes.enabled: true, or use "emr"',
      });
    }
  }
  if (awsEnvironments.length === 0) return issues;
  const names = awsEnvironments.map(([name]) => name).join(', ');
  definition.datasets.forEach((dataset, index) => {
    if (isStream(dataset) && !(STREAM_MESSAGE_FORMATS as readonly string[]).includes(dataset.format)) {
      issues.push({
        path: ['datasets', index, 'format'],
        message:
          `"${dataset.format}" cannot be streamed into bronze on AWS (AWS environments: ${names}); the ` +
          `Glue streaming job reads ${STREAM_MESSAGE_FORMATS.join(', ')} messages`,
      });
    }
    if (dataset.schedule === CONTINUOUS || cronProblem(dataset.schedule) !== undefined) return;
    const problem = schedulerCronProblem(dataset.schedule);
    if (problem)
      issues.push({
        path: ['datasets', index, 'schedule'],
        message: `"${dataset.schedule}" cannot be an EventBridge Scheduler schedule (AWS environments: ${names}): ${problem}`,
      });
  });
  return issues;
}
