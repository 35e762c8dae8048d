import type { DataFactory } from '@cdktf/provider-azurerm/lib/data-factory';
import { DataFactoryCustomDataset } from '@cdktf/provider-azurerm/lib/data-factory-custom-dataset';
import type { DataFactoryIntegrationRuntimeAzure } from '@cdktf/provider-azurerm/lib/data-factory-integration-runtime-azure';
import { DataFactoryLinkedCustomService } from '@cdktf/provider-azurerm/lib/data-factory-linked-custom-service';
import type { DataFactoryLinkedServiceDataLakeStorageGen2 } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-data-lake-storage-gen2';
import type { DataFactoryLinkedServiceKeyVault } from '@cdktf/provider-azurerm/lib/data-factory-linked-service-key-vault';
import { DataFactoryPipeline } from '@cdktf/provider-azurerm/lib/data-factory-pipeline';
import { DataFactoryTriggerSchedule } from '@cdktf/provider-azurerm/lib/data-factory-trigger-schedule';
import { DataFactoryTriggerTumblingWindow } from '@cdktf/provider-azurerm/lib/data-factory-trigger-tumbling-window';
import { Construct } from 'constructs';
import { dataFactoryCopyActivityName, dataFactoryPipelineName } from '../../lib/naming';
import { dataFactoryRecurrence } from '../../lib/schedules/data-factory-recurrence';
import { tumblingWindowOf } from '../../lib/schedules/tumbling-window';
import { BRONZE_SINK_PARAMETERS } from './bronze-landing';
import { captureActivities, captureSinkDataset, SQL_SERVER_CAPTURE_DELAY } from './change-capture-copy';
import { processingActivities, type ProcessingJob } from './databricks-job-run';
import {
  copyActivity,
  type DatasetCopy,
  databaseSourceType,
  isIncremental,
  requireCopySource,
  sinkDataset,
  sourceDataset,
  sourceLinkedService,
} from './data-factory-copy';
import {
  FIRST_FILE_WATERMARK,
  firstWatermark,
  type NewWatermark,
  newWatermarkQuery,
  readWatermarkActivities,
  storeWatermarkActivity,
  WATERMARK_READY,
  WATERMARK_VARIABLES,
  watermarkStateDataset,
} from './incremental-copy';

/** One dataset's copy into bronze: what it copies and when. */
export interface DatasetCopyOptions extends DatasetCopy {
  /** When the copy runs: a five-field cron expression (UTC) that Data Factory's recurrence can express. */
  readonly schedule: string;
  /**
   * Whether the schedule trigger starts activated.
   * @default true
   */
  readonly triggerActivated?: boolean;
}

export interface DatasetCopyPipelineProps extends DatasetCopyOptions {
  /** The factory the pipeline belongs to. */
  readonly factory: DataFactory;
  /** The managed integration runtime the source linked service connects through. */
  readonly integrationRuntime: DataFactoryIntegrationRuntimeAzure;
  /** Linked service of the lake: the sink, and the source of files datasets. */
  readonly lakeLinkedService: DataFactoryLinkedServiceDataLakeStorageGen2;
  /** Linked service of the Key Vault holding the source's connection string or API credential. */
  readonly keyVaultLinkedService: DataFactoryLinkedServiceKeyVault;
  /** Name of the lake's storage account: incremental copies store their watermark in its bronze-work container. */
  readonly lakeAccountName: string;
  /**
   * The Databricks job that processes the domain after each successful copy (constructs/azure/databricks-job-run.ts).
   * @default - the pipeline ends with the copy
   */
  readonly processing?: Omit<ProcessingJob, 'integrationRuntime'>;
}

/** A fixed past start keeps minute-based triggers aligned to the hour and the plan free of diffs. */
const TRIGGER_START_TIME = '2026-01-01T00:00:00Z';

/**
 * The copy of one dataset into `bronze/<domain>/<name>/` in an existing Data Factory: the source's own
 * linked service (databases and APIs, credentials by Key Vault secret name), a source and a sink
 * dataset, a pipeline `ingest_<name>` with one retried copy activity, and a schedule trigger from the
 * dataset's cron expression. A captured (`cdc: true`) database dataset copies its change feed into the
 * bronze CDC layout instead, SQL Server per tumbling window (change-capture-copy.ts). `IngestionFactory`
 * creates one per dataset; the construct id is the
 * dataset name, so each Terraform resource keeps its address.
 */
export class DatasetCopyPipeline extends Construct {
  readonly pipeline: DataFactoryPipeline;
  /** The schedule trigger; a tumbling-window trigger for changes captured from SQL Server. */
  readonly trigger: DataFactoryTriggerSchedule | DataFactoryTriggerTumblingWindow;

