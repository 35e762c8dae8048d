import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface GlueJobFailureAlertsProps {
  /** Prefix every Glue job of the environment's name starts with, e.g. `acme-prod-`. */
  readonly jobNamePrefix: string;
  /** Topic that receives each failure and the alarm. */
  readonly alertTopic: ITopic;
  /**
   * Job states that count as failures.
   * @default FAILED, TIMEOUT and ERROR
   */
  readonly states?: readonly string[];
}

/**
 * Failures of the environment's Glue jobs (batch ingestion and streaming, whoever started them: a
 * pipeline, the CLI, the console): an EventBridge rule on "Glue Job State Change" sends each one to
 * the alert topic with the job, run and message, and an alarm on the rule's matches, which keeps the
 * failure visible in CloudWatch after the email.
 */
export class GlueJobFailureAlerts extends Construct {
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: GlueJobFailureAlertsProps) {
    super(scope, id);
    if (!/^[^\s*]+$/.test(props.jobNamePrefix))
      throw new Error(`jobNamePrefix ("${props.jobNamePrefix}") must be a non-empty prefix without spaces or wildcards, e.g. acme-prod-`);
    const states = props.states ?? ['FAILED', 'TIMEOUT', 'ERROR'];
    if (states.length === 0) throw new Error('states must list at least one Glue job state, e.g. FAILED');
    this.rule = new Rule(this, 'Resource', {
      description: `Glue jobs ${props.jobNamePrefix}* that end ${states.join(', ')}`,
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [{ prefix: props.jobNamePrefix }], state: [...states] },
      },
    });
    this.rule.addTarget(
      new SnsTopic(props.alertTopic, {
        message: RuleTargetInput.fromText(
          `Glue job ${EventField.fromPath('$.detail.jobName')} run ${EventField.fromPath('$.detail.jobRunId')} ` +
            `ended ${EventField.fromPath('$.detail.state')}: ${EventField.fromPath('$.detail.message')}`,
        ),
      }),
    );
    const matches = new Metric({
      namespace: 'AWS/Events',
      metricName: 'TriggeredRules',
      dimensionsMap: { RuleName: this.rule.ruleName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.alarm = new Alarm(this, 'Alarm', {
      metric: matches,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `A Glue job ${props.jobNamePrefix}* ended ${states.join(', ')} (the alert topic has the job and run)`,
    });
    this.alarm.addAlarmAction(new SnsAction(props.alertTopic));
  }
}
