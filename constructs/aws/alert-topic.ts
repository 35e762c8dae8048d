import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertTopicProps {
  /** Name of the topic (see `alertTopicName`). */
  readonly topicName: string;
  /**
   * Customer-managed key that encrypts the topic. Its key policy gets statements that let CloudWatch
   * alarms and EventBridge rules of this account publish; an imported key must allow that itself.
   */
  readonly encryptionKey: IKey;
  /**
   * Email addresses subscribed to the topic (each confirms its subscription once).
   * @default - no subscriptions
   */
  readonly emails?: readonly string[];
  /**
   * Service principals that publish to the topic (same account only, `aws:SourceAccount`); each gets
   * sns:Publish on the topic and kms:GenerateDataKey*, kms:Decrypt on the key.
   * @default - CloudWatch alarms and EventBridge rules (`DEFAULT_ALERT_PUBLISHERS`)
   */
  readonly publishingServices?: readonly string[];
}

/** Services that publish alerts to the topic by default: CloudWatch alarms and EventBridge rules. */
export const DEFAULT_ALERT_PUBLISHERS: readonly string[] = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The environment's alert topic: KMS-encrypted with a customer-managed key, TLS-only, publishable by
 * the account's CloudWatch alarms and EventBridge rules or the services named (and by roles granted sns:Publish, such as the
 * pipelines'), with the definition's email subscriptions.
 */
export class AlertTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    const bad = emails.filter((email) => !EMAIL.test(email));
    if (bad.length > 0) throw new Error(`emails (${bad.map((email) => `"${email}"`).join(', ')}) must be email addresses such as oncall@example.com`);
    const account = Stack.of(this).account;
    this.topic = new Topic(this, 'Resource', {
      topicName: props.topicName,
      displayName: props.topicName,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    for (const service of props.publishingServices ?? DEFAULT_ALERT_PUBLISHERS) {
      const principal = new ServicePrincipal(service);
      const sameAccount = { StringEquals: { 'aws:SourceAccount': account } };
      this.topic.addToResourcePolicy(
        new PolicyStatement({
          sid: `PublishFrom${service.split('.')[0]}`,
          principals: [principal],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: sameAccount,
        }),
      );
      props.encryptionKey.addToResourcePolicy(
        new PolicyStatement({
          sid: `EncryptAlertsFrom${service.split('.')[0]}`,
          principals: [principal],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: sameAccount,
        }),
      );
    }
    for (const email of emails) this.topic.addSubscription(new EmailSubscription(email));
  }
}
