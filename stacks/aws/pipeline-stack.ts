import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { PipelineStateMachine } from '../../constructs/aws/pipeline-state-machine';
import { emrClusterName, glueIngestionJobName, pipelineName, sparkClusterSpecParameterName, stackName } from '../../lib/naming';
import type { SparkOnKubernetes } from '../../constructs/aws/pipeline-state-machine';
import type { Pipeline } from '../../lib/pipelines/pipelines';
import { sparkRuntimesOf } from '../../lib/pipelines/spark-runtime';
import { sparkApplicationFor } from '../../lib/pipelines/spark-step';
import { standardTags, TAG_KEYS } from '../../lib/tagging';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

export interface PipelineStackProps extends EnvironmentStackProps {
  /** The pipeline (one domain of the catalogue, see `pipelinesOf`). */
  readonly pipeline: Pipeline;
  /** The alert topic (from the orchestration stack). */
  readonly alertTopic: ITopic;
  /** The operations key (from the orchestration stack): alert topic and execution logs. */
  readonly operationsKey: IKey;
  /**
   * The EMR on EKS virtual cluster and job role (from the kubernetes stack), which an execution may run
   * the Spark step on; required exactly when the environment has them (`aws.kubernetes.enabled`).
   * @default - the Spark step runs on the EMR cluster only
   */
  readonly sparkOnKubernetes?: SparkOnKubernetes;
}

/**
 * `<prefix>-<env>-orchestration-<domain>`: the Step Functions state machine of one pipeline and its
 * alarms. The Glue jobs and the EMR cluster it drives belong to other stacks and are referred to by
 * their names only, so each deploys on its own; the EMR on EKS virtual cluster, whose id only its
 * stack knows, comes from the kubernetes stack where the environment has one. Its schedules and
 * `platform run <domain>` both start it, with the same input (lib/pipelines/execution-input.ts).
 */
export class PipelineStack extends EnvironmentStack {
  readonly pipeline: PipelineStateMachine;

  constructor(scope: Construct, props: PipelineStackProps) {
    super(
      scope,
      'orchestration',
      {
        description:
          `Pipeline ${props.pipeline.name} (Step Functions: Glue ingestion, Spark step with per-load ` +
          `quality rules on EMR${props.sparkOnKubernetes ? ' or EMR on EKS' : ''}) of ${props.config.prefix} ${props.environment.name}`,
        ...props,
      },
      props.pipeline.name,
    );
    const { account, region } = this.aws;
    const onKubernetes = sparkRuntimesOf(this.platformEnvironment).includes('kubernetes');
    if (onKubernetes !== (props.sparkOnKubernetes !== undefined)) {
      throw new Error(
        `pipeline stack ${this.stackName}: sparkOnKubernetes must be given exactly when the environment has the EMR on EKS ` +
          `virtual cluster (environments.${this.platformEnvironment.name}.aws.kubernetes.enabled is ${onKubernetes})`,
      );
    }
    const target = { config: this.config, environment: this.platformEnvironment, scope: this.naming, account, region };
    const tags = standardTags(this.config, this.platformEnvironment);
    this.pipeline = new PipelineStateMachine(this, 'Pipeline', {
      stateMachineName: pipelineName(this.naming, props.pipeline.name),
      pipeline: props.pipeline.name,
      datasets: props.pipeline.batchDatasets.map((dataset) => ({
        name: dataset.name,
        jobName: glueIngestionJobName(this.naming, dataset.name),
      })),
      clusterName: emrClusterName(this.naming),
      clusterSpecParameterName: sparkClusterSpecParameterName(this.naming),
      clusterRoleNamePrefix: stackName(this.naming, 'processing'),
      clusterTags: { [TAG_KEYS.platform]: tags[TAG_KEYS.platform], [TAG_KEYS.environment]: tags[TAG_KEYS.environment] },
      sparkApplication: sparkApplicationFor(target, props.pipeline),
      sparkOnKubernetes: props.sparkOnKubernetes,
      defaultSparkRuntime: this.aws.sparkRuntime,
      alertTopic: props.alertTopic,
      encryptionKey: props.operationsKey,
      removalPolicy: this.platformEnvironment.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
