import { LAYERS, type Layer, layerAccess, type PlatformConfig, type TableAccess } from '../definition';

/**
 * An access matrix: for each dataset and layer, what each group may do with the dataset's data there
 * (`own` or `read`; a group that may do nothing is absent). The definition has one (`definitionAccessMatrix`),
 * and each cloud has its effective one, built from what a deployment creates; the two must be equal.
 */
export type AccessMatrix = Readonly<Record<string, Readonly<Record<Layer, Readonly<Record<string, TableAccess>>>>>>;

/** The matrix the definition asks for: owners own every layer, readers read the layers they are listed for. */
export function definitionAccessMatrix(config: Pick<PlatformConfig, 'datasets'>): AccessMatrix {
  return Object.fromEntries(
    config.datasets.map((dataset) => [
      dataset.name,
      Object.fromEntries(LAYERS.map((layer) => [layer, Object.fromEntries(layerAccess(dataset, layer))])) as Record<Layer, Record<string, TableAccess>>,
    ]),
  );
}

/** A matrix to fill: every dataset and layer, nobody with access yet. */
export function emptyAccessMatrix(datasetNames: readonly string[]): Record<string, Record<Layer, Record<string, TableAccess>>> {
  return Object.fromEntries(
    datasetNames.map((name) => [name, Object.fromEntries(LAYERS.map((layer) => [layer, {}])) as Record<Layer, Record<string, TableAccess>>]),
  );
}

/** Raises a group's access in one cell of a matrix being built: a cell keeps the strongest access found. */
export function grantInMatrix(
  matrix: Record<string, Record<Layer, Record<string, TableAccess>>>,
  dataset: string,
  layer: Layer,
  group: string,
  access: TableAccess,
): void {
  const cell = matrix[dataset]?.[layer];
  if (!cell) throw new Error(`access matrix: "${dataset}" is not a dataset of the matrix; datasets: ${Object.keys(matrix).join(', ')}`);
  if (cell[group] !== 'own') cell[group] = access;
}

/**
 * How `actual` differs from `expected`, one line per dataset, layer and group, e.g.
 * `customers/bronze marketing-analysts: read on Databricks, nothing in the definition`. Empty when equal.
 */
export function accessMatrixDifferences(expected: AccessMatrix, actual: AccessMatrix, labels: { expected: string; actual: string }): string[] {
  const differences: string[] = [];
  const describe = (access: TableAccess | undefined) => access ?? 'nothing';
  for (const dataset of [...new Set([...Object.keys(expected), ...Object.keys(actual)])]) {
    for (const layer of LAYERS) {
      const want = expected[dataset]?.[layer] ?? {};
      const have = actual[dataset]?.[layer] ?? {};
      for (const group of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) {
        if (want[group] === have[group]) continue;
        differences.push(`${dataset}/${layer} ${group}: ${describe(have[group])} on ${labels.actual}, ${describe(want[group])} in ${labels.expected}`);
      }
    }
  }
  return differences;
}

/**
 * The matrices side by side as text: one row per dataset and layer, one column per group, each cell the
 * access on each cloud in the order given (`own | own`, `- | -` for none), and a last column that says
 * whether every cloud matches the definition.
 */
export function formatAccessMatrices(definition: AccessMatrix, groups: readonly string[], clouds: Readonly<Record<string, AccessMatrix>>): string {
  const cloudNames = Object.keys(clouds);
  const cellOf = (dataset: string, layer: Layer, group: string) => cloudNames.map((cloud) => clouds[cloud][dataset]?.[layer]?.[group] ?? '-').join(' | ');
  const header = ['dataset', 'layer', ...groups, 'definition'];
  const rows = Object.keys(definition).flatMap((dataset) =>
    LAYERS.map((layer) => {
      const matches = cloudNames.every((cloud) =>
        groups.every((group) => (clouds[cloud][dataset]?.[layer]?.[group] ?? '-') === (definition[dataset][layer][group] ?? '-')),
      );
      return [dataset, layer, ...groups.map((group) => cellOf(dataset, layer, group)), matches ? 'equal' : 'DIFFERS'];
    }),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [`cells: ${cloudNames.join(' | ')}`, line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
