import { LAYERS, type Layer, layerAccess, type PlatformConfig, type TableAccess } from '../definition';

/**
 * The access plan: who may do what with each table, from the definition's owners and readers
 * (`layerAccess` of the catalogue), in the form each cloud enforces. Lake Formation enforces it through
 * tags: every table carries, per group with access, the tag `access_<group>` = `own` or `read`, and each
 * group holds one grant per value (lake-formation-tags.ts); Unity Catalog through grants on each table,
 * applied by whatever creates the table (unity-catalog-grants.ts). A table that holds the data of
 * several datasets (a join, an aggregate) gets `combinedAccess` on both clouds.
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

/** The weaker of two access values. */
export function weakerAccess(a: TableAccess, b: TableAccess): TableAccess {
  return a === 'read' || b === 'read' ? 'read' : 'own';
}

/**
 * Who may use a table of one layer that holds the data of the named datasets: a group only if the
 * definition lets it use every one of them in that layer, at its weakest level there (a join of
 * `customers` and `orders` is readable by those who read both, and owned by those who own both). A
 * table that holds no dataset's data (a calendar) is readable by every group that uses some dataset of
 * the layer, and owned by nobody: there is nothing of anyone's to change.
 */
export function combinedAccess(config: Pick<PlatformConfig, 'datasets'>, layer: Layer, datasetNames: readonly string[]): ReadonlyMap<string, TableAccess> {
  if (datasetNames.length === 0) {
    const everyone = new Map<string, TableAccess>();
    for (const dataset of config.datasets) for (const group of layerAccess(dataset, layer).keys()) everyone.set(group, 'read');
    return everyone;
  }
  const [first, ...others] = [...new Set(datasetNames)].map((name) => {
    const dataset = config.datasets.find((candidate) => candidate.name === name);
    if (!dataset) throw new Error(`combinedAccess: "${name}" is not a dataset of the definition; datasets: ${config.datasets.map((d) => d.name).join(', ')}`);
    return layerAccess(dataset, layer);
  });
  const combined = new Map(first);
  for (const access of others) {
    for (const [group, value] of combined) {
      const other = access.get(group);
      if (other === undefined) combined.delete(group);
      else combined.set(group, weakerAccess(value, other));
    }
  }
  return combined;
}
