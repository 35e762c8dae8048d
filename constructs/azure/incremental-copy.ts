import type { ColumnConfig, DatabaseEngine, DatabaseSource } from '../../lib/definition';
import { watermarkStatePath } from '../../lib/lake';
import { BRONZE_WORK_FILESYSTEM } from './bronze-landing';

/**
 * Incremental copies in Data Factory: what a run copies is bounded by a high watermark, stored per
 * dataset in bronze's working data (`bronze-work/_state/<domain>/<dataset>/watermark.json`, lib/lake
 * `watermarkStatePath`: replaced every run, so never in the immutable bronze filesystem)
 * only after the copy succeeded, so a failed run copies the same range again and a run never copies a
 * row or file twice. Data Factory has no bookmarks of its own (Glue's job bookmarks play this part on
 * AWS), and a file in the lake needs no extra store, identity or network path: the factory reads it with
 * a Lookup through the lake's linked service and writes it with a Web activity (`PUT` of the blob with
 * the factory's managed identity, through the managed private endpoint to the lake's blob service).
 *
 * - Databases (not captured, `load: incremental`): the same rule as AWS (lib/lake `databaseLoad`): rows
 *   whose `source.changeTrackingColumn` is above the stored watermark and at most the column's maximum,
 *   read by a Lookup just before the copy. The first run has no stored watermark and copies every row up
 *   to that maximum. `load: snapshot` copies the whole table each run, without a watermark.
 * - Files: the files of the landing pattern last modified after the stored watermark and at most the
 *   run's start (`modifiedDatetimeStart`/`modifiedDatetimeEnd`), so each landed file is copied once
 *   whatever the schedule, and landing stays immutable (nothing is moved or deleted after the copy).
 */

type Json = Record<string, unknown>;

/** The pipeline variables of an incremental copy: the stored watermark (its default is the lowest value) and the new one. */
export const WATERMARK_VARIABLES = { stored: 'stored_watermark', next: 'new_watermark' } as const;

/** The stored watermark of a first run of a files dataset: before any file. */
export const FIRST_FILE_WATERMARK = '1900-01-01T00:00:00Z';

/** How a database engine renders a tracking column as text and reads it back, per kind of column. */
interface EngineWatermark {
  readonly quote: (identifier: string) => string;
  readonly text: Record<WatermarkKind, (expression: string) => string>;
  readonly literal: Record<WatermarkKind, (value: string) => string>;
}

type WatermarkKind = 'timestamp' | 'number';

/** The lowest value of each kind: the stored watermark of a first run, and the new one of an empty table. */
const LOWEST: Record<WatermarkKind, string> = { timestamp: '0001-01-01 00:00:00.000000', number: '-9223372036854775808' };

const ENGINES: Record<DatabaseEngine, EngineWatermark> = {
  postgres: {
    quote: (id) => `"${id}"`,
    text: {
      timestamp: (e) => `to_char(${e}, 'YYYY-MM-DD HH24:MI:SS.US')`,
      number: (e) => `CAST(${e} AS text)`,
    },
    literal: { timestamp: (v) => `CAST('${v}' AS timestamp)`, number: (v) => v },
  },
  mysql: {
    quote: (id) => `\`${id}\``,
    text: {
      timestamp: (e) => `DATE_FORMAT(${e}, '%Y-%m-%d %H:%i:%s.%f')`,
      number: (e) => `CAST(${e} AS CHAR)`,
    },
    literal: { timestamp: (v) => `CAST('${v}' AS DATETIME(6))`, number: (v) => v },
  },
  sqlserver: {
    quote: (id) => `[${id}]`,
    text: {
      timestamp: (e) => `FORMAT(${e}, 'yyyy-MM-dd HH:mm:ss.ffffff')`,
      number: (e) => `CAST(${e} AS varchar(40))`,
    },
    literal: { timestamp: (v) => `CAST('${v}' AS datetime2)`, number: (v) => v },
  },
  oracle: {
    quote: (id) => `"${id.toUpperCase()}"`,
    text: {
      timestamp: (e) => `TO_CHAR(${e}, 'YYYY-MM-DD HH24:MI:SS.FF6')`,
      number: (e) => `TO_CHAR(${e})`,
    },
    literal: {
      timestamp: (v) => `TO_TIMESTAMP('${v}', 'YYYY-MM-DD HH24:MI:SS.FF6')`,
      number: (v) => v,
    },
  },
};

