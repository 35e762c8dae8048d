import { awsPartition, deploysGoldApi, type EnvironmentConfig, type PlatformConfig } from '../definition';
import { apiAccessTagKey, glueDatabaseName, goldApiRoleName, type NamingScope } from '../naming';

/**
 * The gold API's part of the access plan in one environment: the gold tables it may read (exactly those
 * `consumers.api.tables` exposes, through one Lake Formation tag that the Spark step puts on them and that
 * only the API's role is granted on), the columns each may be filtered on with their types, and the IAM
 * principals that may call each table's routes (the groups' roles and the named ARNs).
 */
export interface GoldApiAccess {
  /** Lake Formation tag key (value `read`) on the exposed gold tables. */
  readonly tagKey: string;
  /** The gold Glue database. */
  readonly database: string;
  /** The IAM role the API's function queries with (`goldApiRoleName`), the only principal granted on the tag. */
  readonly roleName: string;
  readonly tables: readonly GoldApiTableAccess[];
}

export interface GoldApiTableAccess {
  /** The dataset, which names its gold table and its API route. */
  readonly dataset: string;
  /** Filterable columns and their types, in definition order of `filters`. */
  readonly filters: Readonly<Record<string, string>>;
  /** IAM role and user ARNs allowed to call the table's routes, sorted. */
  readonly principalArns: readonly string[];
}

/** The API's access in `environment`; undefined where it is not deployed. */
export function goldApiAccess(
  config: Pick<PlatformConfig, 'prefix' | 'consumers' | 'datasets' | 'groups'>,
  environment: EnvironmentConfig,
): GoldApiAccess | undefined {
  const api = config.consumers.api;
  if (!api || !environment.aws || !deploysGoldApi(config, environment)) return undefined;
  const scope: NamingScope = { prefix: config.prefix, environment: environment.name };
  const partition = awsPartition(environment.aws.region);
  return {
    tagKey: apiAccessTagKey(scope),
    database: glueDatabaseName(scope, 'gold'),
    roleName: goldApiRoleName(scope),
    tables: api.tables.map((table) => {
      const dataset = config.datasets.find((candidate) => candidate.name === table.dataset);
      if (!dataset) throw new Error(`goldApiAccess: "${table.dataset}" is not a dataset of the definition`);
      const types = new Map(dataset.columns.map((column) => [column.name, column.type]));
      const roles = table.groups.map((group) => `arn:${partition}:iam::${environment.aws!.account}:role/${config.groups[group].awsRoleName}`);
      return {
        dataset: dataset.name,
        filters: Object.fromEntries(table.filters.map((column) => [column, types.get(column) as string])),
        principalArns: [...new Set([...roles, ...table.principals])].sort(),
      };
    }),
  };
}

/** The datasets whose gold table carries the API's tag in `environment` (none where the API is not deployed). */
export function apiExposedDatasets(config: Pick<PlatformConfig, 'consumers'>, environment: Pick<EnvironmentConfig, 'name' | 'aws'>): ReadonlySet<string> {
  return new Set(deploysGoldApi(config, environment) ? (config.consumers.api?.tables.map((table) => table.dataset) ?? []) : []);
}
