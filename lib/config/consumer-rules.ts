import { closestMatch } from '../definition/closest-match';
import { layerAccess } from '../definition';
import { goldModelLineage } from './dbt-models';
import type { ConfigIssue, ConfigPath } from './issue';
import type { DatasetInput, PlatformDefinition } from './schema';

/**
 * The gold dbt models by name, each with the datasets whose data it holds (`goldModelLineage`), or
 * undefined where the dbt project and the definition disagree and its lineage is unknown.
 */
export type GoldModels = ReadonlyMap<string, readonly string[] | undefined>;

/**
 * What the consumers of gold need from the rest of the definition: every table, group and environment
 * they name exists (with the closest name when not); the groups that reach data through the API or a
 * dashboard already read it in gold, so no consumer widens the definition's access; and no `pii`
 * dataset is exposed or shared unless its entry says `allowPersonalData: true`.
 *
 * `goldModels` is read from the repository's dbt project only when a dashboard or share names models. A
 * model whose lineage is unknown (the project refers to datasets the definition does not have, which
 * `npm run dbt:sources -- --check` refuses) is checked by name only.
 */
export function consumerIssues(definition: PlatformDefinition, goldModels: () => GoldModels = () => goldModelLineage(definition)): ConfigIssue[] {
  const consumers = definition.consumers;
  if (!consumers) return [];
  const check = new Checker(definition);
  apiIssues(definition, check);
  const models: GoldModels = (consumers.dashboards?.length ?? 0) + (consumers.shares?.length ?? 0) > 0 ? goldModels() : new Map();
  dashboardIssues(definition, check, models);
  shareIssues(definition, check, models);
  return check.issues;
}

/** The reference checks every consumer shares: names that must exist, access that must be held, personal data that must be allowed. */
class Checker {
  readonly issues: ConfigIssue[] = [];
  private readonly groups: string[];
  private readonly datasets: ReadonlyMap<string, DatasetInput>;

  constructor(private readonly definition: PlatformDefinition) {
    this.groups = Object.keys(definition.groups);
    this.datasets = new Map(definition.datasets.map((dataset) => [dataset.name, dataset]));
  }

  dataset(name: string): DatasetInput | undefined {
    return this.datasets.get(name);
  }

  /** Reports `value` at `path` when it is not one of `known`, with the closest name and the list. */
  known(value: string, known: readonly string[], what: string, plural: string, path: ConfigPath): boolean {
    if (known.includes(value)) return true;
    const hint = closestMatch(value, known);
    this.issues.push({
      path,
      message: `"${value}" is not ${what}${hint ? ` (did you mean "${hint}"?)` : ''}; ${plural}: ${known.join(', ') || '(none)'}`,
    });
    return false;
  }

  group(value: string, path: ConfigPath): boolean {
    return this.known(value, this.groups, 'a defined group', 'groups', path);
  }

  /** Environments that must exist and use `cloud`. */
  environments(names: readonly string[] | undefined, cloud: 'aws' | 'databricks', path: ConfigPath): void {
    names?.forEach((name, index) => {
      if (!this.known(name, Object.keys(this.definition.environments), 'an environment of the definition', 'environments', [...path, index])) return;
      if (!this.definition.environments[name].clouds.includes(cloud))
        this.issues.push({
          path: [...path, index],
          message: `"${name}" does not use ${cloud} (its clouds: ${this.definition.environments[name].clouds.join(', ')})`,
        });
    });
  }

  /** Reports a group that would see data of `datasets` it may not read in gold; undefined datasets are reported elsewhere. */
  readsGold(group: string, datasets: readonly string[], through: string, path: ConfigPath): void {
    const lacking = datasets.filter((name) => {
      const dataset = this.datasets.get(name);
      if (!dataset) return false;
      const access = { owners: dataset.owners, readers: { bronze: [], silver: [], gold: dataset.readers?.gold ?? [] } };
      return !layerAccess(access, 'gold').has(group);
    });
    if (lacking.length > 0)
      this.issues.push({
        path,
        message:
          `"${group}" may not read ${lacking.join(', ')} in gold, which ${through} would show it; ` +
          `add it to readers.gold of ${lacking.length > 1 ? 'those datasets' : 'that dataset'} or remove it here`,
      });
  }

  /** Reports pii datasets among `datasets` when the entry does not allow personal data. */
  personalData(datasets: readonly string[], allowed: boolean | undefined, what: string, path: ConfigPath): void {
    if (allowed) return;
    const pii = datasets.filter((name) => this.datasets.get(name)?.classification === 'pii');
    if (pii.length > 0)
      this.issues.push({
        path,
        message:
          `${what} data of the pii dataset${pii.length > 1 ? 's' : ''} ${pii.map((name) => `"${name}"`).join(', ')}; ` +
          'set allowPersonalData: true on this entry if that is intended, or remove it',
      });
  }
}

