import type { Layer } from '../../lib/definition';

/** `Bronze`, `Silver`, `Gold`: construct ids are a contract, renaming one replaces the resource. */
export function layerConstructId(layer: Layer): string {
  return `${layer[0].toUpperCase()}${layer.slice(1)}`;
}
