import { RemovalPolicy } from 'aws-cdk-lib';
import { Code, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import {
  DataQualityRole,
  DatasetIngestionJob,
  DatasetQualityRuleset,
  GLUE_INGEST_SCRIPT_PATH,
  IngestionJobRole,
  LakeFormationDatabaseAccess,
} from '../../constructs/aws';
import type { DatasetConfig } from '../../lib/definition';
import {
  changeCapturePrefix,
  changeCaptureSourcePrefix,
  dataQualityResultsPrefix,
  domainPrefix,
  domainQuarantinePrefix,
  dqdlFor,
  ingestionJobArguments,
  landingPrefix,
  requireAwsIngestionSupport,
} from '../../lib/lake';
import {
  dataQualityRoleName,
  dataQualityRulesetName,
  domainTagKey,
  glueConnectionName,
  glueIngestionJobName,
  domainShardPart,
  glueSecurityConfigurationName,
  ingestionLogGroupName,
  ingestionRoleName,
} from '../../lib/naming';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';
import { anyDataset, EnvironmentStack } from './environment-stack';
import type { DomainShardProps, EnvironmentStackProps } from './environment-stack-props';
import { layerBucketNames, layerBucketsByName, layerDatabaseNames } from './lake-buckets';
import { isBatch, isCaptured } from '../../lib/definition';

export interface IngestionStackProps extends EnvironmentStackProps, DomainShardProps {
  /** The environment's data key (from the storage stack). */
  readonly encryptionKey: IKey;
}

/**
 * `<prefix>-<env>-ingestion-<domain>[-<shard>]`: how one domain's (shard's) datasets reach bronze and are checked there.
 * A Glue job per batch dataset (database, api, files) running the generic ingestion script under one
 * least-privilege domain role, a Glue Data Quality ruleset per dataset (streams included; their
 * landing job lives in the streaming stack) and the domain's data-quality role, which evaluation runs of
 * this domain's rulesets assume and which reaches the checked tables of this domain only. Deploys after
 * `<prefix>-<env>-catalog-<domain>`.
 */
export class IngestionStack extends EnvironmentStack {
  readonly domain: string;
  /** Which of the domain's shards this stack holds (0 for a domain of one shard). */
  readonly shard: number;
  readonly jobs: ReadonlyMap<string, DatasetIngestionJob>;
  readonly rulesets: ReadonlyMap<string, DatasetQualityRuleset>;
  readonly role?: IngestionJobRole;
  /** The domain's data-quality role; absent in a domain of stream datasets only, which no pipeline run checks. */
  readonly dataQuality?: DataQualityRole;

  constructor(scope: Construct, props: IngestionStackProps) {
    super(
      scope,
      'ingestion',
      {
        description: `Glue ingestion jobs and data-quality rulesets of the ${props.domain} domain of ${props.config.prefix} ${props.environment.name}`,
        ...props,
      },
      domainShardPart(props.domain, props.shard),
    );
    this.domain = props.domain;
    this.shard = props.shard ?? 0;
    const datasets = this.shardDatasets(props, anyDataset, 'datasets', 'domains');
    datasets.forEach(requireAwsIngestionSupport);
    const databaseNames = layerDatabaseNames(this);
    const bronzeBucket = layerBucketsByName(this).bronze;
    const batch = datasets.filter(isBatch);
    const jobs = new Map<string, DatasetIngestionJob>();
    if (batch.length > 0) {
      const { role, logGroup, script } = this.ingestionFoundation(batch, props.encryptionKey, databaseNames.bronze, bronzeBucket);
      this.role = role;
      const securityConfiguration = SecurityConfiguration.fromSecurityConfigurationName(this, 'GlueSecurity', glueSecurityConfigurationName(this.naming));
      const bronzeBucketName = layerBucketNames(this).bronze;
      for (const dataset of batch) {
        const connectionName = dataset.source.kind === 'database' ? glueConnectionName(this.naming, dataset.source.connectionSecret) : undefined;
        const job = new DatasetIngestionJob(this, dataset.name, {
          jobName: glueIngestionJobName(this.naming, dataset.name),
          description: `Lands ${dataset.name} (${dataset.source.kind}, ${dataset.format}) in bronze: ${dataset.description}`,
          script,
          role: role.role.withoutPolicyUpdates(),
          scriptArguments: ingestionJobArguments(dataset, { databaseName: databaseNames.bronze, bronzeBucketName, connectionName }),
          securityConfiguration,
          logGroup,
          connectionName,
          maxWorkers: Math.max(2, this.platformEnvironment.sizing.sparkMaxWorkers),
        });
        // The role gets its permissions before any job can run with it.
        job.node.addDependency(role.permissions);
        jobs.set(dataset.name, job);
      }
    }
    this.jobs = jobs;
    const rulesets = new Map<string, DatasetQualityRuleset>();
    for (const dataset of datasets) {
      rulesets.set(
        dataset.name,
        new DatasetQualityRuleset(this, `${dataset.name}Quality`, {
          rulesetName: dataQualityRulesetName(this.naming, dataset.name),
          dqdl: dqdlFor(dataset),
          databaseName: databaseNames.bronze,
          tableName: dataset.name,
          description: `Quality rules of ${dataset.name} (from platform.yaml), checked on its bronze table`,
        }),
      );
    }
    this.rulesets = rulesets;
    if (batch.length > 0) this.dataQuality = this.dataQualityRole(batch, props.encryptionKey, databaseNames.bronze, bronzeBucket);
  }

  /**
   * The role the pipeline's evaluation runs assume, reaching the tables it checks and nothing else: the
   * domain's batch datasets (stream datasets have rulesets but no pipeline run evaluates them).
   */
  private dataQualityRole(batch: readonly DatasetConfig[], encryptionKey: IKey, bronzeDatabase: string, bronzeBucket: IBucket): DataQualityRole {
    const role = new DataQualityRole(this, 'DataQuality', {
      roleName: dataQualityRoleName(this.naming, this.domain, this.shard),
      bronzeBucket,
      tablesPrefix: domainPrefix(this.domain),
      resultsPrefix: dataQualityResultsPrefix(this.domain),
      encryptionKey,
      databaseName: bronzeDatabase,
      rulesetNames: batch.map((dataset) => dataQualityRulesetName(this.naming, dataset.name)),
    });
    new LakeFormationDatabaseAccess(this, 'DataQualityAccess', {
      role: role.role,
      databaseName: bronzeDatabase,
      tableNames: batch.map((dataset) => dataset.name),
      access: 'read',
    });
    return role;
  }

  /**
   * Where the domain's batch datasets' incoming files arrive: each files dataset's landing prefix, and for
   * captured datasets their source's change capture folder when every captured dataset of that source is in
   * this domain (one prefix per source, whatever its number of tables), else each dataset's own table folder.
   */
  private landingPrefixes(batch: readonly DatasetConfig[]): string[] {
    const capturedElsewhere = new Set(
      this.config.datasets
        .filter((dataset) => dataset.domain !== this.domain)
        .filter(isCaptured)
        .map((dataset) => changeCaptureSourcePrefix(dataset.source.connectionSecret)),
    );
    const prefixes = batch.flatMap((dataset) => {
      if (dataset.source.kind === 'files') return [landingPrefix(dataset.source.pathPattern)];
      if (!isCaptured(dataset)) return [];
      const source = changeCaptureSourcePrefix(dataset.source.connectionSecret);
      return [capturedElsewhere.has(source) ? changeCapturePrefix(dataset) : source];
    });
    return [...new Set(prefixes)];
  }

  /** The domain's job role, its Lake Formation access to bronze, its log group and the script asset. */
  private ingestionFoundation(batch: readonly DatasetConfig[], encryptionKey: IKey, bronzeDatabase: string, bronzeBucket: IBucket) {
    const retain = this.platformEnvironment.dataProtection.retainOnDelete;
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: ingestionLogGroupName(this.naming, this.domain, this.shard),
      encryptionKey,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledgeCrossStackSetting(logGroup, encryptionKey, 'cloudwatch_log_group_encrypted_check', 'KmsKeyId (the environment data key)');
    const scriptAsset = new Asset(this, 'IngestionScript', { path: GLUE_INGEST_SCRIPT_PATH });
    const secrets = new Set<string>();
    const connections = new Set<string>();
    for (const dataset of batch) {
      if (dataset.source.kind === 'database') {
        secrets.add(dataset.source.connectionSecret);
        connections.add(glueConnectionName(this.naming, dataset.source.connectionSecret));
      }
      if (dataset.source.kind === 'api' && dataset.source.authSecret) secrets.add(dataset.source.authSecret);
    }
    const role = new IngestionJobRole(this, 'JobRole', {
      roleName: ingestionRoleName(this.naming, this.domain, this.shard),
      bronzeBucket,
      writePrefixes: [domainPrefix(this.domain), domainQuarantinePrefix(this.domain)],
      landingPrefixes: this.landingPrefixes(batch),
      encryptionKey,
      databaseName: bronzeDatabase,
      secretNames: [...secrets].sort(),
      connectionNames: [...connections].sort(),
      logGroup,
      securityConfigurationName: glueSecurityConfigurationName(this.naming),
      scriptObjectArns: [scriptAsset.bucket.arnForObjects(scriptAsset.s3ObjectKey)],
    });
    new LakeFormationDatabaseAccess(this, 'JobRoleBronzeAccess', {
      role: role.role,
      databaseName: bronzeDatabase,
      access: 'readWrite',
      tableTag: { key: domainTagKey(this.naming), value: this.domain },
      dataLocationArn: bronzeBucket.bucketArn,
    });
    return { role, logGroup, script: Code.fromBucket(scriptAsset.bucket, scriptAsset.s3ObjectKey) };
  }
}
