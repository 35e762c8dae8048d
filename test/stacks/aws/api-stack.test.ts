import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { addAwsEnvironment } from '../../../bin/aws-app';
import type { PlatformConfig } from '../../../lib/definition';
import { addAwsPolicyGates } from '../../../lib/policy';
import { AnalyticsStack, ApiStack, NetworkStack, OrchestrationStack, StorageStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

/** The api stack of an environment, built as the AWS app builds it (with the stacks it takes its dependencies from). */
function apiStack(name: string, definition: PlatformConfig = config): ApiStack {
  const built = addAwsEnvironment(testApp(), definition, environmentOf(definition, name), { only: (stack) => stack.concern === 'api' });
  return built.of(ApiStack, 'api');
}

const templates = new Map<string, Template>();
function apiTemplate(name: string): Template {
  if (!templates.has(name)) templates.set(name, Template.fromStack(apiStack(name)));
  return templates.get(name) as Template;
}

describe('ApiStack', () => {
  test.each(['dev', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(apiStack(environment))).toMatchSnapshot();
  });

  test('is named <prefix>-<env>-api and serves the API named from the naming functions', () => {
    const stack = apiStack('dev');
    expect(stack.stackName).toBe('acme-dev-api');
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'acme-dev-gold-api' });
  });

  test('authorises every method with IAM, on a private endpoint reachable only through the VPC endpoint of the network stack', () => {
    const template = apiTemplate('dev');
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((method) => method.Properties.HttpMethod).sort()).toEqual(['GET', 'POST']);
    for (const method of methods) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    const endpoint = { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'acme-dev-network' }) };
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [endpoint] },
      Policy: {
        Statement: Match.arrayWith([
          {
            Sid: 'OnlyThroughTheVpcEndpoint',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringNotEquals: { 'aws:SourceVpce': endpoint } },
          },
        ]),
      },
    });
  });

  test("admits on each table's routes exactly the roles of its groups and the principals the definition names", () => {
    const statements = apiTemplate('dev').findResources('AWS::ApiGateway::RestApi');
    const [api] = Object.values(statements);
    const allows = api.Properties.Policy.Statement.filter((statement: { Effect: string }) => statement.Effect === 'Allow').map(
      (statement: { Resource: string[] }) => ({ ...statement, Resource: [...statement.Resource].sort() }),
    );
    expect(allows).toEqual([
      {
        Sid: 'Queryorders',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111111111111:role/acme-analysts', 'arn:aws:iam::111111111111:role/acme-data-science'] },
        Action: 'execute-api:Invoke',
        Resource: ['execute-api:/*/GET/tables/orders/queries/*', 'execute-api:/*/POST/tables/orders/queries'],
      },
      {
        Sid: 'Queryproducts',
        Effect: 'Allow',
        Principal: {
          AWS: [
            'arn:aws:iam::111111111111:role/acme-analysts',
            'arn:aws:iam::111111111111:role/acme-marketing-analysts',
            'arn:aws:iam::444455556666:role/acme-storefront-catalog',
          ],
        },
        Action: 'execute-api:Invoke',
        Resource: ['execute-api:/*/GET/tables/products/queries/*', 'execute-api:/*/POST/tables/products/queries'],
      },
    ]);
  });

  test('throttles the stage as the definition says, logs errors and access to encrypted log groups, and puts a WAF web ACL in front', () => {
    const template = apiTemplate('dev');
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
      AccessLogSetting: {
        DestinationArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        Format: Match.stringLikeRegexp('"userArn":"[$]context.identity.userArn"'),
      },
    });
    const dataKey = { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'acme-dev-storage' }) };
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(3);
    for (const group of logGroups) expect(group.Properties.KmsKeyId).toEqual(dataKey);
    template.hasResourceProperties('AWS::ApiGateway::Account', { CloudWatchRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GoldApiLoggingRole'), 'Arn'] } });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }), Match.objectLike({ Name: 'AWSManagedRulesSQLiRuleSet' })]),
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  test('validates the query request body against its schema, with the page size of the definition', () => {
    apiTemplate('dev').hasResourceProperties('AWS::ApiGateway::Model', {
      Name: 'QueryRequest',
      Schema: Match.objectLike({
        additionalProperties: false,
        properties: { filters: { type: 'object' }, pageSize: { type: 'integer', minimum: 1, maximum: 500 } },
      }),
    });
  });

  test("gives the handler the environment's enforced workgroup and the allow-list of tables and filter columns with their types", () => {
    const [fn] = Object.values(apiTemplate('dev').findResources('AWS::Lambda::Function', { Properties: { Handler: 'handler.handler' } }));
    expect(JSON.parse(fn.Properties.Environment.Variables.GOLD_API_CONFIG)).toEqual({
      workgroup: 'acme-dev-analytics',
      maxPageSize: 500,
      defaultPageSize: 100,
      tables: {
        orders: {
          database: 'acme_dev_gold',
          table: 'orders',
          filters: { order_id: 'bigint', customer_id: 'bigint', order_status: 'string', ordered_at: 'timestamp' },
        },
        products: { database: 'acme_dev_gold', table: 'products', filters: { product_id: 'string', category: 'string' } },
      },
    });
    expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(2);
    expect(fn.Properties.KmsKeyArn).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'acme-dev-storage' }) });
  });

  test("grants the API's role Lake Formation SELECT only through the API tag, and DESCRIBE on the gold database", () => {
    const template = apiTemplate('dev');
    const grants = Object.values(template.findResources('AWS::LakeFormation::PrincipalPermissions')).map((grant) => grant.Properties);
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'acme-dev-gold-api' } }));
    expect(grants).toHaveLength(2);
    for (const grant of grants) expect(grant.Principal).toEqual({ DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    expect(grants).toContainEqual(
      expect.objectContaining({
        Resource: { LFTagPolicy: { CatalogId: '111111111111', ResourceType: 'TABLE', Expression: [{ TagKey: 'acme_dev_consumer_api', TagValues: ['read'] }] } },
        Permissions: ['SELECT', 'DESCRIBE'],
        PermissionsWithGrantOption: [],
      }),
    );
    expect(grants).toContainEqual(
      expect.objectContaining({ Resource: { Database: { CatalogId: '111111111111', Name: 'acme_dev_gold' } }, Permissions: ['DESCRIBE'] }),
    );
  });

  test('alarms the alert topic of the orchestration stack on server errors and throttled invocations', () => {
    const alarms = Object.values(apiTemplate('dev').findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(['5XXError', 'Throttles']);
    for (const alarm of alarms)
      expect(alarm.Properties.AlarmActions).toEqual([{ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'acme-dev-orchestration' }) }]);
  });

  test('keeps its log groups in production', () => {
    for (const group of Object.values(apiTemplate('prod').findResources('AWS::Logs::LogGroup'))) expect(group.DeletionPolicy).toBe('Retain');
  });

  test('a regional API has no VPC endpoint condition, and the network no execute-api endpoint', () => {
    const regional = configWith((d) => (d.consumers.api.endpointType = 'regional'));
    const built = addAwsEnvironment(testApp(), regional, environmentOf(regional, 'dev'), { only: (stack) => stack.concern === 'api' });
    const template = Template.fromStack(built.of(ApiStack, 'api'));
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    expect(JSON.stringify(template.toJSON())).not.toContain('aws:SourceVpce');
    const network = Template.fromStack(built.named('acme-dev-network'));
    const services = Object.values(network.findResources('AWS::EC2::VPCEndpoint')).map((endpoint) => JSON.stringify(endpoint.Properties.ServiceName));
    expect(services.filter((service) => service.includes('execute-api'))).toEqual([]);
    expect(services.filter((service) => service.includes('athena'))).toHaveLength(1);
  });

  test('passes cdk-nag and the Control Tower rules, private and regional', () => {
    const regional = configWith((d) => (d.consumers.api.endpointType = 'regional'));
    for (const [definition, environment] of [
      [config, 'dev'],
      [regional, 'prod'],
    ] as const) {
      const app = new App({ context: cdkJson.context, outdir: join(tmpdir(), `api-gates-${process.pid}-${environment}`) });
      addAwsPolicyGates(app);
      addAwsEnvironment(app, definition, environmentOf(definition, environment), { only: (stack) => stack.concern === 'api' });
      expect(() => app.synth()).not.toThrow();
    }
  });

  test('fails when the environment deploys no gold API', () => {
    const elsewhere = configWith((d) => (d.consumers.api.environments = ['prod']));
    const app = testApp();
    const environment = environmentOf(elsewhere, 'dev');
    const concerns = ['storage', 'network', 'analytics', 'orchestration'];
    const built = addAwsEnvironment(app, elsewhere, environment, { only: (stack) => concerns.includes(stack.concern) && stack.domain === undefined });
    const queries = built.of(AnalyticsStack, 'analytics').queries;
    expect(
      () =>
        new ApiStack(app, {
          config: elsewhere,
          environment,
          encryptionKey: built.of(StorageStack, 'storage').dataLake.key,
          vpc: built.of(NetworkStack, 'network').network.vpc,
          workgroup: queries.workgroup,
          resultsBucket: queries.resultsBucket,
          alertTopic: built.of(OrchestrationStack, 'orchestration').alerts.topic,
        }),
    ).toThrow('environment "dev" deploys no gold API; add it to consumers.api.environments');
  });
});