function apiIssues(definition: PlatformDefinition, check: Checker): void {
  const api = definition.consumers?.api;
  if (!api) return;
  check.environments(api.environments, 'aws', ['consumers', 'api', 'environments']);
  const seen = new Map<string, number>();
  api.tables.forEach((table, index) => {
    const at = (...rest: (string | number)[]): ConfigPath => ['consumers', 'api', 'tables', index, ...rest];
    const first = seen.get(table.dataset);
    if (first !== undefined) {
      check.issues.push({ path: at('dataset'), message: `"${table.dataset}" is already exposed by consumers.api.tables[${first}]; expose a table once` });
      return;
    }
    seen.set(table.dataset, index);
    if (
      !check.known(
        table.dataset,
        definition.datasets.map((dataset) => dataset.name),
        'a dataset of the catalogue',
        'datasets',
        at('dataset'),
      )
    )
      return;
    const dataset = check.dataset(table.dataset)!;
    if (dataset.format === 'binary') {
      check.issues.push({
        path: at('dataset'),
        message: `"${dataset.name}" is a binary dataset: it stays in bronze (its files and their manifest table) and has no gold table to expose`,
      });
      return;
    }
    const columns = (dataset.columns ?? []).map((column) => column.name);
    table.filters?.forEach((column, i) => check.known(column, columns, `a column of dataset "${dataset.name}"`, 'columns', at('filters', i)));
    table.groups?.forEach((group, i) => {
      if (check.group(group, at('groups', i))) check.readsGold(group, [dataset.name], 'the API', at('groups', i));
    });
    if ((table.groups ?? []).length + (table.principals ?? []).length === 0)
      check.issues.push({ path: at(), message: `names no group and no principal: nobody could query "${dataset.name}"; add groups or principals` });
    check.personalData([dataset.name], table.allowPersonalData, 'exposes', at('allowPersonalData'));
  });
}

/** The datasets of gold models `tables` (each checked to be a gold model), sorted and unique. */
function datasetsOfModels(check: Checker, models: GoldModels, tables: readonly string[], path: ConfigPath): string[] {
  const datasets = new Set<string>();
  tables.forEach((table, index) => {
    if (check.known(table, [...models.keys()], 'a gold dbt model', 'gold models', [...path, index])) models.get(table)?.forEach((d) => datasets.add(d));
  });
  return [...datasets].sort();
}

function uniqueNames<T extends { readonly name: string }>(check: Checker, entries: readonly T[], list: string): void {
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const first = seen.get(entry.name);
    if (first === undefined) seen.set(entry.name, index);
    else
      check.issues.push({
        path: ['consumers', list, index, 'name'],
        message: `"${entry.name}" is already the name of consumers.${list}[${first}]; names must be unique`,
      });
  });
}

function dashboardIssues(definition: PlatformDefinition, check: Checker, models: GoldModels): void {
  const dashboards = definition.consumers?.dashboards ?? [];
  uniqueNames(check, dashboards, 'dashboards');
  dashboards.forEach((dashboard, index) => {
    const at = (...rest: (string | number)[]): ConfigPath => ['consumers', 'dashboards', index, ...rest];
    const datasets = datasetsOfModels(check, models, dashboard.tables, at('tables'));
    const viewers = [
      ...dashboard.owners.map((group, i) => ({ group, path: at('owners', i) })),
      ...(dashboard.readers ?? []).map((group, i) => ({ group, path: at('readers', i) })),
    ];
    for (const { group, path } of viewers) if (check.group(group, path)) check.readsGold(group, datasets, `dashboard "${dashboard.name}"`, path);
    check.personalData(datasets, dashboard.allowPersonalData, `shows`, at('allowPersonalData'));
  });
}

function shareIssues(definition: PlatformDefinition, check: Checker, models: GoldModels): void {
  const shares = definition.consumers?.shares ?? [];
  uniqueNames(check, shares, 'shares');
  const recipients = new Map<string, { readonly json: string; readonly at: string }>();
  shares.forEach((share, index) => {
    const at = (...rest: (string | number)[]): ConfigPath => ['consumers', 'shares', index, ...rest];
    check.environments(share.environments, 'databricks', at('environments'));
    const datasets = datasetsOfModels(check, models, share.tables, at('tables'));
    check.personalData(datasets, share.allowPersonalData, 'shares', at('allowPersonalData'));
    const names = new Set<string>();
    share.recipients.forEach((recipient, i) => {
      const path = at('recipients', i);
      if (names.has(recipient.name)) check.issues.push({ path: [...path, 'name'], message: `"${recipient.name}" is listed twice in this share` });
      names.add(recipient.name);
      const open = recipient.openSharing === true;
      if (open === (recipient.sharingIdentifier !== undefined))
        check.issues.push({
          path,
          message: `recipient "${recipient.name}" must give exactly one of sharingIdentifier (another Databricks metastore) or openSharing: true (a token)`,
        });
      if (!open && recipient.ipAccessList !== undefined)
        check.issues.push({ path: [...path, 'ipAccessList'], message: 'applies to open-sharing recipients only (openSharing: true)' });
      // A recipient is one object of the metastore: every share naming it must describe the same one.
      const json = JSON.stringify({ ...recipient, description: undefined });
      const other = recipients.get(recipient.name);
      if (other === undefined) recipients.set(recipient.name, { json, at: `consumers.shares[${index}].recipients[${i}]` });
      else if (other.json !== json)
        check.issues.push({
          path,
          message: `recipient "${recipient.name}" differs from ${other.at}; a recipient is one identity, give it the same settings in every share`,
        });
    });
  });
}
