import { DEFAULT_LIFECYCLE } from './defaults';
import type { EnvironmentInput, LayerLifecycleInput, PlatformDefinition } from './schema';
import type { Layer } from '../definition';
import type { LayerLifecycle } from '../definition';

type LifecycleField = keyof LayerLifecycleInput;
import type { ConfigPath } from './issue';

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
  const fields: LifecycleField[] = ['infrequentAccessAfterDays', 'archiveAfterDays', 'expireAfterDays', 'noncurrentVersionExpireAfterDays', 'retainDays'];
  // Only bronze's schema has retainDays; the other layers read it as absent.
  const override: LayerLifecycleInput | undefined = env.lifecycle?.[layer];
  const shared: LayerLifecycleInput | undefined = definition.lifecycle[layer];
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
    } else if (!anyGiven || field === 'noncurrentVersionExpireAfterDays' || field === 'retainDays') {
      // A layer the definition leaves out entirely gets the whole default; a layer it describes gets
      // only what it says (plus the noncurrent-version expiry, which must always be bounded, and bronze's
      // retention lock, which is never left off).
      value[field] = fallback[field];
    }
  }
  return {
    value: {
      infrequentAccessAfterDays: value.infrequentAccessAfterDays,
      archiveAfterDays: value.archiveAfterDays,
      expireAfterDays: value.expireAfterDays,
      noncurrentVersionExpireAfterDays: value.noncurrentVersionExpireAfterDays ?? fallback.noncurrentVersionExpireAfterDays,
      ...(value.retainDays === undefined ? {} : { retainDays: value.retainDays }),
      abortIncompleteMultipartUploadAfterDays: fallback.abortIncompleteMultipartUploadAfterDays,
    },
    origin,
  };
}

/** The fields of a lifecycle that must come strictly one after another, in order. */
const ORDERED_FIELDS = ['infrequentAccessAfterDays', 'archiveAfterDays', 'expireAfterDays'] as const;
export type OrderedLifecycleField = (typeof ORDERED_FIELDS)[number];

export interface LifecycleOrderViolation {
  readonly field: OrderedLifecycleField;
  readonly days: number;
  readonly earlierField: OrderedLifecycleField;
  readonly earlierDays: number;
}

/**
 * Where a lifecycle breaks the order cool/infrequent-access < archive < expiry. Shared by the definition's
 * validation and by the storage constructs, which validate their own props when used on their own.
 */
export function lifecycleOrderViolations(lifecycle: Partial<Record<OrderedLifecycleField, number | undefined>>): LifecycleOrderViolation[] {
  const violations: LifecycleOrderViolation[] = [];
  ORDERED_FIELDS.forEach((field, later) => {
    for (let earlier = 0; earlier < later; earlier++) {
      const earlierField = ORDERED_FIELDS[earlier];
      const days = lifecycle[field];
      const earlierDays = lifecycle[earlierField];
      if (days !== undefined && earlierDays !== undefined && days <= earlierDays) violations.push({ field, days, earlierField, earlierDays });
    }
  });
  return violations;
}

/** One violation in words: `archiveAfterDays (20) must be greater than infrequentAccessAfterDays (30)`. */
export function describeViolation(v: LifecycleOrderViolation): string {
  return `${v.field} (${v.days}) must be greater than ${v.earlierField} (${v.earlierDays})`;
}