/** The column types a watermark can be kept on (the change-tracking types validation allows, lib/config/rules.ts): they order and read back exactly. */
const WATERMARK_KINDS: Record<string, WatermarkKind> = { timestamp: 'timestamp', int: 'number', bigint: 'number' };

/** A database dataset copied by its change-tracking column. */
export interface TrackedTable {
  /** The dataset's name, for messages. */
  readonly name: string;
  readonly source: DatabaseSource;
  /** The declared columns: the change-tracking column must be one of them, of a type a watermark can be kept on. */
  readonly columns: readonly Pick<ColumnConfig, 'name' | 'type'>[];
}

function watermarkOf(table: TrackedTable): { engine: EngineWatermark; kind: WatermarkKind; column: string } {
  const name = table.source.changeTrackingColumn;
  if (!name) throw new Error(`dataset "${table.name}": an incremental database copy needs source.changeTrackingColumn (or source.load: snapshot)`);
  const column = table.columns.find((candidate) => candidate.name === name);
  if (!column)
    throw new Error(
      `dataset "${table.name}": source.changeTrackingColumn "${name}" is not a declared column; columns: ${table.columns.map((c) => c.name).join(', ')}`,
    );
  const kind = WATERMARK_KINDS[column.type] ?? (/^decimal\(\d+,0\)$/.test(column.type) ? 'number' : undefined);
  if (!kind)
    throw new Error(
      `dataset "${table.name}": source.changeTrackingColumn "${name}" has type ${column.type}, which ` +
        `cannot hold a watermark; types: ${Object.keys(WATERMARK_KINDS).join(', ')}, decimal(p,0)`,
    );
  return { engine: ENGINES[table.source.engine], kind, column: ENGINES[table.source.engine].quote(name) };
}

/** The first run's stored watermark of a tracked table: the lowest value of its column's kind. */
export function firstWatermark(table: TrackedTable): string {
  return LOWEST[watermarkOf(table).kind];
}

/** The Lookup query of the new watermark: the column's maximum as text (the lowest value on an empty table). */
export function newWatermarkQuery(table: TrackedTable): string {
  const { engine, kind, column } = watermarkOf(table);
  return `SELECT COALESCE(${engine.text[kind](`MAX(${column})`)}, '${LOWEST[kind]}') AS watermark FROM ${table.source.table}`;
}

/** The copy query of one run: the rows above the stored watermark `stored`, up to the new one `next`. */
export function incrementalQuery(table: TrackedTable, stored: string, next: string): string {
  const { engine, kind, column } = watermarkOf(table);
  return `SELECT * FROM ${table.source.table} WHERE ${column} > ${engine.literal[kind](stored)} AND ${column} <= ${engine.literal[kind](next)}`;
}

/** The variables as Data Factory interpolations. */
export const STORED_WATERMARK = `@{variables('${WATERMARK_VARIABLES.stored}')}`;
export const NEW_WATERMARK = `@{variables('${WATERMARK_VARIABLES.next}')}`;

const POLICY = { timeout: '0.00:10:00', retry: 2, retryIntervalInSeconds: 30, secureInput: false, secureOutput: false };

/** The state dataset of a dataset: its watermark file in the lake, as JSON. */
export function watermarkStateDataset(dataset: { readonly domain: string; readonly name: string }): { type: string; typeProperties: Json } {
  const path = watermarkStatePath(dataset);
  const slash = path.lastIndexOf('/');
  return {
    type: 'Json',
    typeProperties: {
      location: { type: 'AzureBlobFSLocation', fileSystem: BRONZE_WORK_FILESYSTEM, folderPath: path.slice(0, slash), fileName: path.slice(slash + 1) },
    },
  };
}

/** How the new watermark of a run is read: from the source (databases) or the run's start (files). */
export type NewWatermark =
  { readonly lookup: { readonly query: string; readonly sourceType: string; readonly sourceDataset: string } } | { readonly runStart: true };

