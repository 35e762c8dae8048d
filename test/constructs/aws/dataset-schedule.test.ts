import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { DatasetSchedule, type DatasetScheduleProps } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function schedule(props: Partial<DatasetScheduleProps> = {}) {
  const stack = new Stack(testApp(), 'S');
  new DatasetSchedule(stack, 'Orders', {
    dataset: 'orders',
    cron: '0 7 * * 1-5',
    scheduleName: 'orders',
    groupName: 'acme-dev-pipelines',
    stateMachineArn: 'arn:aws:states:eu-west-1:111111111111:stateMachine:acme-dev-pipeline-sales',
    role: new Role(stack, 'Role', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') }),
    deadLetterQueue: new Queue(stack, 'Dlq'),
    encryptionKey: new Key(stack, 'Key'),
    ...props,
  });
  return Template.fromStack(stack);
}

describe('DatasetSchedule', () => {
  test('converts the definition cron to Scheduler form in UTC and starts the pipeline for the dataset', () => {
    schedule().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 ? * 2-6 *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      KmsKeyArn: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
      Target: {
        Input: '{"datasets":["orders"]}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] } },
      },
    });
  });

  test('can be paused and tuned', () => {
    schedule({ enabled: false, retryAttempts: 0, maximumEventAge: Duration.minutes(5) }).hasResourceProperties('AWS::Scheduler::Schedule', {
      State: 'DISABLED',
      Target: { RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 } },
    });
  });

  test('fails when retryAttempts is out of range', () => {
    expect(() => schedule({ retryAttempts: 200 })).toThrow('retryAttempts (200) must be a whole number from 0 to 185');
  });

  test('fails when the cron restricts both day of month and day of week', () => {
    expect(() => schedule({ cron: '0 7 1 * 1' })).toThrow('dataset "orders": schedule "0 7 1 * 1" cannot be an EventBridge Scheduler schedule');
  });
});
