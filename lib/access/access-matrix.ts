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

/** What a Delta Sharing recipient's column starts with (`recipientColumn`). */
export const RECIPIENT_COLUMN_PREFIX = 'recipient:';

/**
 * The column of a Delta Sharing recipient beside the groups' (`recipient:<Unity Catalog name>`): a recipient
 * reads the gold tables of the shares granted to it, so it is one more principal of a matrix, on Databricks only.
 */
export function recipientColumn(recipient: string): string {
  return `${RECIPIENT_COLUMN_PREFIX}${recipient}`;
}

/**
 * `matrix` (unchanged) with what Delta Sharing recipients read: each `read` in gold, in its `recipientColumn`, for
 * the datasets whose data its shares hold (`recipientAccess` of the sharing plan states it for the definition).
 */
export function withRecipientReads(
  matrix: AccessMatrix,
  reads: ReadonlyArray<{ readonly recipient: string; readonly datasets: readonly string[] }>,
): AccessMatrix {
  return withGoldReads(
    matrix,
    reads.map(({ recipient, datasets }) => ({ column: recipientColumn(recipient), datasets })),
  );
}

/** What the gold API's column starts with (`apiColumn`). */
export const API_COLUMN_PREFIX = 'api:';

/**
 * The column of the gold API beside the groups' (`api:<IAM role name>`): the API's role reads the gold tables
 * the API exposes, so it is one more principal of a matrix, on AWS only.
 */
export function apiColumn(roleName: string): string {
  return `${API_COLUMN_PREFIX}${roleName}`;
}

/** `matrix` (unchanged) with what the gold API's role reads: `read` in gold, in its `apiColumn`, for each dataset it exposes (`goldApiAccess`). */
export function withApiReads(matrix: AccessMatrix, api: { readonly roleName: string; readonly datasets: readonly string[] } | undefined): AccessMatrix {
  return withGoldReads(matrix, api ? [{ column: apiColumn(api.roleName), datasets: api.datasets }] : []);
}

function withGoldReads(matrix: AccessMatrix, reads: ReadonlyArray<{ readonly column: string; readonly datasets: readonly string[] }>): AccessMatrix {
  const result = structuredClone(matrix) as Record<string, Record<Layer, Record<string, TableAccess>>>;
  for (const { column, datasets } of reads) for (const dataset of datasets) grantInMatrix(result, dataset, 'gold', column, 'read');
  return result;
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

export interface FormatAccessMatricesOptions {
  /**
   * The clouds (labels of `clouds`) on which a column exists, for columns that exist on some only (a Delta
   * Sharing recipient: Databricks). Its cells on the other clouds read `n/a` and are not compared.
   * @default - every column exists on every cloud
   */
  readonly columnClouds?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The matrices side by side as text: one row per dataset and layer, one column per group (or recipient), each
 * cell the access on each cloud in the order given (`own | own`, `- | -` for none, `n/a` where the column
 * does not exist), and a last column that says whether every cloud matches the definition.
 */
export function formatAccessMatrices(
  definition: AccessMatrix,
  groups: readonly string[],
  clouds: Readonly<Record<string, AccessMatrix>>,
  options: FormatAccessMatricesOptions = {},
): string {
  const cloudNames = Object.keys(clouds);
  const existsOn = (cloud: string, group: string) => options.columnClouds?.[group]?.includes(cloud) ?? true;
  const valueOf = (cloud: string, dataset: string, layer: Layer, group: string) =>
    existsOn(cloud, group) ? (clouds[cloud][dataset]?.[layer]?.[group] ?? '-') : 'n/a';
  const cellOf = (dataset: string, layer: Layer, group: string) => cloudNames.map((cloud) => valueOf(cloud, dataset, layer, group)).join(' | ');
  const header = ['dataset', 'layer', ...groups, 'definition'];
  const rows = Object.keys(definition).flatMap((dataset) =>
    LAYERS.map((layer) => {
      const matches = cloudNames.every((cloud) =>
        groups.every((group) => !existsOn(cloud, group) || valueOf(cloud, dataset, layer, group) === (definition[dataset][layer][group] ?? '-')),
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