  constructor(scope: Construct, id: string, props: DatasetCopyPipelineProps) {
    super(scope, id);
    requireCopySource('DatasetCopyPipeline', props);
    const recurrence = dataFactoryRecurrence(props.schedule, props.name);
    const dataFactoryId = props.factory.id;
    const linkedService = sourceLinkedService(props, props.keyVaultLinkedService.name);
    const sourceLinkedServiceName = linkedService
      ? new DataFactoryLinkedCustomService(this, 'SourceLinkedService', {
          name: `ls_${props.name}`,
          dataFactoryId,
          type: linkedService.type,
          typePropertiesJson: JSON.stringify(linkedService.typeProperties),
          integrationRuntime: { name: props.integrationRuntime.name },
        }).name
      : props.lakeLinkedService.name;
    const source = sourceDataset(props);
    const sourceData = new DataFactoryCustomDataset(this, 'Source', {
      name: `ds_${props.name}_source`,
      dataFactoryId,
      type: source.type,
      typePropertiesJson: JSON.stringify(source.typeProperties),
      linkedService: { name: sourceLinkedServiceName },
      folder: props.domain,
    });
    const capture = props.capture && props.source.kind === 'database' ? { ...props.capture, source: props.source } : undefined;
    const sink = capture ? captureSinkDataset(props) : sinkDataset(props);
    const sinkData = new DataFactoryCustomDataset(this, 'Sink', {
      name: `ds_${props.name}_bronze`,
      dataFactoryId,
      type: sink.type,
      typePropertiesJson: JSON.stringify(sink.typeProperties),
      linkedService: { name: props.lakeLinkedService.name },
      folder: props.domain,
      parameters: BRONZE_SINK_PARAMETERS,
    });
    const windowed = capture?.source.engine === 'sqlserver';
    const incremental = !capture && isIncremental(props);
    const activities = capture
      ? captureActivities({ name: props.name, source: capture.source }, capture, sourceData.name, sinkData.name)
      : incremental
        ? this.incrementalActivities(props, sourceData.name, sinkData.name)
        : [copyActivity(props, sourceData.name, sinkData.name, props.lakeLinkedService.name)];
    if (props.processing) {
      const last = activities[activities.length - 1].name as string;
      activities.push(...processingActivities({ ...props.processing, integrationRuntime: props.integrationRuntime.name }, last));
    }
    this.pipeline = new DataFactoryPipeline(this, 'Pipeline', {
      name: dataFactoryPipelineName(props.name),
      dataFactoryId,
      description: capture
        ? `Copies the changes of ${props.name} (${capture.source.engine} change feed) into bronze/${props.domain}/${props.name}/ in the CDC layout`
        : `Copies ${props.name} (${props.source.kind}${incremental ? ', incrementally' : ''}) into bronze/${props.domain}/${props.name}/`,
      folder: props.domain,
      concurrency: 1,
      parameters: windowed ? { windowStart: '', windowEnd: '' } : undefined,
      variables: incremental ? { [WATERMARK_VARIABLES.stored]: this.firstWatermark(props), [WATERMARK_VARIABLES.next]: '' } : undefined,
      activitiesJson: JSON.stringify(activities),
    });
    if (windowed) {
      // SQL Server changes are read per window: back-to-back, one at a time, each rerun until it succeeds.
      const window = tumblingWindowOf(props.schedule, props.name);
      this.trigger = new DataFactoryTriggerTumblingWindow(this, 'Trigger', {
        name: `window_${props.name}`,
        dataFactoryId,
        description: `"${props.schedule}" (UTC) from the platform definition, as back-to-back windows of change capture`,
        pipeline: {
          name: this.pipeline.name,
          parameters: { windowStart: '@{trigger().outputs.windowStartTime}', windowEnd: '@{trigger().outputs.windowEndTime}' },
        },
        frequency: window.frequency,
        interval: window.interval,
        startTime: window.startTime,
        delay: SQL_SERVER_CAPTURE_DELAY,
        maxConcurrency: 1,
        retry: { count: 3, interval: 300 },
        activated: props.triggerActivated ?? true,
      });
      return;
    }
    this.trigger = new DataFactoryTriggerSchedule(this, 'Trigger', {
      name: `schedule_${props.name}`,
      dataFactoryId,
      description: `"${props.schedule}" (UTC) from the platform definition`,
      pipeline: [{ name: this.pipeline.name }],
      frequency: recurrence.frequency,
      interval: recurrence.interval,
      schedule: recurrence.schedule,
      startTime: TRIGGER_START_TIME,
      timeZone: 'UTC',
      activated: props.triggerActivated ?? true,
    });
  }

  /** The stored watermark of a first run: before every row or file. */
  private firstWatermark(props: DatasetCopyPipelineProps): string {
    return props.source.kind === 'database' ? firstWatermark({ name: props.name, source: props.source, columns: props.columns }) : FIRST_FILE_WATERMARK;
  }

  /** Read both watermarks, copy the range between them, then store the new one (constructs/azure/incremental-copy.ts). */
  private incrementalActivities(props: DatasetCopyPipelineProps, sourceDatasetName: string, sinkDatasetName: string): Array<Record<string, unknown>> {
    const state = watermarkStateDataset(props);
    const stateData = new DataFactoryCustomDataset(this, 'WatermarkState', {
      name: `ds_${props.name}_watermark`,
      dataFactoryId: props.factory.id,
      type: state.type,
      typePropertiesJson: JSON.stringify(state.typeProperties),
      linkedService: { name: props.lakeLinkedService.name },
      folder: props.domain,
    });
    const source = props.source;
    const newWatermark: NewWatermark =
      source.kind === 'database'
        ? {
            lookup: {
              query: newWatermarkQuery({ name: props.name, source, columns: props.columns }),
              sourceType: databaseSourceType(source.engine),
              sourceDataset: sourceDatasetName,
            },
          }
        : { runStart: true };
    return [
      ...readWatermarkActivities(newWatermark, stateData.name),
      copyActivity(props, sourceDatasetName, sinkDatasetName, props.lakeLinkedService.name, WATERMARK_READY),
      storeWatermarkActivity(
        props,
        { accountName: props.lakeAccountName, integrationRuntime: props.integrationRuntime.name },
        dataFactoryCopyActivityName(props.name),
      ),
    ];
  }
}
