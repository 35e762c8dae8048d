import type { DatasetConfig } from '../definition';
import { BINARY_MANIFEST_FORMAT } from './binary-manifest';

/** How a Glue table of one format is read and written: the Hive input/output formats and SerDe. */
export interface TableStorageFormat {
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly tableParameters: Readonly<Record<string, string>>;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** A column as a Glue table holds it. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/**
 * The storage format of a Glue table holding `format` data with `columns`. CSV is written by the
 * ingestion job with a header row and the dataset's delimiter; JSON as JSON lines; Avro tables carry
 * their Avro schema (Athena and Hive need it).
 */
export function tableStorageFormat(
  format: DatasetConfig['format'],
  columns: readonly TableColumn[],
  options: { readonly delimiter?: string; readonly recordName?: string } = {},
): TableStorageFormat {
  switch (format) {
    case 'binary':
      // A binary dataset's table is its manifest of the objects (lib/lake/binary-manifest.ts).
      return tableStorageFormat(BINARY_MANIFEST_FORMAT, columns, options);
    case 'parquet':
      return {
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        serdeParameters: { 'serialization.format': '1' },
        tableParameters: { classification: 'parquet', 'parquet.compression': 'SNAPPY' },
      };
    case 'orc':
      return {
        inputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
        serdeParameters: { 'serialization.format': '1' },
        tableParameters: { classification: 'orc', 'orc.compress': 'SNAPPY' },
      };
    case 'avro': {
      const schema = JSON.stringify(avroSchema(options.recordName ?? 'record', columns));
      return {
        inputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat',
        serializationLibrary: 'org.apache.hadoop.hive.serde2.avro.AvroSerDe',
        serdeParameters: { 'avro.schema.literal': schema },
        tableParameters: { classification: 'avro', 'avro.schema.literal': schema },
      };
    }
    case 'json':
      return {
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
        serdeParameters: { 'ignore.malformed.json': 'false', 'case.insensitive': 'true' },
        tableParameters: { classification: 'json' },
      };
    case 'csv': {
      const delimiter = options.delimiter ?? ',';
      return {
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
        serdeParameters: { 'field.delim': delimiter, 'serialization.format': delimiter },
        tableParameters: { classification: 'csv', 'skip.header.line.count': '1', delimiter },
      };
    }
  }
}

type AvroType = string | Record<string, unknown>;

/** The Avro type of a definition column type. */
export function avroType(type: string): AvroType {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal) return { type: 'bytes', logicalType: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  switch (type) {
    case 'string':
    case 'int':
    case 'double':
    case 'boolean':
      return type;
    case 'bigint':
      return 'long';
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'timestamp':
      return { type: 'long', logicalType: 'timestamp-micros' };
    default:
      throw new Error(`avroType: column type "${type}" has no Avro equivalent; allowed: string, int, bigint, double, boolean, date, timestamp, decimal(p,s)`);
  }
}

/** An Avro record schema of the columns; every field is nullable (a union with null) so evolution stays compatible. */
export function avroSchema(name: string, columns: readonly TableColumn[]): Record<string, unknown> {
  return { type: 'record', name, fields: columns.map((column) => ({ name: column.name, type: ['null', avroType(column.type)], default: null })) };
}
