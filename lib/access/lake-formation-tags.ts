import type { EnvironmentConfig, PlatformConfig } from '../definition';
import { Catalogue, deploysGoldApi, type TableAccess } from '../definition';
import { groupAccess } from './access-plan';
import { accessTagKey, apiAccessTagKey, domainTagKey, type NamingScope } from '../naming';

/** One Lake Formation tag (LF-tag) of the catalog with every value it may take. */
export interface CatalogTag {
  readonly tagKey: string;
  readonly tagValues: readonly string[];
}

/** The LF-tags the catalog stack defines (`LakeFormationAccessTags`), by name, so other stacks can be granted on them without importing it. */
export interface CatalogTags {
  /** `<prefix>_<env>_domain`, one value per domain of the catalogue. */
  readonly domain: CatalogTag;
  /** `<prefix>_<env>_access_<group>` = `read` | `own`, one per group with access to at least one table. */
  readonly access: readonly CatalogTag[];
  /** `<prefix>_<env>_consumer_api` = `read` on the gold tables the gold API exposes; absent where the environment deploys no API. */
  readonly api?: CatalogTag;
}

/** Values of every access tag, weakest first (the catalog stack defines both for each group). */
export const ACCESS_TAG_VALUES: readonly TableAccess[] = ['read', 'own'];

/** The one value of the API tag: the API reads what it exposes, nothing more. */
export const API_TAG_VALUES: readonly TableAccess[] = ['read'];

/** The catalog's LF-tags of one environment, derived from the definition exactly as the catalog stack derives them. */
export function catalogTags(
  config: Pick<PlatformConfig, 'prefix' | 'groups' | 'datasets' | 'consumers'>,
  environment: Pick<EnvironmentConfig, 'name' | 'aws'>,
): CatalogTags {
  const scope: NamingScope = { prefix: config.prefix, environment: environment.name };
  return {
    domain: { tagKey: domainTagKey(scope), tagValues: Catalogue.of(config).domains() },
    access: groupAccess(config).map((access) => ({ tagKey: accessTagKey(scope, access.group), tagValues: ACCESS_TAG_VALUES })),
    ...(deploysGoldApi(config, environment) && { api: { tagKey: apiAccessTagKey(scope), tagValues: API_TAG_VALUES } }),
  };
}

/** Every LF-tag of the catalog: what the roles that tag the tables they create (the Spark roles) may assign. */
export function everyCatalogTag(tags: CatalogTags): CatalogTag[] {
  return [tags.domain, ...tags.access, ...(tags.api ? [tags.api] : [])];
}
