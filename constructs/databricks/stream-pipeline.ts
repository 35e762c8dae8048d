import { Pipeline } from '@cdktf/provider-databricks/lib/pipeline';
import { Construct } from 'constructs';
import type { TableKind } from '../../lib/access/unity-catalog-grants';
import { type Format, type Layer, type QualityRule, SCD_TYPES, type ScdType } from '../../lib/definition';
import { bronzeMetadataColumns, streamSourceDescription } from '../../lib/lake';
import { pipelineEventLogTableName, STREAM_PIPELINE_TABLE_LAYERS, type StreamPipelineTableNames, streamPipelineTableNames } from '../../lib/naming';
import { quartzCronExpression } from '../../lib/schedules/quartz-cron';
import { type FailureNotificationProps, grantGroups, type WorkspaceScopedProps } from './workspace-scoped';

/** Where the pipeline reads Kafka from and how it authenticates. */
export interface KafkaSourceProps {
  /** `<namespace>.servicebus.windows.net`: the Event Hubs Kafka endpoint (port 9093). */
  readonly namespaceHost: string;
  /** Entra ID token endpoint of the tenant (OAuth client credentials). */
  readonly tokenEndpoint: string;
  /** Key Vault-backed secret scope holding the ingestion application's credentials. */
  readonly secretScope: string;
  /** Secret names of the application's client id and client secret in that scope. */
  readonly clientIdSecret: string;
  readonly clientSecretSecret: string;
  /** Event Hubs consumer group the pipeline reads with. */
  readonly consumerGroup: string;
}

export interface StreamPipelineProps extends WorkspaceScopedProps, FailureNotificationProps {
  /** Pipeline name (see `dltPipelineName`). */
  readonly name: string;
  /** The stream datasets the pipeline reads, each from its own topic (at least one). */
  readonly datasets: readonly StreamPipelineDataset[];
  /** Unity Catalog catalog and the schema of each layer. */
  readonly catalog: string;
  readonly schemas: Readonly<Record<Layer, string>>;
  /** Workspace path of the pipeline source (stream_medallion.py). */
  readonly sourcePath: string;
  /** Workspace folder of the pipeline sources; on sys.path, so the source imports its helpers (stream_rules.py). */
  readonly rootPath: string;
  readonly kafka: KafkaSourceProps;
  /** Id of the cluster policy pipeline clusters use. */
  readonly clusterPolicyId: string;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /**
   * Whether the pipeline runs continuously (production) or on its triggered schedule.
   * @default false
   */
  readonly continuous?: boolean;
  /**
   * When a triggered pipeline runs (five-field cron, UTC); ignored when continuous.
   * @default '0 * * * *' (hourly)
   */
  readonly triggerSchedule?: string;
  /**
   * Development mode: clusters are reused between updates and failures are not retried.
   * @default false
   */
  readonly development?: boolean;
  /**
   * Records each trigger reads from a topic at most.
   * @default 100000
   */
  readonly maxOffsetsPerTrigger?: number;
  /**
   * How late a duplicate of a record may arrive and still be removed in silver (a Spark interval).
   * @default '1 hour'
   */
  readonly deduplicationWindow?: string;
  /**
   * Databricks groups that may start, stop and watch the pipeline (`CAN_RUN`).
   * @default - none beyond the workspace admins
   */
  readonly runners?: readonly string[];
}

/** A column of a stream dataset, as the pipeline types and checks it in silver. */
export interface StreamPipelineColumn {
  readonly name: string;
  /** Spark SQL type, e.g. `string`, `bigint`, `decimal(10,2)`, `timestamp`. */
  readonly type: string;
  /** Whether the column may be null; a null in a non-nullable column sends the row to quarantine. */
  readonly nullable: boolean;
}

/** How the pipeline applies the change events of a CDC stream dataset (an AUTO CDC flow into silver). */
export interface StreamPipelineChangeData {
  /** SCD type of the silver table: 1 the current row of each key, 2 every version with `__START_AT`/`__END_AT`. */
  readonly scdType: ScdType;
}

