import { type DatabaseLoad, type DatabaseSource, type DatasetConfig, isCaptured } from '../definition';
import { binaryManifestSettings, isBinary } from './binary-manifest';
import { CHANGE_CAPTURE_FORMAT, CHANGE_SEQUENCE_HEADER_COLUMN, changeCaptureLandingPattern } from './change-capture';
import { BRONZE_PARTITION_COLUMN, bronzeMetadataColumns, datasetPrefix, landingPattern, quarantinePrefix, sourceDescription } from './layout';

/** Where a dataset's ingestion job writes, and through which connection it reads. */
export interface IngestionTarget extends BronzeTarget {
  /** The Glue connection of a database source (see `glueConnectionName`). */
  readonly connectionName?: string;
}

/** Where any landing job (batch or streaming) writes a dataset in bronze. */
export interface BronzeTarget {
  /** The bronze Glue database. */
  readonly databaseName: string;
  /** The bronze bucket. */
  readonly bronzeBucketName: string;
}

/**
 * The arguments every job that lands a dataset in bronze shares, batch or streaming: the dataset, its
 * declared columns, the ingestion metadata columns, the partition column and the bronze table and
 * prefixes (lib/lake/layout.ts).
 */
export function bronzeTargetArguments(dataset: DatasetConfig, target: BronzeTarget): Record<string, string> {
  return {
    '--dataset': dataset.name,
    '--domain': dataset.domain,
    '--columns': JSON.stringify(dataset.columns.map((column) => ({ name: column.name, type: column.type, nullable: column.nullable }))),
    // The key columns: a CDC delete may carry nothing but them (both jobs land such deletes).
    '--keys': dataset.keys.join(','),
    '--metadata_columns': bronzeMetadataColumns(dataset)
      .map((column) => column.name)
      .join(','),
    '--partition_column': BRONZE_PARTITION_COLUMN,
    '--source_description': sourceDescription(dataset),
    '--target_database': target.databaseName,
    '--target_table': dataset.name,
    '--target_bucket': target.bronzeBucketName,
    '--target_prefix': datasetPrefix(dataset),
    '--quarantine_prefix': quarantinePrefix(dataset),
  };
}

/**
 * The job arguments (`--name value`) that parameterise the generic ingestion script
 * (constructs/aws/jobs/glue_ingest.py) for one dataset. Everything the script needs comes from the
 * definition through these; the script has no dataset-specific code. Secrets are passed by name.
 */
export function ingestionJobArguments(dataset: DatasetConfig, target: IngestionTarget): Record<string, string> {
  const source = dataset.source;
  const args: Record<string, string> = {
    ...bronzeTargetArguments(dataset, target),
    '--source_kind': source.kind,
    '--format': dataset.format,
    '--cdc': String(dataset.cdc),
  };
  switch (source.kind) {
    case 'database':
      if (!target.connectionName) throw new Error(`dataset "${dataset.name}": a database source needs a Glue connection (target.connectionName)`);
      Object.assign(args, {
        '--connection_name': target.connectionName,
        '--engine': source.engine,
        '--source_table': source.table,
        '--load': databaseLoad(dataset, source),
      });
      // CDC sources are read by change sequence, others by their change-tracking column; snapshots whole.
      if (args['--load'] === 'incremental') args['--bookmark_keys'] = dataset.cdc ? '_change_seq' : (source.changeTrackingColumn as string);
      // Captured changes are read from the files the replication lands, not from the database.
      if (isCaptured(dataset)) {
        Object.assign(args, {
          '--change_capture': CHANGE_CAPTURE_FORMAT,
          '--landing_pattern': changeCaptureLandingPattern(dataset),
          '--change_sequence_column': CHANGE_SEQUENCE_HEADER_COLUMN,
        });
      }
      break;
    case 'api':
      Object.assign(args, { '--base_url': source.baseUrl, '--api_path': source.path, '--pagination': source.pagination ?? 'none' });
      if (source.authSecret) args['--api_auth_name'] = source.authSecret;
      break;
    case 'files':
      args['--landing_pattern'] = landingPattern(source.pathPattern);
      if (isBinary(dataset)) {
        // Files kept as objects and listed in the manifest: nothing is parsed, so no CSV dialect.
        const manifest = binaryManifestSettings(dataset);
        Object.assign(args, {
          '--max_content_bytes': String(manifest.maxContentBytes),
          '--content_types': JSON.stringify(manifest.contentTypes),
          '--unknown_content_type': manifest.unknownContentType,
        });
      } else Object.assign(args, { '--csv_header': String(source.header ?? true), '--csv_delimiter': source.delimiter ?? ',' });
      break;
    case 'stream':
      throw new Error(`dataset "${dataset.name}": stream datasets are landed by the streaming job, not the batch ingestion script`);
  }
  return args;
}

/**
 * How the ingestion job reads a database dataset: incrementally (CDC by `_change_seq`, otherwise by the
 * change-tracking column) or as a full snapshot. Validation guarantees a non-CDC incremental dataset
 * has its change-tracking column (lib/config/rules.ts).
 */
export function databaseLoad(dataset: Pick<DatasetConfig, 'name' | 'cdc'>, source: DatabaseSource): DatabaseLoad {
  if (dataset.cdc) return 'incremental';
  const load = source.load ?? 'incremental';
  if (load === 'incremental' && !source.changeTrackingColumn)
    throw new Error(`dataset "${dataset.name}": a database source without cdc needs source.changeTrackingColumn or source.load: snapshot`);
  return load;
}
