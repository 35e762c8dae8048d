import type { DatasetConfig, StreamSchemaVersion } from '../definition';
import { type BronzeTarget, bronzeTargetArguments } from './ingestion-arguments';
import { datasetPrefix, domainPrefix } from './layout';
import { avroSchema } from './table-formats';

/** Prefix of the bronze bucket under which streaming jobs keep their Structured Streaming checkpoints. */
export const STREAM_CHECKPOINT_PREFIX = '_checkpoints/';

/** `_checkpoints/<domain>/`: where the checkpoints of a domain's streaming jobs lie (each `streamCheckpointPrefix` below it). */
export function domainStreamCheckpointPrefix(domain: string): string {
  return `${STREAM_CHECKPOINT_PREFIX}${domainPrefix(domain)}`;
}

/** `_checkpoints/<domain>/<dataset>/`: the checkpoint of a stream dataset's job. */
export function streamCheckpointPrefix(dataset: Pick<DatasetConfig, 'domain' | 'name'>): string {
  return `${STREAM_CHECKPOINT_PREFIX}${datasetPrefix(dataset)}`;
}

/**
 * Formats the streaming job parses (constructs/aws/jobs/glue_stream.py): JSON messages, and plain Avro
 * binary messages (no framing: no Glue or Confluent header) written with the stream's latest registered
 * message schema (`streamMessageAvroSchema` of its columns, registered as schema/streams/.../v<N>.avsc).
 */
export const STREAM_MESSAGE_FORMATS = ['json', 'avro'] as const;

/** Throws one clear Error when the AWS streaming job cannot land `dataset`. */
export function requireAwsStreamSupport(dataset: Pick<DatasetConfig, 'name' | 'format' | 'source'>): void {
  if (dataset.source.kind !== 'stream')
    throw new Error(`dataset "${dataset.name}": source.kind "${dataset.source.kind}" is not a stream; batch datasets are landed by the ingestion stacks`);
  if (!(STREAM_MESSAGE_FORMATS as readonly string[]).includes(dataset.format)) {
    throw new Error(
      `dataset "${dataset.name}": format "${dataset.format}" cannot be streamed into bronze on AWS; ` +
        `the Glue streaming job reads ${STREAM_MESSAGE_FORMATS.join(', ')} messages`,
    );
  }
}

/**
 * The Avro schema an Avro stream's messages are written with: a record named after the dataset with its
 * declared columns and, for a CDC stream, `_op` and `_change_seq`, every field nullable (the job checks
 * the not-nullable ones and quarantines what breaks them).
 */
export function streamMessageAvroSchema(dataset: Pick<DatasetConfig, 'name' | 'columns' | 'cdc'>): Record<string, unknown> {
  const cdc = dataset.cdc
    ? [
        { name: '_op', type: 'string' },
        { name: '_change_seq', type: 'bigint' },
      ]
    : [];
  return avroSchema(dataset.name, [...dataset.columns, ...cdc]);
}

/** Where a stream dataset's job reads and writes. */
export interface StreamTarget extends BronzeTarget {
  /** ARN of the MSK cluster that carries the topic. */
  readonly clusterArn: string;
  /**
   * Micro-batch interval in seconds.
   * @default 60
   */
  readonly triggerSeconds?: number;
  /**
   * Most messages one micro-batch reads.
   * @default 1000000
   */
  readonly maxOffsetsPerTrigger?: number;
  /**
   * The registered message schema the job decodes with: the registry, the schema's name in it and its
   * latest version (`PlatformConfig.streamSchemas`). The job refuses to start when the registry's latest
   * version is another one; an Avro stream decodes with this version's definition.
   * @default - the schema of the dataset's columns, not checked against a registry
   */
  readonly registeredSchema?: { readonly registryName: string; readonly schemaName: string; readonly version: StreamSchemaVersion };
}

/** The job arguments of glue_stream.py for one stream dataset. */
export function streamJobArguments(dataset: DatasetConfig, target: StreamTarget): Record<string, string> {
  requireAwsStreamSupport(dataset);
  const source = dataset.source as Extract<DatasetConfig['source'], { kind: 'stream' }>;
  const registered = target.registeredSchema;
  return {
    ...bronzeTargetArguments(dataset, target),
    '--format': dataset.format,
    ...(dataset.format === 'avro' ? { '--message_schema': registered?.version.definition ?? JSON.stringify(streamMessageAvroSchema(dataset)) } : {}),
    ...(registered
      ? { '--schema_registry': registered.registryName, '--schema_name': registered.schemaName, '--schema_version': String(registered.version.version) }
      : {}),
    '--topic': source.topic,
    '--partitions': String(source.partitions),
    '--retention_hours': String(source.retentionHours),
    '--cluster_arn': target.clusterArn,
    '--checkpoint_prefix': streamCheckpointPrefix(dataset),
    '--trigger_seconds': String(target.triggerSeconds ?? 60),
    '--max_offsets_per_trigger': String(target.maxOffsetsPerTrigger ?? 1_000_000),
    '--starting_offsets': 'earliest',
  };
}
