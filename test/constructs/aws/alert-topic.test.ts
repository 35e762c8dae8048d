import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AlertTopic } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function alertTopic(emails?: string[]) {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new AlertTopic(stack, 'Alerts', { topicName: 'acme-dev-alerts', encryptionKey: new Key(stack, 'Key'), emails });
  return Template.fromStack(stack);
}

describe('AlertTopic', () => {
  test('encrypts the topic with the given key and refuses plain-text transport', () => {
    const template = alertTopic();
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme-dev-alerts', KmsMasterKeyId: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] } });
    const statements = Object.values<any>(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    );
  });

  test('subscribes each email', () => {
    const template = alertTopic(['a@example.com', 'b@example.com']);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'b@example.com' });
  });

  test('fails when an email is not an email address', () => {
    expect(() => alertTopic(['oncall'])).toThrow('emails ("oncall") must be email addresses such as oncall@example.com');
  });
});
