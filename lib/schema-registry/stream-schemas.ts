import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DatasetConfig, isStream, type PlatformConfig, type StreamSchemaVersion } from '../definition';
import { streamMessageAvroSchema } from '../lake/stream-arguments';
import { type AvroSchema, AvroSchemaError, parseAvroSchema } from './avro-schema';
import { type VersionBreak, versionBreaks } from './avro-compatibility';

/**
 * The schema registry's source in the repository: every registered version of every stream's message
 * schema, one Avro file per version, `schema/streams/<domain>/<dataset>/v<N>.avsc`, appended to and never
 * edited. The definition's columns are the stream's current schema (streamMessageAvroSchema); the last
 * file must be exactly that, and each file must keep the dataset's compatibility mode with those before
 * it. `npm run schemas:streams` appends the next version when the columns change; the cloud registries
 * (Glue Schema Registry, Event Hubs schema groups) are deployed from these files.
 */
export const STREAM_SCHEMA_DIRECTORY = join('schema', 'streams');

const VERSION_FILE = /^v([1-9][0-9]*)\.avsc$/;

/** `schema/streams/<domain>/<dataset>`: the folder of a stream's versions, relative to the definition's folder. */
export function streamSchemaFolder(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return join(STREAM_SCHEMA_DIRECTORY, dataset.domain, dataset.name);
}

/** `schema/streams/<domain>/<dataset>/v<N>.avsc`. */
export function streamSchemaFile(dataset: Pick<DatasetConfig, 'domain' | 'name'>, version: number): string {
  return join(streamSchemaFolder(dataset), `v${version}.avsc`);
}

/** A version file as found in the repository: its number, path (relative to the definition's folder) and text. */
export interface StreamSchemaFile {
  readonly version: number;
  readonly file: string;
  readonly text: string;
}

/**
 * Reads the version files of a stream (`root`: the definition's folder). Files that are not `v<N>.avsc`
 * are reported, not skipped, so that a misnamed version cannot go unregistered unseen.
 */
