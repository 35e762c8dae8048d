import { RemovalPolicy } from 'aws-cdk-lib';
import { InterfaceVpcEndpoint, InterfaceVpcEndpointAwsService, type IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnConnection, Code, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { GLUE_INGEST_SCRIPT_PATH } from '../../constructs/aws/dataset-ingestion-job';
import { DatasetStreamingJob, GLUE_STREAM_SCRIPT_PATH } from '../../constructs/aws/dataset-streaming-job';
import { acknowledgeIamWildcards } from '../../constructs/aws/iam-wildcard-findings';
import { IngestionJobRole } from '../../constructs/aws/ingestion-job-role';
import { LakeFormationDatabaseAccess } from '../../constructs/aws/lake-formation-database-access';
import { MSK_IAM_PORT, StreamingCluster } from '../../constructs/aws/streaming-cluster';
import type { DatasetConfig } from '../../lib/config';
import { datasetPrefix, quarantinePrefix } from '../../lib/lake/layout';
import { glueSecurityConfigurationName, glueStreamingJobName, mskClusterName } from '../../lib/naming';
import { isStream } from '../../lib/ops/pipelines';
import { requireAwsStreamSupport, streamCheckpointPrefix, streamJobArguments } from '../../lib/orchestration/stream-arguments';
import { acknowledgeCrossStackSetting } from '../../lib/policy/cross-stack-acknowledgement';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';
import { layerBucketNames, layerBucketsByName, layerDatabaseNames } from './lake-buckets';

export interface StreamingStackProps extends EnvironmentStackProps {
  /** The environment's VPC (from the network stack): the cluster and the jobs use its isolated subnets. */
  readonly vpc: IVpc;
  /** The environment's data key (from the storage stack): bronze, logs, the Glue security configuration. */
  readonly encryptionKey: IKey;
}

/**
 * `<prefix>-<env>-streaming`: the stream datasets' way into bronze. An MSK Serverless cluster (IAM
 * authentication, isolated subnets, reachable on 9098 from the streaming jobs only), a Glue NETWORK
 * connection and security group for the jobs, a VPC endpoint for the MSK API (bootstrap servers), and
 * per stream dataset a Glue streaming job (one job per dataset: each topic scales, fails and resumes
 * from its checkpoint on its own) under one least-privilege role per domain.
 */
export class StreamingStack extends EnvironmentStack {
  readonly cluster: StreamingCluster;
  readonly jobSecurityGroup: SecurityGroup;
  readonly jobs: ReadonlyMap<string, DatasetStreamingJob>;

  constructor(scope: Construct, props: StreamingStackProps) {
    super(scope, 'streaming', { description: `Streaming ingestion (MSK Serverless, Glue streaming jobs into bronze) of ${props.config.prefix} ${props.environment.name}`, ...props });
    const streams = this.config.datasets.filter(isStream);
    if (streams.length === 0) throw new Error('the definition has no stream dataset; create the streaming stack only when one has source.kind "stream"');
    streams.forEach(requireAwsStreamSupport);
    const retain = this.platformEnvironment.dataProtection.retainOnDelete;
    const isolated = { subnetType: SubnetType.PRIVATE_ISOLATED };

    this.cluster = new StreamingCluster(this, 'Cluster', { clusterName: mskClusterName(this.naming), vpc: props.vpc, vpcSubnets: isolated });
    this.jobSecurityGroup = new SecurityGroup(this, 'JobSecurityGroup', { vpc: props.vpc, description: 'Glue streaming jobs: each other (Spark), the MSK listener and HTTPS to the VPC endpoints', allowAllOutbound: false });
    // Glue requires the workers of a job to reach each other on every TCP port.
    this.jobSecurityGroup.addIngressRule(this.jobSecurityGroup, Port.allTcp(), 'Glue workers of the same job');
    this.jobSecurityGroup.addEgressRule(this.jobSecurityGroup, Port.allTcp(), 'Glue workers of the same job');
    this.jobSecurityGroup.addEgressRule(this.cluster.securityGroup, Port.tcp(MSK_IAM_PORT), 'MSK IAM listener');
    // The subnets are isolated (no route out of the VPC): 443 reaches only the interface endpoints and the S3 gateway endpoint.
    this.jobSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'AWS APIs through the VPC endpoints (the subnets have no internet route)');
    this.cluster.allowClientsFrom(this.jobSecurityGroup, 'Glue streaming jobs');

    const endpointSecurityGroup = new SecurityGroup(this, 'KafkaEndpointSecurityGroup', { vpc: props.vpc, description: 'MSK API endpoint: HTTPS from the streaming jobs', allowAllOutbound: false });
    endpointSecurityGroup.addIngressRule(this.jobSecurityGroup, Port.tcp(443), 'Glue streaming jobs');
    new InterfaceVpcEndpoint(this, 'KafkaEndpoint', { vpc: props.vpc, service: InterfaceVpcEndpointAwsService.KAFKA, subnets: isolated, securityGroups: [endpointSecurityGroup], privateDnsEnabled: true, open: false });

    const subnet = props.vpc.selectSubnets(isolated).subnets[0];
    const connectionName = `${mskClusterName(this.naming)}-network`;
    const connection = new CfnConnection(this, 'Connection', {
      catalogId: this.account,
      connectionInput: {
        name: connectionName,
        description: 'Puts the streaming jobs in an isolated subnet next to the MSK cluster',
        connectionType: 'NETWORK',
        physicalConnectionRequirements: { subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone, securityGroupIdList: [this.jobSecurityGroup.securityGroupId] },
      },
    });

    const logGroup = new LogGroup(this, 'Logs', { encryptionKey: props.encryptionKey, retention: RetentionDays.ONE_YEAR, removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    acknowledgeCrossStackSetting(logGroup, props.encryptionKey, 'cloudwatch_log_group_encrypted_check', 'KmsKeyId (the environment data key)');
    const script = new Asset(this, 'StreamingScript', { path: GLUE_STREAM_SCRIPT_PATH });
    const ingestModule = new Asset(this, 'IngestionModule', { path: GLUE_INGEST_SCRIPT_PATH });
    const securityConfiguration = SecurityConfiguration.fromSecurityConfigurationName(this, 'GlueSecurity', glueSecurityConfigurationName(this.naming));
    const databaseName = layerDatabaseNames(this).bronze;
    const bronzeBucket = layerBucketsByName(this).bronze;

    const jobs = new Map<string, DatasetStreamingJob>();
    for (const domain of [...new Set(streams.map((dataset) => dataset.domain))]) {
      const datasets = streams.filter((dataset) => dataset.domain === domain);
      const role = this.domainRole(domain, datasets, { bronzeBucket, databaseName, encryptionKey: props.encryptionKey, logGroup, connectionName, scriptArns: [script.bucket.arnForObjects(script.s3ObjectKey), ingestModule.bucket.arnForObjects(ingestModule.s3ObjectKey)] });
      for (const dataset of datasets) {
        const job = new DatasetStreamingJob(this, dataset.name, {
          jobName: glueStreamingJobName(this.naming, dataset.name),
          description: `Lands stream ${dataset.name} (topic ${(dataset.source as { topic: string }).topic}) in bronze: ${dataset.description}`,
          script: Code.fromBucket(script.bucket, script.s3ObjectKey),
          pythonModules: [Code.fromBucket(ingestModule.bucket, ingestModule.s3ObjectKey)],
          role: role.role.withoutPolicyUpdates(),
          scriptArguments: streamJobArguments(dataset, { clusterArn: this.cluster.clusterArn, databaseName, bronzeBucketName: layerBucketNames(this).bronze }),
          securityConfiguration,
          logGroup,
          connectionName,
          workers: this.platformEnvironment.isProduction ? 4 : 2,
        });
        // The role is referenced (GetAtt) already; its policy must be attached before the job first runs.
        job.node.addDependency(role.policy, connection);
        jobs.set(dataset.name, job);
      }
    }
    this.jobs = jobs;
  }

  /** One domain's streaming role: the batch ingestion role's S3, catalog and log grants, plus its topics on the cluster. */
  private domainRole(
    domain: string,
    datasets: readonly DatasetConfig[],
    shared: { bronzeBucket: ReturnType<typeof layerBucketsByName>['bronze']; databaseName: string; encryptionKey: IKey; logGroup: LogGroup; connectionName: string; scriptArns: readonly string[] },
  ): IngestionJobRole {
    const id = `${domain.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Role`;
    const role = new IngestionJobRole(this, id, {
      bronzeBucket: shared.bronzeBucket,
      writePrefixes: datasets.flatMap((dataset) => [datasetPrefix(dataset), quarantinePrefix(dataset), streamCheckpointPrefix(dataset)]),
      encryptionKey: shared.encryptionKey,
      databaseName: shared.databaseName,
      tableNames: datasets.map((dataset) => dataset.name),
      connectionNames: [shared.connectionName],
      logGroup: shared.logGroup,
      securityConfigurationName: glueSecurityConfigurationName(this.naming),
      scriptObjectArns: shared.scriptArns,
    });
    const topics = datasets.map((dataset) => this.cluster.topicArn((dataset.source as { topic: string }).topic));
    const groups = datasets.map((dataset) => this.cluster.groupArn(`${glueStreamingJobName(this.naming, dataset.name)}*`));
    role.policy.addStatements(
      new PolicyStatement({ sid: 'FindBootstrapServers', actions: ['kafka:GetBootstrapBrokers'], resources: [this.cluster.clusterArn] }),
      new PolicyStatement({ sid: 'ConnectToCluster', actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'], resources: [this.cluster.clusterArn] }),
      new PolicyStatement({ sid: 'ReadOwnTopics', actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData', 'kafka-cluster:CreateTopic'], resources: topics }),
      new PolicyStatement({ sid: 'UseOwnConsumerGroups', actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], resources: groups }),
    );
    acknowledgeIamWildcards(role.policy, [role.policy.document], (finding) =>
      finding.includes(':kafka:') && finding.includes(':group/')
        ? 'Consumer groups whose names start with the job name: Spark names a group per query (<prefix>-<uuid>); the prefix keeps each job to its own groups.'
        : undefined,
    );
    new LakeFormationDatabaseAccess(this, `${id}BronzeAccess`, { role: role.role, databaseName: shared.databaseName, access: 'readWrite' });
    return role;
  }
}
