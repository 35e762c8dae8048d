import type { PlatformConfig } from '../definition';
import { Catalogue, type TableAccess } from '../definition';
import { groupAccess } from './access-plan';
import { accessTagKey, domainTagKey, type NamingScope } from '../naming';

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
}

/** Values of every access tag, weakest first (the catalog stack defines both for each group). */
export const ACCESS_TAG_VALUES: readonly TableAccess[] = ['read', 'own'];

/** The catalog's LF-tags of one environment, derived from the definition exactly as the catalog stack derives them. */
export function catalogTags(config: Pick<PlatformConfig, 'groups' | 'datasets'>, scope: NamingScope): CatalogTags {
  return {
    domain: { tagKey: domainTagKey(scope), tagValues: Catalogue.of(config).domains() },
    access: groupAccess(config).map((access) => ({ tagKey: accessTagKey(scope, access.group), tagValues: ACCESS_TAG_VALUES })),
  };
}
