import type { ConfigIssue, ConfigPath } from './issue';
import type { DatasetInput } from './schema';

const MANIFEST =
  'its bronze table is the manifest of the files (path, size_bytes, modified_at, content_type, content_sha256, content, ...), ' +
  'whose columns the platform defines';

/**
 * What a dataset's format allows: a binary dataset is files kept as objects with a manifest, so it takes
 * no columns, keys, CDC, quality rules or CSV options; every other format is records, which need
 * columns and keys, and has no content limit.
 */
export function formatIssues(dataset: DatasetInput, at: (...rest: (string | number)[]) => ConfigPath): ConfigIssue[] {
  if (dataset.format !== 'binary') {
    const issues: ConfigIssue[] = [];
    const records = `format "${dataset.format}" holds records (only format binary has none)`;
    if (dataset.columns === undefined) issues.push({ path: at('columns'), message: `is required: ${records}` });
    if (dataset.keys === undefined) issues.push({ path: at('keys'), message: `is required: ${records}` });
    if (dataset.source.kind === 'files' && dataset.source.maxContentBytes !== undefined)
      issues.push({
        path: at('source', 'maxContentBytes'),
        message: `(${dataset.source.maxContentBytes}) applies to format binary only; format is "${dataset.format}"`,
      });
    return issues;
  }
  const notForBinary = (path: ConfigPath, why: string): ConfigIssue => ({ path, message: `is not allowed with format binary: ${why}` });
  const issues: ConfigIssue[] = [];
  if (dataset.source.kind !== 'files')
    issues.push({
      path: at('format'),
      message:
        `"binary" is for files sources only (files landed under the landing prefix); a ${dataset.source.kind} source ` +
        'delivers records: use json, csv, avro, parquet or orc',
    });
  if (dataset.columns !== undefined) issues.push(notForBinary(at('columns'), MANIFEST));
  if (dataset.keys !== undefined) issues.push(notForBinary(at('keys'), 'the manifest is keyed by path, one row per object'));
  if (dataset.cdc !== undefined && dataset.cdc !== false) issues.push(notForBinary(at('cdc'), 'files are objects, not change events'));
  if (dataset.quality !== undefined && dataset.quality.length > 0)
    issues.push(notForBinary(at('quality'), 'quality rules check declared columns; a binary dataset has none (its manifest flags duplicates itself)'));
  if (dataset.source.kind === 'files') {
    for (const option of ['header', 'delimiter'] as const) {
      if (dataset.source[option] !== undefined) issues.push(notForBinary(at('source', option), `${option} is a CSV option; binary files are not parsed`));
    }
  }
  return issues;
}