/** One stream dataset as the pipeline code (stream_medallion.py) reads it: its topic, record shape and checks. */
export interface StreamPipelineDataset {
  /** Table name in each layer. */
  readonly name: string;
  /**
   * Description of the tables.
   * @default - no description
   */
  readonly description?: string;
  /** Kafka topic (event hub) the records arrive on. */
  readonly topic: string;
  /** Encoding of the records on the topic. */
  readonly format: Format;
  readonly columns: readonly StreamPipelineColumn[];
  /** Columns that identify a record; silver keeps one row per key within the deduplication window. */
  readonly keys: readonly string[];
  /**
   * The registered Avro schema (JSON text) an Avro stream's messages are written with: its latest version
   * in the schema registry (`PlatformConfig.streamSchemas`). The pipeline decodes plain Avro (no framing)
   * with it.
   * @default - the pipeline derives an Avro schema from the columns (stream_rules.avro_schema)
   */
  readonly messageSchema?: string;
  /**
   * Quality rules, applied in silver as expectations; failing rows go to the quarantine table.
   * @default - no rules
   */
  readonly quality?: readonly QualityRule[];
  /**
   * Set when the records are change events (`_op`, `_change_seq` in each message): silver applies them
   * with AUTO CDC instead of deduplicating.
   * @default - records are facts, deduplicated on the keys in silver
   */
  readonly cdc?: StreamPipelineChangeData;
}

/** A table the pipeline publishes to Unity Catalog, and whose data it holds. */
export interface StreamPipelineTable {
  /** The layer, whose schema (`schemas`) holds the table. */
  readonly layer: Layer;
  readonly name: string;
  /** `table` for streaming tables (they take writes), `view` for materialized views. */
  readonly kind: TableKind;
  /** The datasets whose records the table holds. */
  readonly datasets: readonly string[];
}

/**
 * The `platform.datasets` entry of a dataset: the fields in the order the pipeline code reads them. `source`
 * and `metadataColumns` are what the bronze table `tables.bronze` adds to each decoded record: the bronze
 * layout of lib/lake/layout.ts, the same columns in the same order and types as the AWS streaming job writes.
 */
export function streamPipelineDatasetSpec(dataset: StreamPipelineDataset) {
  return {
    name: dataset.name,
    description: dataset.description,
    topic: dataset.topic,
    format: dataset.format,
    columns: dataset.columns.map((column) => ({ name: column.name, type: column.type, nullable: column.nullable })),
    keys: dataset.keys,
    ...(dataset.messageSchema === undefined ? {} : { messageSchema: dataset.messageSchema }),
    quality: dataset.quality ?? [],
    cdc: dataset.cdc ? { scdType: dataset.cdc.scdType } : null,
    tables: streamPipelineTableNames(dataset.name),
    source: streamSourceDescription(dataset.topic),
    metadataColumns: bronzeMetadataColumns({ cdc: dataset.cdc !== undefined, source: { kind: 'stream' } }).map(({ name, type }) => ({ name, type })),
  };
}

/** Streaming tables take writes; the gold aggregate is a materialized view. */
const STREAM_PIPELINE_TABLE_KINDS: Readonly<Record<keyof StreamPipelineTableNames, TableKind>> = {
  raw: 'table',
  bronze: 'table',
  silver: 'table',
  quarantine: 'table',
  gold: 'view',
};

/**
 * A Delta Live Tables pipeline for the stream datasets of one domain (stream_medallion.py): bronze
 * from the Event Hubs Kafka endpoint (the raw records, and the dataset's bronze table in the layout the
 * dbt sources read), silver with the definition's quality rules as expectations and a
 * quarantine table for the rows that fail them (change events applied with AUTO CDC, SCD type 1 or 2),
 * gold daily aggregates; published to Unity Catalog,
 * on clusters of the pipeline policy, continuous or triggered, emailing on failure. The tables it
 * publishes (`tables`) are named here and passed to the code, so that their grants can be planned
 * (see `TableGrantsJob`): a pipeline cannot grant on its own tables.
 */
export class StreamPipeline extends Construct {
  readonly pipeline: Pipeline;
  /** Every table the pipeline publishes, with the datasets whose data it holds. */
  readonly tables: readonly StreamPipelineTable[];

