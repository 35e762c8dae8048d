import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InterfaceVpcEndpointAwsService, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { GoldApi, type GoldApiProps, goldApiInterfaceEndpoints } from '../../../constructs/aws/gold-api';
import { testApp } from '../../fixtures/cdk-app';

function apiStack(props: Partial<GoldApiProps> = {}) {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }] });
  const vpcEndpoint = vpc.addInterfaceEndpoint('ExecuteApi', { service: InterfaceVpcEndpointAwsService.APIGATEWAY });
  new GoldApi(stack, 'Api', {
    apiName: 'acme-dev-gold-api',
    endpointType: 'private',
    vpc,
    vpcEndpoint,
    workgroup: new CfnWorkGroup(stack, 'Workgroup', { name: 'acme-dev-analytics' }),
    resultsBucket: new Bucket(stack, 'Results'),
    encryptionKey: new Key(stack, 'Key'),
    goldDatabase: 'acme_dev_gold',
    lakeFormationTagKey: 'acme_dev_consumer_api',
    tables: [{ dataset: 'orders', filters: { order_id: 'bigint' }, principalArns: ['arn:aws:iam::111111111111:role/acme-analysts'] }],
    rateLimit: 20,
    burstLimit: 40,
    maxPageSize: 500,
    ...props,
  });
  return stack;
}

const apiTemplate = (props: Partial<GoldApiProps> = {}) => Template.fromStack(apiStack(props));

describe('GoldApi', () => {
  test("admits each table's callers on its routes only, through the VPC endpoint, with IAM authorisation", () => {
    const template = apiTemplate();
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'] },
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'Queryorders',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:role/acme-analysts' },
            Resource: ['execute-api:/*/GET/tables/orders/queries/*', 'execute-api:/*/POST/tables/orders/queries'],
          }),
          Match.objectLike({ Sid: 'OnlyThroughTheVpcEndpoint', Effect: 'Deny' }),
        ]),
      },
    });
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  test('throttles the stage and writes access logs to an encrypted log group', () => {
    const template = apiTemplate();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })]),
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) expect(group.Properties.KmsKeyId).toBeDefined();
  });

  test('gives the function Lake Formation SELECT only on tables carrying the API tag, and the allow-list in its environment', () => {
    const template = apiTemplate();
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { LFTagPolicy: { ResourceType: 'TABLE', Expression: [{ TagKey: 'acme_dev_consumer_api', TagValues: ['read'] }] } },
      Permissions: ['SELECT', 'DESCRIBE'],
    });
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'handler.handler' } }));
    expect(JSON.parse(fn.Properties.Environment.Variables.GOLD_API_CONFIG)).toEqual({
      workgroup: 'acme-dev-analytics',
      maxPageSize: 500,
      defaultPageSize: 100,
      tables: { orders: { database: 'acme_dev_gold', table: 'orders', filters: { order_id: 'bigint' } } },
    });
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  test('fails when a private API has no VPC endpoint', () => {
    expect(() => apiTemplate({ vpcEndpoint: undefined })).toThrow('vpcEndpoint is required when endpointType is "private"');
  });

  test('needs Athena and X-Ray endpoints for its function, and execute-api only when private', () => {
    expect(goldApiInterfaceEndpoints('private').map((service) => service.shortName)).toEqual(['athena', 'xray', 'execute-api']);
    expect(goldApiInterfaceEndpoints('regional').map((service) => service.shortName)).toEqual(['athena', 'xray']);
  });

  test('has no alarms without an alert topic', () => {
    apiTemplate().resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('fails when the page size is beyond what Athena returns', () => {
    expect(() => apiTemplate({ maxPageSize: 5000 })).toThrow('maxPageSize (5000) must be from 1 to 1000');
  });
});
