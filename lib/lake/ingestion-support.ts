import { DATABASE_ENGINES, type DatasetConfig, FORMATS, SOURCE_KINDS } from '../definition';

/**
 * What the AWS side can ingest, stated once. The generic Glue script (constructs/aws/jobs/glue_ingest.py)
 * implements exactly these readers; a dataset outside the table fails synth with a message that names
 * the dataset, the field, the value and what is supported, instead of producing a job that cannot run.
 */
export const AWS_INGESTION_SUPPORT = {
  /** Source kinds and who lands them in bronze. */
  kinds: {
    database: 'Glue batch job over a JDBC connection',
    api: 'Glue batch job over HTTPS',
    files: 'Glue batch job over the bronze landing prefix',
    stream: 'Glue streaming job of the orchestration stacks (MSK)',
  },
  /** Formats the Glue script reads from files and writes to bronze. */
  formats: { json: 'JSON lines', csv: 'CSV', avro: 'Avro', parquet: 'Parquet', orc: 'ORC', binary: 'any file, listed in a Parquet manifest (binaryFile)' },
  /** Database engines the Glue JDBC readers support. */
  engines: { postgres: 'postgresql', mysql: 'mysql', sqlserver: 'sqlserver', oracle: 'oracle' },
} as const satisfies {
  kinds: Record<(typeof SOURCE_KINDS)[number], string>;
  formats: Record<(typeof FORMATS)[number], string>;
  engines: Record<(typeof DATABASE_ENGINES)[number], string>;
};

/** Why the AWS side cannot ingest `dataset`, one line per problem, or an empty list. */
export function awsIngestionProblems(dataset: Pick<DatasetConfig, 'name' | 'source' | 'format'>): string[] {
  const problems: string[] = [];
  const supported = (table: object) => Object.keys(table).join(', ');
  const kind = dataset.source.kind as string;
  if (!(kind in AWS_INGESTION_SUPPORT.kinds)) {
    problems.push(`dataset "${dataset.name}": source.kind "${kind}" cannot be ingested on AWS; supported: ${supported(AWS_INGESTION_SUPPORT.kinds)}`);
  }
  if (!((dataset.format as string) in AWS_INGESTION_SUPPORT.formats)) {
    problems.push(`dataset "${dataset.name}": format "${dataset.format}" cannot be ingested on AWS; supported: ${supported(AWS_INGESTION_SUPPORT.formats)}`);
  }
  if (dataset.source.kind === 'database' && !((dataset.source.engine as string) in AWS_INGESTION_SUPPORT.engines)) {
    problems.push(
      `dataset "${dataset.name}": source.engine "${dataset.source.engine}" cannot be ingested on AWS; supported: ${supported(AWS_INGESTION_SUPPORT.engines)}`,
    );
  }
  return problems;
}

/** Throws one clear Error when the AWS side cannot ingest `dataset`. */
export function requireAwsIngestionSupport(dataset: Pick<DatasetConfig, 'name' | 'source' | 'format'>): void {
  const problems = awsIngestionProblems(dataset);
  if (problems.length > 0) throw new Error(problems.join('; '));
}
