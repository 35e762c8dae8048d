import { DEFAULT_LIFECYCLE } from './defaults';
import type { EnvironmentInput, Layer, LayerLifecycleInput, PlatformDefinition } from './schema';
import type { LayerLifecycle } from './types';

type LifecycleField = keyof LayerLifecycleInput;
export type ConfigPath = readonly (string | number)[];

export interface MergedLifecycle {
  readonly value: LayerLifecycle;
  /** Where each field came from, for error messages (the built-in default has no path). */
  readonly origin: Partial<Record<LifecycleField, ConfigPath>>;
}

/**
 * A layer's lifecycle in one environment: the environment's override, else the top-level lifecycle,
 * else the built-in default, field by field.
 */
export function mergeLifecycle(definition: PlatformDefinition, envName: string, env: EnvironmentInput, layer: Layer): MergedLifecycle {
  const fields: LifecycleField[] = ['infrequentAccessAfterDays', 'archiveAfterDays', 'expireAfterDays', 'noncurrentVersionExpireAfterDays'];
  const override = env.lifecycle?.[layer];
  const shared = definition.lifecycle[layer];
  const fallback = DEFAULT_LIFECYCLE[layer];
  const value: Record<string, number | undefined> = {};
  const origin: Partial<Record<LifecycleField, ConfigPath>> = {};
  const anyGiven = override !== undefined || shared !== undefined;
  for (const field of fields) {
    if (override?.[field] !== undefined) {
      value[field] = override[field];
      origin[field] = ['environments', envName, 'lifecycle', layer, field];
    } else if (shared?.[field] !== undefined) {
      value[field] = shared[field];
      origin[field] = ['lifecycle', layer, field];
    } else if (!anyGiven || field === 'noncurrentVersionExpireAfterDays') {
      // A layer the definition leaves out entirely gets the whole default; a layer it describes gets
      // only what it says (plus the noncurrent-version expiry, which must always be bounded).
      value[field] = fallback[field];
    }
  }
  return {
    value: {
      infrequentAccessAfterDays: value.infrequentAccessAfterDays,
      archiveAfterDays: value.archiveAfterDays,
      expireAfterDays: value.expireAfterDays,
      noncurrentVersionExpireAfterDays: value.noncurrentVersionExpireAfterDays ?? fallback.noncurrentVersionExpireAfterDays,
      abortIncompleteMultipartUploadAfterDays: fallback.abortIncompleteMultipartUploadAfterDays,
    },
    origin,
  };
}
