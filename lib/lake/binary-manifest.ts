import type { ColumnConfig, DatasetConfig } from '../definition';

/**
 * Binary datasets (`format: binary`): any file (images, PDFs, documents) lands in bronze as the object
 * it is, and a manifest table lists the files, one row per object, with the ingestion metadata columns
 * of every bronze table after them (`bronzeMetadataColumns`, lib/lake/layout.ts). The same manifest is
 * built by the Glue ingestion job on AWS (Spark's `binaryFile` source), by the Databricks bronze tables
 * step (Auto Loader's `binaryFile`) and by the local dbt project (DuckDB's `read_blob`); this file is the
 * contract they share.
 *
 * - `content` holds the file's bytes only up to `source.maxContentBytes`; a larger file is listed with
 *   its size, hash and type, `content` null and `content_omitted` true: it stays only as the object.
 * - Duplicates are flagged, never dropped (bronze keeps everything that landed): the first row of a
 *   content hash (by `_ingested_at`, then `modified_at`, then `path`) is the original; every later
 *   row with the same `content_sha256` has `is_duplicate` true and `duplicate_of` = the original's path,
 *   also across runs (each run checks the hashes already in the manifest).
 * - Each file is listed once: a run lists only the files whose path is not in the manifest yet.
 */

/** The largest file whose content a manifest row keeps when `source.maxContentBytes` is not given: 16 MiB. */
export const DEFAULT_MAX_CONTENT_BYTES = 16 * 1024 * 1024;
/**
 * The most `source.maxContentBytes` may be: 128 MiB. Larger values would put rows of that size into
 * Parquet and Delta files (and into Spark's memory); such files belong in the object store only.
 */
export const MAX_CONTENT_BYTES_LIMIT = 128 * 1024 * 1024;

/** The storage format of the manifest table (the objects stay as they are). */
export const BINARY_MANIFEST_FORMAT = 'parquet' as const;

/** A manifest column: a definition column (Spark SQL / Glue type, `binary` for the content). */
export interface ManifestColumn extends ColumnConfig {
  readonly type: 'string' | 'bigint' | 'timestamp' | 'boolean' | 'binary';
}

/** The manifest's columns, in order (the bronze metadata columns follow them). */
export const BINARY_MANIFEST_COLUMNS: readonly ManifestColumn[] = [
  { name: 'path', type: 'string', nullable: false, pii: false, description: 'URI of the object in bronze (where it landed); the key of the manifest.' },
  { name: 'size_bytes', type: 'bigint', nullable: false, pii: false, description: 'Size of the object in bytes (0 for an empty file).' },
  { name: 'modified_at', type: 'timestamp', nullable: false, pii: false, description: 'When the object was last modified in the store (UTC).' },
  {
    name: 'content_type',
    type: 'string',
    nullable: false,
    pii: false,
    description: 'Media type from the file name extension (BINARY_CONTENT_TYPES); application/octet-stream when unknown.',
  },
  { name: 'content_sha256', type: 'string', nullable: false, pii: false, description: 'SHA-256 of the content, 64 lower-case hex digits.' },
  {
    name: 'content',
    type: 'binary',
    nullable: true,
    pii: false,
    description: 'The bytes of the object; null when it is larger than the dataset source.maxContentBytes (content_omitted).',
  },
  {
    name: 'content_omitted',
    type: 'boolean',
    nullable: false,
    pii: false,
    description: 'Whether the object is larger than source.maxContentBytes, so its content is only in the object.',
  },
  {
    name: 'is_duplicate',
    type: 'boolean',
    nullable: false,
    pii: false,
    description: 'Whether an earlier row of the manifest has the same content_sha256 (by _ingested_at, modified_at, path).',
  },
  { name: 'duplicate_of', type: 'string', nullable: true, pii: false, description: 'Path of the earliest object with the same content, when is_duplicate.' },
];

/** The key of the manifest: one row per object. */
export const BINARY_MANIFEST_KEY = 'path';

/** The content type of a file whose extension is not in BINARY_CONTENT_TYPES. */
export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/**
 * Media types by lower-case file name extension (the text after the last `.` of the file name). Every
 * engine classifies with this table (passed as a job argument, in the plan, and generated into the dbt
 * project), so the three manifests agree; an extension not listed is UNKNOWN_CONTENT_TYPE.
 */
export const BINARY_CONTENT_TYPES: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  bmp: 'image/bmp',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  gif: 'image/gif',
  gz: 'application/gzip',
  heic: 'image/heic',
  htm: 'text/html',
  html: 'text/html',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  json: 'application/json',
  md: 'text/markdown',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  png: 'image/png',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  wav: 'audio/wav',
  webp: 'image/webp',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xml: 'application/xml',
  zip: 'application/zip',
};

/** Whether a dataset is a binary dataset (objects and a manifest) rather than records. */
export function isBinary(dataset: Pick<DatasetConfig, 'format'>): boolean {
  return dataset.format === 'binary';
}

/** What every engine needs to build a binary dataset's manifest: the content limit and the content types. */
export interface BinaryManifestSettings {
  readonly maxContentBytes: number;
  readonly contentTypes: Readonly<Record<string, string>>;
  readonly unknownContentType: string;
}

/** The manifest settings of a binary dataset; throws naming the dataset for any other. */
export function binaryManifestSettings(dataset: Pick<DatasetConfig, 'name' | 'format' | 'source'>): BinaryManifestSettings {
  if (!isBinary(dataset) || dataset.source.kind !== 'files')
    throw new Error(
      `dataset "${dataset.name}": a manifest is built for format binary files datasets only (format "${dataset.format}", source.kind "${dataset.source.kind}")`,
    );
  return {
    maxContentBytes: dataset.source.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES,
    contentTypes: BINARY_CONTENT_TYPES,
    unknownContentType: UNKNOWN_CONTENT_TYPE,
  };
}
