import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { GlueJobFailureAlerts } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function alerts(jobNamePrefix: string, states?: string[]) {
  const stack = new Stack(testApp(), 'S');
  new GlueJobFailureAlerts(stack, 'GlueFailures', { jobNamePrefix, alertTopic: new Topic(stack, 'Topic'), states });
  return Template.fromStack(stack);
}

describe('GlueJobFailureAlerts', () => {
  test('sends failures of the prefixed jobs to the topic with the job, run and message', () => {
    const template = alerts('acme-prod-');
    const rule = Object.values<any>(template.findResources('AWS::Events::Rule'))[0].Properties;
    expect(rule.EventPattern.detail).toEqual({ jobName: [{ prefix: 'acme-prod-' }], state: ['FAILED', 'TIMEOUT', 'ERROR'] });
    expect(rule.Targets[0].InputTransformer.InputTemplate).toContain('Glue job <detail-jobName> run <detail-jobRunId> ended <detail-state>');
  });

  test('alarms on the rule matches', () => {
    alerts('acme-prod-').hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  test('fails when the prefix is empty or a wildcard', () => {
    expect(() => alerts('')).toThrow('jobNamePrefix ("") must be a non-empty prefix without spaces or wildcards');
    expect(() => alerts('acme-*')).toThrow('jobNamePrefix ("acme-*")');
  });

  test('fails when no state is given', () => {
    expect(() => alerts('acme-prod-', [])).toThrow('states must list at least one Glue job state');
  });
});
