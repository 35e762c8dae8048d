import { App, Aspects, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { StandardTagsAspect } from '../../../constructs/aws/standard-tags-aspect';
import { highestClassification, standardTags } from '../../../lib/tagging';

const tags = standardTags({ prefix: 'acme', owner: 'data-platform-team', costCenter: 'cc-4410' }, { name: 'prod' });

describe('StandardTagsAspect (CDK)', () => {
  test('tags every taggable resource with platform, environment, owner and cost center', () => {
    const stack = new Stack(new App(), 'S');
    new Queue(stack, 'Q');
    Aspects.of(stack).add(new StandardTagsAspect({ tags }));
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      Tags: [
        { Key: 'cost-center', Value: 'cc-4410' },
        { Key: 'environment', Value: 'prod' },
        { Key: 'owner', Value: 'data-platform-team' },
        { Key: 'platform', Value: 'acme' },
      ],
    });
  });

  test('lets tags set on a construct win over the standard ones', () => {
    const stack = new Stack(new App(), 'S');
    const queue = new Queue(stack, 'Q');
    Tags.of(queue).add('owner', 'orders-team');
    Tags.of(queue).add('data-classification', 'pii');
    Aspects.of(stack).add(new StandardTagsAspect({ tags }));
    const queueTags = Object.values(Template.fromStack(stack).findResources('AWS::SQS::Queue'))[0].Properties.Tags;
    expect(queueTags).toContainEqual({ Key: 'owner', Value: 'orders-team' });
    expect(queueTags).toContainEqual({ Key: 'data-classification', Value: 'pii' });
  });
});

describe('highestClassification', () => {
  test('is the most sensitive classification present', () => {
    expect(highestClassification(['public', 'pii', 'internal'])).toBe('pii');
    expect(highestClassification(['internal', 'confidential'])).toBe('confidential');
    expect(highestClassification([])).toBe('public');
  });
});
