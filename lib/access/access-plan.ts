import { LAYERS, type Layer, layerAccess, type PlatformConfig, type TableAccess } from '../definition';

/**
 * The access plan: who may do what with each table, from the definition's owners and readers
 * (`layerAccess` of the catalogue), in the form each cloud enforces. Lake Formation enforces it through
 * tags: every table carries, per group with access, the tag `access_<group>` = `own` or `read`, and each
 * group holds one grant per value (lake-formation-tags.ts); Unity Catalog through grants per schema and
 * table (unity-catalog-grants.ts).
 */

/** What one group holds across the catalogue: the tag values it is granted and the layers it sees. */
export interface GroupAccess {
  readonly group: string;
  /** IAM role that members assume; Lake Formation grants name it. */
  readonly roleName: string;
  readonly reads: boolean;
  readonly owns: boolean;
  /** Layers where the group has at least one table (it gets DESCRIBE on those databases). */
  readonly layers: readonly Layer[];
}

/** Every group that owns or reads at least one table, in definition order. */
export function groupAccess(config: Pick<PlatformConfig, 'groups' | 'datasets'>): GroupAccess[] {
  return Object.values(config.groups).flatMap((group) => {
    let reads = false;
    let owns = false;
    const layers = new Set<Layer>();
    for (const dataset of config.datasets) {
      for (const layer of LAYERS) {
        const access = layerAccess(dataset, layer).get(group.name);
        if (access === undefined) continue;
        layers.add(layer);
        if (access === 'read') reads = true;
        else owns = true;
      }
    }
    if (!reads && !owns) return [];
    return [{ group: group.name, roleName: group.awsRoleName, reads, owns, layers: LAYERS.filter((layer) => layers.has(layer)) }];
  });
}

/** Lake Formation permissions per access value (tables). Owners may not DROP: tables belong to the catalog stacks. */
export const TABLE_PERMISSIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: ['SELECT', 'DESCRIBE'],
  own: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
};
