import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { testApp } from '../../fixtures/cdk-app';
import { DataLakeKey } from '../../../constructs/aws';

describe('DataLakeKey', () => {
  test('rotates yearly, has its alias and is retained by default', () => {
    const stack = new Stack(testApp(), 'S');
    new DataLakeKey(stack, 'Key', { aliasName: 'alias/acme-prod-data' });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-prod-data' });
  });

  test('lets grants be created only for AWS services', () => {
    const stack = new Stack(testApp(), 'S');
    new DataLakeKey(stack, 'Key', { aliasName: 'alias/acme-prod-data', removalPolicy: RemovalPolicy.DESTROY });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({
      Sid: 'DenyGrantsExceptForAwsServices',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  test('fails when the deletion window is outside 7-30 days', () => {
    const stack = new Stack(testApp(), 'S');
    expect(() => new DataLakeKey(stack, 'Key', { aliasName: 'alias/a-b-data', pendingWindowDays: 3 })).toThrow(
      'pendingWindowDays (3) must be a whole number of days from 7 to 30',
    );
  });
});
