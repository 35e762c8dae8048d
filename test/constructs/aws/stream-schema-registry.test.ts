import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { StreamMessageSchema, type StreamMessageSchemaProps, StreamSchemaRegistry } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

const version = (number: number, fields = '[]') => ({
  version: number,
  file: `schema/streams/web/clicks/v${number}.avsc`,
  definition: `{"type":"record","name":"clicks","fields":${fields}}`,
});

function schemaStack(props: Partial<StreamMessageSchemaProps> = {}) {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new StreamSchemaRegistry(stack, 'Registry', { registryName: 'acme-dev-streams' });
  const schema = new StreamMessageSchema(stack, 'Clicks', { registryName: 'acme-dev-streams', schemaName: 'web.clicks', versions: [version(1)], ...props });
  return { stack, schema };
}

describe('StreamSchemaRegistry and StreamMessageSchema', () => {
  test('default to BACKWARD, Avro and keeping the registry, the schema and its versions', () => {
    const template = Template.fromStack(schemaStack({ versions: [version(1), version(2)] }).stack);
    template.hasResource('AWS::Glue::Registry', { Properties: { Name: 'acme-dev-streams' }, DeletionPolicy: 'Retain' });
    template.hasResource('AWS::Glue::Schema', {
      Properties: { Name: 'web.clicks', Compatibility: 'BACKWARD', DataFormat: 'AVRO', Registry: { Name: 'acme-dev-streams' } },
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::Glue::SchemaVersion', { DeletionPolicy: 'Retain' });
  });

  test('a given removal policy applies to the schema and every version', () => {
    const template = Template.fromStack(schemaStack({ versions: [version(1), version(2)], removalPolicy: RemovalPolicy.DESTROY }).stack);
    template.hasResource('AWS::Glue::Schema', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::Glue::SchemaVersion', { DeletionPolicy: 'Delete' });
  });

  test('grantRead lets a principal read the schema and its registry, by ARN', () => {
    const { stack, schema } = schemaStack();
    schema.grantRead(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('glue.amazonaws.com') }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: [...StreamMessageSchema.READ_ACTIONS].sort(),
            Resource: [
              'arn:aws:glue:eu-west-1:111111111111:registry/acme-dev-streams',
              'arn:aws:glue:eu-west-1:111111111111:schema/acme-dev-streams/web.clicks',
            ],
          },
        ],
      },
    });
  });

  test('fails when there is no version, versions are out of order or not JSON, or the mode is unknown, naming each', () => {
    expect(() => schemaStack({ versions: [] })).toThrow('StreamMessageSchema web.clicks: versions is empty; a schema has at least its initial version');
    expect(() => schemaStack({ versions: [version(1), version(3)] })).toThrow('versions[1] is version 3; versions are numbered 1..N in order');
    expect(() => schemaStack({ versions: [{ ...version(1), definition: '{"type":' }] })).toThrow(
      'versions[0] (schema/streams/web/clicks/v1.avsc) is not JSON text',
    );
    expect(() => schemaStack({ compatibility: 'DISABLED' as never })).toThrow(
      'compatibility ("DISABLED") must be one of: NONE, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL',
    );
  });
});