/**
 * The activities before the copy: `read_new_watermark` (a Lookup of the source's maximum, or the run's
 * start), `check_stored_watermark` (Get Metadata: does the state file exist) and, when it does,
 * `read_stored_watermark` into the `stored_watermark` variable (whose default is the lowest value).
 * The copy depends on `WATERMARK_READY`.
 */
export function readWatermarkActivities(newWatermark: NewWatermark, stateDatasetName: string): Json[] {
  const setVariable = (name: string, variableName: string, value: string, dependsOn: Json[]): Json => ({
    name,
    type: 'SetVariable',
    dependsOn,
    typeProperties: { variableName, value: { value, type: 'Expression' } },
  });
  const stateDataset = { referenceName: stateDatasetName, type: 'DatasetReference' };
  const readNew =
    'lookup' in newWatermark
      ? [
          {
            name: 'read_new_watermark',
            type: 'Lookup',
            dependsOn: [],
            policy: POLICY,
            typeProperties: {
              source: { type: newWatermark.lookup.sourceType, query: newWatermark.lookup.query },
              dataset: { referenceName: newWatermark.lookup.sourceDataset, type: 'DatasetReference' },
              firstRowOnly: true,
            },
          },
          setVariable('set_new_watermark', WATERMARK_VARIABLES.next, "@activity('read_new_watermark').output.firstRow.watermark", [
            succeeded('read_new_watermark'),
          ]),
        ]
      : [setVariable('set_new_watermark', WATERMARK_VARIABLES.next, "@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-ddTHH:mm:ssZ')", [])];
  return [
    ...readNew,
    {
      name: 'check_stored_watermark',
      type: 'GetMetadata',
      dependsOn: [],
      policy: POLICY,
      typeProperties: { dataset: stateDataset, fieldList: ['exists'] },
    },
    {
      name: 'if_watermark_stored',
      type: 'IfCondition',
      dependsOn: [succeeded('check_stored_watermark')],
      typeProperties: {
        expression: { value: "@activity('check_stored_watermark').output.exists", type: 'Expression' },
        ifTrueActivities: [
          {
            name: 'read_stored_watermark',
            type: 'Lookup',
            dependsOn: [],
            policy: POLICY,
            typeProperties: {
              source: { type: 'JsonSource', storeSettings: { type: 'AzureBlobFSReadSettings' } },
              dataset: stateDataset,
              firstRowOnly: true,
            },
          },
          setVariable('set_stored_watermark', WATERMARK_VARIABLES.stored, "@activity('read_stored_watermark').output.firstRow.watermark", [
            succeeded('read_stored_watermark'),
          ]),
        ],
      },
    },
  ];
}

/** What the copy waits for: both watermarks known. */
export const WATERMARK_READY: Json[] = [succeeded('set_new_watermark'), succeeded('if_watermark_stored')];

/**
 * `store_watermark`: after the copy succeeded, the new watermark replaces the stored one (`PUT` of the
 * state blob, `{"watermark": "<value>"}`, with the factory's managed identity).
 */
export function storeWatermarkActivity(
  dataset: { readonly domain: string; readonly name: string },
  lake: { readonly accountName: string; readonly integrationRuntime: string },
  after: string,
): Json {
  return {
    name: 'store_watermark',
    type: 'WebActivity',
    dependsOn: [succeeded(after)],
    policy: POLICY,
    typeProperties: {
      method: 'PUT',
      url: `https://${lake.accountName}.blob.core.windows.net/${BRONZE_WORK_FILESYSTEM}/${watermarkStatePath(dataset)}`,
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-version': '2023-11-03', 'Content-Type': 'application/json' },
      body: { value: `@concat('{"watermark":"', variables('${WATERMARK_VARIABLES.next}'), '"}')`, type: 'Expression' },
      authentication: { type: 'MSI', resource: 'https://storage.azure.com/' },
      connectVia: { referenceName: lake.integrationRuntime, type: 'IntegrationRuntimeReference' },
    },
  };
}

/** A dependency on an activity's success. */
export function succeeded(activity: string): Json {
  return { activity, dependencyConditions: ['Succeeded'] };
}
