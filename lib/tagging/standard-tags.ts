import type { Classification, EnvironmentConfig, PlatformConfig } from '../definition';

/** Tag keys used on every cloud, so cost reports and policies read the same keys everywhere. */
export const TAG_KEYS = {
  platform: 'platform',
  environment: 'environment',
  owner: 'owner',
  costCenter: 'cost-center',
  dataClassification: 'data-classification',
} as const;

/** The tags every taggable resource of an environment carries. */
export function standardTags(config: Pick<PlatformConfig, 'prefix' | 'owner' | 'costCenter'>, environment: Pick<EnvironmentConfig, 'name'>): Record<string, string> {
  return {
    [TAG_KEYS.platform]: config.prefix,
    [TAG_KEYS.environment]: environment.name,
    [TAG_KEYS.owner]: config.owner,
    [TAG_KEYS.costCenter]: config.costCenter,
  };
}

const CLASSIFICATION_ORDER: readonly Classification[] = ['public', 'internal', 'confidential', 'pii'];

/** The most sensitive of several classifications: a store holding any pii dataset is pii. */
export function highestClassification(classifications: Iterable<Classification>): Classification {
  let highest: Classification = 'public';
  for (const c of classifications) if (CLASSIFICATION_ORDER.indexOf(c) > CLASSIFICATION_ORDER.indexOf(highest)) highest = c;
  return highest;
}
