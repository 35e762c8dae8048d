import { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlertTopic } from '../../constructs/aws/alert-topic';
import { DataLakeKey } from '../../constructs/aws/data-lake-key';
import { GlueJobFailureAlerts } from '../../constructs/aws/glue-job-failure-alerts';
import { PipelineScheduling } from '../../constructs/aws/pipeline-scheduling';
import { alertTopicName, kmsAliasName, pipelineName, scheduleGroupName } from '../../lib/naming';
import { Catalogue } from '../../lib/definition';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

/**
 * `<prefix>-<env>-orchestration`: what the environment's pipelines share: the operations key (alerts,
 * schedules, dead letters, pipeline logs), the alert topic with the definition's email subscriptions,
 * the schedule group with the role and dead-letter queue of the schedules, and the alerts on failed
 * Glue jobs. The pipelines and schedules live in stacks of their own (lib/plan/pipeline-stacks.ts).
 */
export class OrchestrationStack extends EnvironmentStack {
  readonly operationsKey: DataLakeKey;
  readonly alerts: AlertTopic;
  readonly glueJobFailures: GlueJobFailureAlerts;
  /** Absent when the definition has no batch dataset (nothing to schedule). */
  readonly scheduling?: PipelineScheduling;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, 'orchestration', {
      description: `Pipeline orchestration (alert topic, schedule group, Glue failure alerts) of ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const env = this.platformEnvironment;
    const removalPolicy = env.dataProtection.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.operationsKey = new DataLakeKey(this, 'OperationsKey', {
      aliasName: kmsAliasName(this.naming, 'operations'),
      description: `Operations key of ${this.naming.prefix} ${this.naming.environment}: alerts, schedules, dead letters and pipeline logs`,
      pendingWindowDays: env.dataProtection.kmsKeyDeletionWindowDays,
      removalPolicy,
    });
    this.alerts = new AlertTopic(this, 'Alerts', {
      topicName: alertTopicName(this.naming),
      encryptionKey: this.operationsKey.key,
      emails: this.aws.monitoring.alertEmails,
    });
    this.glueJobFailures = new GlueJobFailureAlerts(this, 'GlueJobFailures', {
      jobNamePrefix: `${this.naming.prefix}-${this.naming.environment}-`,
      alertTopic: this.alerts.topic,
    });
    if (Catalogue.of(this.config).batch().length > 0) {
      this.scheduling = new PipelineScheduling(this, 'Scheduling', {
        groupName: scheduleGroupName(this.naming),
        stateMachineNames: Catalogue.of(this.config)
          .pipelines()
          .filter((pipeline) => pipeline.batchDatasets.length > 0)
          .map((pipeline) => pipelineName(this.naming, pipeline.name)),
        encryptionKey: this.operationsKey.key,
        alertTopic: this.alerts.topic,
        removalPolicy,
      });
    }
  }
}
