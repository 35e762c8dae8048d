import { RemovalPolicy } from 'aws-cdk-lib';
import { Code, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { GLUE_INGEST_SCRIPT_PATH } from '../../constructs/aws/dataset-ingestion-job';
import { DatasetStreamingJob, GLUE_STREAM_SCRIPT_PATH } from '../../constructs/aws/dataset-streaming-job';
import { IngestionJobRole } from '../../constructs/aws/ingestion-job-role';
import { StreamMessageSchema } from '../../constructs/aws/stream-schema-registry';
import { LakeFormationDatabaseAccess } from '../../constructs/aws/lake-formation-database-access';
import type { StreamingCluster } from '../../constructs/aws/streaming-cluster';
import type { DatasetConfig } from '../../lib/definition';
import { domainPrefix, domainQuarantinePrefix } from '../../lib/lake/layout';
import { domainShardPart, domainTagKey, glueSchemaName, glueSchemaRegistryName, glueSecurityConfigurationName, glueStreamingJobName } from '../../lib/naming';
import { isStream } from '../../lib/definition';
import { domainStreamCheckpointPrefix, requireAwsStreamSupport, streamJobArguments } from '../../lib/lake/stream-arguments';
import { EnvironmentStack } from './environment-stack';
import type { DomainShardProps, EnvironmentStackProps } from './environment-stack-props';
import { layerBucketNames, layerBucketsByName, layerDatabaseNames } from './lake-buckets';

export interface StreamingDomainStackProps extends EnvironmentStackProps, DomainShardProps {
  /** What the environment's streaming stack shares: the cluster (its ARN), the jobs' log group and the NETWORK connection's name. */
  readonly streaming: {
    readonly cluster: StreamingCluster;
    readonly logGroup: ILogGroup;
    readonly connectionName: string;
  };
  /** The environment's data key (from the storage stack): bronze and the Glue security configuration. */
  readonly encryptionKey: IKey;
}

/**
 * `<prefix>-<env>-streaming-<domain>[-<shard>]`: how one domain's (shard's) stream datasets reach bronze. A Glue streaming
 * job per stream dataset (one job per dataset: each topic scales, fails and resumes from its checkpoint
 * on its own) under one least-privilege role for the domain: the batch ingestion role's S3, catalog and
 * log grants, plus the domain's topics and consumer groups on the cluster. One stack per domain keeps
 * every template small however many streams the catalogue has, and a job never moves to another stack
 * when datasets are added elsewhere. Deploys after `<prefix>-<env>-streaming` (cluster, connection, logs).
 */
export class StreamingDomainStack extends EnvironmentStack {
  readonly domain: string;
  readonly role: IngestionJobRole;
  readonly jobs: ReadonlyMap<string, DatasetStreamingJob>;
  /** Each stream's message schema in the environment's Glue Schema Registry registry, by dataset. */
  readonly schemas: ReadonlyMap<string, StreamMessageSchema>;

  constructor(scope: Construct, props: StreamingDomainStackProps) {
    super(
      scope,
      'streaming',
      { description: `Glue streaming jobs of the ${props.domain} domain of ${props.config.prefix} ${props.environment.name}`, ...props },
      domainShardPart(props.domain, props.shard),
    );
    this.domain = props.domain;
    const streams = this.shardDatasets(props, isStream, 'stream datasets', 'domains with streams');
    streams.forEach(requireAwsStreamSupport);
    const { cluster, logGroup, connectionName } = props.streaming;
    // Assets belong to the stack that deploys them; the same files publish once (content-addressed keys).
    const script = new Asset(this, 'StreamingScript', { path: GLUE_STREAM_SCRIPT_PATH });
    const ingestModule = new Asset(this, 'IngestionModule', { path: GLUE_INGEST_SCRIPT_PATH });
    const securityConfiguration = SecurityConfiguration.fromSecurityConfigurationName(this, 'GlueSecurity', glueSecurityConfigurationName(this.naming));
    const databaseName = layerDatabaseNames(this).bronze;
    const scriptArns = [script.bucket.arnForObjects(script.s3ObjectKey), ingestModule.bucket.arnForObjects(ingestModule.s3ObjectKey)];

    const registryName = glueSchemaRegistryName(this.naming);
    const retain = this.platformEnvironment.dataProtection.retainOnDelete;
    this.schemas = new Map(
      streams.map((dataset) => {
        const versions = this.config.streamSchemas[dataset.name] ?? [];
        // `<dataset>Schema`: a contract, so the schema and its versions keep their logical ids.
        const schema = new StreamMessageSchema(this, `${dataset.name}Schema`, {
          registryName,
          schemaName: glueSchemaName(dataset.source.topic),
          description: `Messages of topic ${dataset.source.topic} (dataset ${dataset.name}); versions appended from the repository's schema/streams/`,
          compatibility: dataset.source.compatibility,
          versions,
          removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });
        return [dataset.name, schema] as const;
      }),
    );
    this.role = this.domainRole(streams, { cluster, databaseName, encryptionKey: props.encryptionKey, logGroup, connectionName, scriptArns });
    const jobs = new Map<string, DatasetStreamingJob>();
    for (const dataset of streams) {
      const schema = this.schemas.get(dataset.name) as StreamMessageSchema;
      const versions = this.config.streamSchemas[dataset.name];
      // The dataset name is the construct id: a contract, so the job keeps its logical ids.
      const job = new DatasetStreamingJob(this, dataset.name, {
        jobName: glueStreamingJobName(this.naming, dataset.name),
        description: `Lands stream ${dataset.name} (topic ${(dataset.source as { topic: string }).topic}) in bronze: ${dataset.description}`,
        script: Code.fromBucket(script.bucket, script.s3ObjectKey),
        pythonModules: [Code.fromBucket(ingestModule.bucket, ingestModule.s3ObjectKey)],
        role: this.role.role.withoutPolicyUpdates(),
        scriptArguments: streamJobArguments(dataset, {
          clusterArn: cluster.clusterArn,
          databaseName,
          bronzeBucketName: layerBucketNames(this).bronze,
          registeredSchema: { registryName, schemaName: schema.schema.name, version: versions[versions.length - 1] },
        }),
        securityConfiguration,
        logGroup,
        connectionName,
        workers: this.platformEnvironment.policy.streamingJobWorkers,
      });
      // The role is referenced (GetAtt) already; its policy must be attached before the job first runs.
      // (The connection is in the streaming stack, which this stack depends on.)
      job.node.addDependency(this.role.permissions);
      // The job's new arguments name the newest version: registered first, so that a job started in between never sees it missing.
      job.node.addDependency(schema);
      jobs.set(dataset.name, job);
    }
    this.jobs = jobs;
  }

  /** The domain's streaming role: the batch ingestion role's S3, catalog and log grants, plus its topics on the cluster. */
  private domainRole(
    datasets: readonly DatasetConfig[],
    shared: {
      cluster: StreamingCluster;
      databaseName: string;
      encryptionKey: IKey;
      logGroup: ILogGroup;
      connectionName: string;
      scriptArns: readonly string[];
    },
  ): IngestionJobRole {
    // `<Domain>Role`, as in the single streaming stack before the split: the ids are a contract.
    const id = `${this.domain.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Role`;
    const { cluster } = shared;
    // The cluster's UUID is known only in the streaming stack: topic and group ARNs name the cluster and
    // take any UUID; kafka-cluster:Connect (inline) is on this cluster's exact ARN, so they reach no other.
    const onCluster =
      'on the environment cluster, named; its UUID is a wildcard, and every topic or group action needs kafka-cluster:Connect, granted on that cluster alone';
    const role = new IngestionJobRole(this, id, {
      bronzeBucket: layerBucketsByName(this).bronze,
      writePrefixes: [domainPrefix(this.domain), domainQuarantinePrefix(this.domain), domainStreamCheckpointPrefix(this.domain)],
      deletablePrefixes: [domainStreamCheckpointPrefix(this.domain)],
      encryptionKey: shared.encryptionKey,
      databaseName: shared.databaseName,
      connectionNames: [shared.connectionName],
      logGroup: shared.logGroup,
      securityConfigurationName: glueSecurityConfigurationName(this.naming),
      scriptObjectArns: shared.scriptArns,
      // A stream's topic, its job's consumer groups and its message schema: they grow with the domain's streams.
      datasetGrants: [
        {
          items: datasets,
          statement: (streams: readonly DatasetConfig[]) =>
            new PolicyStatement({
              sid: 'ReadOwnTopics',
              actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData', 'kafka-cluster:CreateTopic'],
              resources: streams.map((dataset) => cluster.topicArn((dataset.source as { topic: string }).topic)),
            }),
        },
        {
          items: datasets,
          statement: (streams: readonly DatasetConfig[]) =>
            new PolicyStatement({
              sid: 'UseOwnConsumerGroups',
              actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
              resources: streams.map((dataset) => cluster.groupArn(`${glueStreamingJobName(this.naming, dataset.name)}-*`)),
            }),
        },
        {
          items: datasets,
          statement: (streams: readonly DatasetConfig[]) =>
            new PolicyStatement({
              sid: 'ReadOwnMessageSchemas',
              actions: StreamMessageSchema.READ_ACTIONS,
              resources: [
                ...new Set(streams.flatMap((dataset) => [this.schemas.get(dataset.name)?.registryArn, this.schemas.get(dataset.name)?.schemaArn])),
              ].filter((arn): arn is string => arn !== undefined),
            }),
        },
      ],
      wildcardReason: (finding) => {
        if (!finding.includes(':kafka:')) return undefined;
        if (finding.includes(':group/'))
          return (
            `Consumer groups whose names start with the job name and a hyphen, ${onCluster}: Spark names a group per ` +
            `query (<prefix>-<uuid>-<hash>); dataset names have no hyphen, so the prefix keeps each job to its own groups ` +
            `(orders-* never matches orders_eu-*).`
          );
        if (finding.includes(':topic/')) return `The domain's own topics by name, ${onCluster}.`;
        return undefined;
      },
    });
    role.policy.addStatements(
      new PolicyStatement({ sid: 'FindBootstrapServers', actions: ['kafka:GetBootstrapBrokers'], resources: [cluster.clusterArn] }),
      new PolicyStatement({ sid: 'ConnectToCluster', actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'], resources: [cluster.clusterArn] }),
    );
    new LakeFormationDatabaseAccess(this, `${id}BronzeAccess`, {
      role: role.role,
      databaseName: shared.databaseName,
      access: 'readWrite',
      tableTag: { key: domainTagKey(this.naming), value: this.domain },
    });
    return role;
  }
}