export function readStreamSchemaFiles(root: string, dataset: Pick<DatasetConfig, 'domain' | 'name'>): { files: StreamSchemaFile[]; problems: string[] } {
  const folder = streamSchemaFolder(dataset);
  let names: string[];
  try {
    names = readdirSync(join(root, folder));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], problems: [] };
    throw error;
  }
  const problems = names
    .filter((name) => !VERSION_FILE.test(name))
    .map((name) => `${join(folder, name)} is not a version file; name versions v1.avsc, v2.avsc, ... (nothing else belongs in ${folder})`);
  const files = names
    .filter((name) => VERSION_FILE.test(name))
    .map((name) => ({ version: Number(VERSION_FILE.exec(name)?.[1]), file: join(folder, name), text: readFileSync(join(root, folder, name), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  return { files, problems };
}

/** The JSON text a version file holds for `schema`: two-space indented, with a final newline. */
export function streamSchemaText(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** One version's change against the one before it, for the gate's report. */
export interface StreamSchemaChange {
  readonly version: number;
  /** Fields it adds that have a default (optional: old messages read with the default). */
  readonly addedOptional: readonly string[];
  /** Fields it adds without a default. */
  readonly addedRequired: readonly string[];
  readonly removed: readonly string[];
  /** Fields whose type or default changed. */
  readonly changed: readonly string[];
}

/** The registry of one stream dataset, checked: its versions, the changes between them, and what is wrong. */
export interface StreamSchemaHistory {
  readonly dataset: string;
  readonly versions: readonly StreamSchemaVersion[];
  readonly changes: readonly StreamSchemaChange[];
  /** Each problem a sentence naming the dataset, the file or version and the field; empty when the history is sound. */
  readonly problems: readonly string[];
  /** When the definition's columns are ahead of the last version: the version `npm run schemas:streams` would append. */
  readonly unregistered?: { readonly version: number; readonly schema: Record<string, unknown> };
}

type JsonRecord = { name?: unknown; fields?: unknown };
type JsonField = { name: string } & Record<string, unknown>;

function fieldsOf(json: unknown): JsonField[] {
  const fields = (json as JsonRecord)?.fields;
  return Array.isArray(fields) ? fields.filter((field): field is JsonField => typeof field?.name === 'string') : [];
}

/** The field-level difference from `before` to `after` (both record schemas in their JSON form). */
export function fieldChanges(before: unknown, after: unknown): Omit<StreamSchemaChange, 'version'> {
  const old = new Map(fieldsOf(before).map((field) => [field.name, field]));
  const current = fieldsOf(after);
  const added = current.filter((field) => !old.has(field.name));
  const comparable = (field: JsonField) => JSON.stringify({ type: field.type, default: field.default });
  return {
    addedOptional: added.filter((field) => Object.hasOwn(field, 'default')).map((field) => field.name),
    addedRequired: added.filter((field) => !Object.hasOwn(field, 'default')).map((field) => field.name),
    removed: [...old.keys()].filter((name) => !current.some((field) => field.name === name)),
    changed: current.filter((field) => old.has(field.name) && comparable(old.get(field.name) as JsonField) !== comparable(field)).map((field) => field.name),
  };
}

function describeChanges(changes: Omit<StreamSchemaChange, 'version'>): string {
  const parts = [
    ...changes.addedOptional.map((name) => `field "${name}" added`),
    ...changes.addedRequired.map((name) => `field "${name}" added without a default`),
    ...changes.removed.map((name) => `field "${name}" removed`),
    ...changes.changed.map((name) => `field "${name}" changed its type or default`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'the record name or the order of the fields differs';
}

function describeBreak(dataset: string, version: number, mode: string, found: VersionBreak): string {
  const reader = found.direction === 'BACKWARD' ? `v${version}` : `v${found.against}`;
  const writer = found.direction === 'BACKWARD' ? `v${found.against}` : `v${version}`;
  const reasons = found.incompatibilities
    .map(
      (incompatibility) =>
        `${incompatibility.field ? `field "${incompatibility.field}"` : 'the record'} (${incompatibility.location}): ` +
        `${incompatibility.rule}: ${incompatibility.message}`,
    )
    .join('; ');
  return (
    `dataset "${dataset}": v${version} breaks ${mode} compatibility with v${found.against} ` +
    `(${found.direction === 'BACKWARD' ? 'consumers' : 'earlier consumers'} on ${reader} cannot read messages written with ${writer}): ${reasons}`
  );
}

/**
 * Checks a stream's version files: each parses as Avro (an error names the file and where in it), they
 * are numbered 1..N without gaps, each keeps the dataset's compatibility mode with those before it, and
 * the last is the definition's current schema. A definition whose columns changed since the last version
 * is a problem too (`unregistered` says which version to append): the clouds register files, so a change
 * of columns reaches no template before its version is committed and checked.
 */
export function streamSchemaHistory(dataset: DatasetConfig, files: readonly StreamSchemaFile[], fileProblems: readonly string[] = []): StreamSchemaHistory {
  if (dataset.source.kind !== 'stream')
    throw new Error(`streamSchemaHistory: dataset "${dataset.name}" has a ${dataset.source.kind} source; only streams have a message schema`);
  const mode = dataset.source.compatibility;
  const problems = fileProblems.map((problem) => `dataset "${dataset.name}": ${problem}`);
  const current = streamMessageAvroSchema(dataset);
  if (files.length === 0) {
    problems.push(
      `dataset "${dataset.name}" has no registered schema: ${streamSchemaFolder(dataset)} holds no v1.avsc; ` +
        `run \`npm run schemas:streams\` to register its columns as v1`,
    );
    return { dataset: dataset.name, versions: [], changes: [], problems, unregistered: { version: 1, schema: current } };
  }
  const parsed: { file: StreamSchemaFile; json: unknown; schema: AvroSchema }[] = [];
  files.forEach((file, index) => {
    if (file.version !== index + 1) {
      problems.push(
        `dataset "${dataset.name}": ${file.file} follows ${index === 0 ? 'no v1.avsc' : files[index - 1].file}; ` +
          `versions are numbered 1, 2, 3, ... without gaps`,
      );
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch (error) {
      problems.push(`dataset "${dataset.name}": ${file.file} does not parse as JSON: ${(error as Error).message}`);
      return;
    }
    try {
      parsed.push({ file, json, schema: parseAvroSchema(json) });
    } catch (error) {
      if (!(error instanceof AvroSchemaError)) throw error;
      problems.push(`dataset "${dataset.name}": ${file.file} is not a valid Avro schema: at ${error.location}: ${error.problem}`);
    }
  });
  if (parsed.length < files.length) return { dataset: dataset.name, versions: [], changes: [], problems };
  parsed.forEach((_, index) => {
    if (index === 0) return;
    for (const found of versionBreaks(
      mode,
      parsed.slice(0, index + 1).map((entry) => entry.schema),
    ))
      problems.push(describeBreak(dataset.name, index + 1, mode, found));
  });
  const changes = parsed.slice(1).map((entry, index) => ({ version: entry.file.version, ...fieldChanges(parsed[index].json, entry.json) }));
  const versions = parsed.map((entry) => ({ version: entry.file.version, file: entry.file.file, definition: JSON.stringify(entry.json) }));
  const latest = parsed[parsed.length - 1];
  if (JSON.stringify(latest.json) === JSON.stringify(current)) return { dataset: dataset.name, versions, changes, problems };
  const next = latest.file.version + 1;
  problems.push(
    `dataset "${dataset.name}": the definition's columns differ from the last registered version, ${latest.file.file} ` +
      `(${describeChanges(fieldChanges(latest.json, current))}); registered versions are never edited: run \`npm run schemas:streams\` ` +
      `to register the columns as v${next} (${streamSchemaFile(dataset, next)}), which the compatibility gate then checks (${mode})`,
  );
  return { dataset: dataset.name, versions, changes, problems, unregistered: { version: next, schema: current } };
}

/** The checked registry of every stream dataset of `config`, read from the folder of its definition file. */
export function streamSchemaHistories(config: PlatformConfig, root: string): StreamSchemaHistory[] {
  return config.datasets.filter(isStream).map((dataset) => {
    const { files, problems } = readStreamSchemaFiles(root, dataset);
    return streamSchemaHistory(dataset, files, problems);
  });
}

/** The versions of each stream when the definition is its only source (no registry folder): its columns as v1. */
export function initialStreamSchemas(datasets: readonly DatasetConfig[]): Record<string, readonly StreamSchemaVersion[]> {
  return Object.fromEntries(
    datasets
      .filter(isStream)
      .map((dataset) => [dataset.name, [{ version: 1, file: streamSchemaFile(dataset, 1), definition: JSON.stringify(streamMessageAvroSchema(dataset)) }]]),
  );
}