  constructor(scope: Construct, id: string, props: StreamPipelineProps) {
    super(scope, id);
    if (props.datasets.length === 0) throw new Error(`StreamPipeline ${props.name}: datasets is empty; a pipeline needs at least one stream dataset`);
    const names = props.datasets.map((dataset) => dataset.name);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    if (repeated.length > 0) throw new Error(`StreamPipeline ${props.name}: datasets has "${repeated[0]}" more than once; each dataset is one set of tables`);
    for (const dataset of props.datasets) {
      if (dataset.cdc && !(SCD_TYPES as readonly number[]).includes(dataset.cdc.scdType)) {
        throw new Error(
          `StreamPipeline ${props.name}: dataset "${dataset.name}" has cdc.scdType ${String(dataset.cdc.scdType)}; allowed: ${SCD_TYPES.join(', ')}`,
        );
      }
    }
    const specs = props.datasets.map(streamPipelineDatasetSpec);
    const eventLog = pipelineEventLogTableName(props.name);
    this.tables = [
      ...specs.flatMap(({ name, tables }) =>
        (Object.keys(STREAM_PIPELINE_TABLE_LAYERS) as Array<keyof StreamPipelineTableNames>).map((table): StreamPipelineTable => ({
          layer: STREAM_PIPELINE_TABLE_LAYERS[table],
          name: tables[table],
          kind: STREAM_PIPELINE_TABLE_KINDS[table],
          datasets: [name],
        })),
      ),
      // Expectation metrics and flow progress of all the pipeline's datasets: an audit record, read-only.
      { layer: 'silver', name: eventLog, kind: 'view', datasets: names },
    ];
    const continuous = props.continuous ?? false;
    const emails = props.failureEmails ?? [];
    const configuration: Record<string, string> = {
      'platform.catalog': props.catalog,
      'platform.schema.bronze': props.schemas.bronze,
      'platform.schema.silver': props.schemas.silver,
      'platform.schema.gold': props.schemas.gold,
      'platform.datasets': JSON.stringify(specs),
      'platform.kafka.namespaceHost': props.kafka.namespaceHost,
      'platform.kafka.tokenEndpoint': props.kafka.tokenEndpoint,
      'platform.kafka.secretScope': props.kafka.secretScope,
      'platform.kafka.clientIdSecret': props.kafka.clientIdSecret,
      'platform.kafka.clientSecretSecret': props.kafka.clientSecretSecret,
      'platform.kafka.consumerGroup': props.kafka.consumerGroup,
      'platform.kafka.maxOffsetsPerTrigger': String(props.maxOffsetsPerTrigger ?? 100000),
      'platform.deduplicationWindow': props.deduplicationWindow ?? '1 hour',
    };
    this.pipeline = new Pipeline(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      catalog: props.catalog,
      schema: props.schemas.bronze,
      edition: 'ADVANCED',
      channel: 'CURRENT',
      photon: true,
      continuous,
      development: props.development ?? false,
      trigger: continuous ? undefined : { cron: { quartzCronSchedule: quartzCronExpression(props.triggerSchedule ?? '0 * * * *'), timezoneId: 'UTC' } },
      rootPath: props.rootPath,
      library: [{ file: { path: props.sourcePath } }],
      cluster: [
        {
          label: 'default',
          policyId: props.clusterPolicyId,
          applyPolicyDefaultValues: true,
          autoscale: { minWorkers: props.minWorkers, maxWorkers: props.maxWorkers, mode: 'ENHANCED' },
        },
      ],
      configuration,
      // The event log (expectation metrics: how many rows each rule quarantined) as a Unity Catalog
      // table next to the quarantine tables, so data quality is queryable and alertable.
      eventLog: { catalog: props.catalog, schema: props.schemas.silver, name: eventLog },
      notification:
        emails.length > 0 ? [{ emailRecipients: [...emails], alerts: ['on-update-failure', 'on-update-fatal-failure', 'on-flow-failure'] }] : undefined,
    });
    grantGroups(this, 'Permissions', props.provider, { pipelineId: this.pipeline.id }, props.runners ?? [], 'CAN_RUN');
  }
}
