import { type Classification, CLASSIFICATIONS, type EnvironmentConfig, type PlatformConfig } from '../definition';

/** Tag keys used on every cloud, so cost reports and policies read the same keys everywhere. */
export const TAG_KEYS = {
  platform: 'platform',
  environment: 'environment',
  owner: 'owner',
  costCenter: 'cost-center',
  dataClassification: 'data-classification',
} as const;

/** The tags every taggable resource of an environment carries. */
export function standardTags(
  config: Pick<PlatformConfig, 'prefix' | 'owner' | 'costCenter'>,
  environment: Pick<EnvironmentConfig, 'name'>,
): Record<string, string> {
  return {
    [TAG_KEYS.platform]: config.prefix,
    [TAG_KEYS.environment]: environment.name,
    [TAG_KEYS.owner]: config.owner,
    [TAG_KEYS.costCenter]: config.costCenter,
  };
}

/** What both clouds' standard-tags aspects take. */
export interface StandardTagsAspectProps {
  /** Tags every taggable resource carries, usually `standardTags(config, environment)`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Throws when a tag has an empty key or a value that is not a string. */
export function requireValidTags(tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.trim() === '' || typeof value !== 'string') throw new Error(`tags["${key}"] (${JSON.stringify(value)}) must be a string under a non-empty key`);
  }
}

/** The most sensitive of several classifications: a store holding any pii dataset is pii. */
export function highestClassification(classifications: Iterable<Classification>): Classification {
  let highest: Classification = 'public';
  for (const c of classifications) if (CLASSIFICATIONS.indexOf(c) > CLASSIFICATIONS.indexOf(highest)) highest = c;
  return highest;
}
