import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { type IInterfaceVpcEndpoint, type IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { AnyPrincipal, ArnPrincipal, Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { CfnPrincipalPermissions } from 'aws-cdk-lib/aws-lakeformation';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLE_PERMISSIONS } from '../../lib/access/access-plan';
import type { GoldApiTableAccess } from '../../lib/access/api-access';

/** The handler's sources, transpiled at synth time (no bundler, no network): it needs only the AWS SDK the Lambda runtime provides. */
const FUNCTION_SOURCES = ['handler.ts', 'requests.ts'].map((file) => join(__dirname, 'functions', 'gold-api', file));

export interface GoldApiProps {
  /** Name of the REST API (see `goldApiName`). */
  readonly apiName: string;
  /** `private`: reachable only through `vpcEndpoint`; `regional`: a public regional endpoint (still IAM-authorised). */
  readonly endpointType: 'private' | 'regional';
  /** The VPC the function runs in (isolated subnets) and, for a private API, the `execute-api` interface endpoint of it. */
  readonly vpc: IVpc;
  /** Required when endpointType is private: the only way in. */
  readonly vpcEndpoint?: IInterfaceVpcEndpoint;
  /** The environment's Athena workgroup (enforced configuration) and its results bucket. */
  readonly workgroup: CfnWorkGroup;
  readonly resultsBucket: IBucket;
  /** Key of the logs, the function's environment and the query results. */
  readonly encryptionKey: IKey;
  /** The gold Glue database and the Lake Formation tag (value `read`) on the exposed tables. */
  readonly goldDatabase: string;
  readonly lakeFormationTagKey: string;
  /** The exposed tables, their filters and callers (see `goldApiAccess`). */
  readonly tables: readonly GoldApiTableAccess[];
  /** Stage throttling. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** Most rows per page. */
  readonly maxPageSize: number;
  /**
   * Days the access and function logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log groups when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An IAM-authorised REST API over exposed gold tables: `POST /tables/{table}/queries` and
 * `GET /tables/{table}/queries/{queryId}` for each table, whose resource policy admits exactly that
 * table's callers; a Lambda function (in the VPC) that runs allow-listed, parameterised Athena queries in
 * the environment's workgroup; Lake Formation SELECT for the function's role only on tables carrying the
 * API's tag; access logs in an encrypted log group; stage throttling.
 */
export class GoldApi extends Construct {
  readonly api: RestApi;
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: GoldApiProps) {
    super(scope, id);
    if (props.tables.length === 0) throw new Error('tables must list at least one exposed table');
    if (props.endpointType === 'private' && !props.vpcEndpoint) throw new Error('vpcEndpoint is required when endpointType is "private"');
    if (!(props.maxPageSize >= 1 && props.maxPageSize <= 1000)) throw new Error(`maxPageSize (${props.maxPageSize}) must be from 1 to 1000`);
    const stack = Stack.of(this);
    const retention = props.logRetention ?? RetentionDays.ONE_YEAR;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the allow-listed gold queries of ${props.apiName} in workgroup ${props.workgroup.name}`,
      inlinePolicies: {
        Queries: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'RunQueriesInTheWorkgroup',
              actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
              resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workgroup.name })],
            }),
            new PolicyStatement({
              sid: 'ReadTheExposedTableDefinitions',
              actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
              resources: [
                stack.formatArn({ service: 'glue', resource: 'catalog' }),
                stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.goldDatabase }),
                ...props.tables.map((table) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${props.goldDatabase}/${table.dataset}` })),
              ],
            }),
            // GetDataAccess has no resource-level permissions; Lake Formation grants (below) decide what it returns.
            new PolicyStatement({ sid: 'AskLakeFormationForCredentials', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
            new PolicyStatement({
              sid: 'WriteAndReadQueryResults',
              actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
              resources: [props.resultsBucket.bucketArn, props.resultsBucket.arnForObjects('results/*')],
            }),
            new PolicyStatement({
              sid: 'EncryptResults',
              actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
              resources: [props.encryptionKey.keyArn],
            }),
          ],
        }),
      },
    });

    const functionLogs = new LogGroup(this, 'FunctionLogs', { encryptionKey: props.encryptionKey, retention, removalPolicy });
    const securityGroup = new SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: props.vpc,
      description: `${props.apiName} function: HTTPS to the VPC's interface endpoints only`,
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(Peer.ipv4(props.vpc.vpcCidrBlock), Port.tcp(443), 'HTTPS to the interface endpoints (Athena, Glue, STS, KMS, Logs)');
    this.function = new LambdaFunction(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'handler.handler',
      code: Code.fromAsset(transpiledHandler()),
      role: this.role,
      timeout: Duration.seconds(30),
      memorySize: 256,
      logGroup: functionLogs,
      tracing: Tracing.ACTIVE,
      environmentEncryption: props.encryptionKey,
      vpc: props.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      environment: {
        GOLD_API_CONFIG: JSON.stringify({
          workgroup: props.workgroup.name,
          maxPageSize: props.maxPageSize,
          defaultPageSize: Math.min(100, props.maxPageSize),
          tables: Object.fromEntries(
            props.tables.map((table) => [table.dataset, { database: props.goldDatabase, table: table.dataset, filters: table.filters }]),
          ),
        }),
      },
    });

    new CfnPrincipalPermissions(this, 'ReadExposedTables', {
      catalog: stack.account,
      principal: { dataLakePrincipalIdentifier: this.role.roleArn },
      resource: { lfTagPolicy: { catalogId: stack.account, resourceType: 'TABLE', expression: [{ tagKey: props.lakeFormationTagKey, tagValues: ['read'] }] } },
      permissions: [...TABLE_PERMISSIONS.read],
      permissionsWithGrantOption: [],
    });
    new CfnPrincipalPermissions(this, 'DescribeGold', {
      catalog: stack.account,
      principal: { dataLakePrincipalIdentifier: this.role.roleArn },
      resource: { database: { catalogId: stack.account, name: props.goldDatabase } },
      permissions: ['DESCRIBE'],
      permissionsWithGrantOption: [],
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { encryptionKey: props.encryptionKey, retention, removalPolicy });
    const route = (method: string, table: string, rest: string) => `execute-api:/*/${method}/tables/${table}/queries${rest}`;
    this.api = new RestApi(this, 'Resource', {
      restApiName: props.apiName,
      description: 'Allow-listed, parameterised queries on exposed gold tables (IAM-authorised)',
      endpointConfiguration:
        props.endpointType === 'private' ? { types: [EndpointType.PRIVATE], vpcEndpoints: [props.vpcEndpoint!] } : { types: [EndpointType.REGIONAL] },
      cloudWatchRole: false,
      policy: new PolicyDocument({
        statements: [
          ...props.tables.map(
            (table) =>
              new PolicyStatement({
                sid: `Query${table.dataset.replace(/_/g, '')}`,
                principals: table.principalArns.map((arn) => new ArnPrincipal(arn)),
                actions: ['execute-api:Invoke'],
                resources: [route('POST', table.dataset, ''), route('GET', table.dataset, '/*')],
              }),
          ),
          ...(props.endpointType === 'private'
            ? [
                new PolicyStatement({
                  sid: 'OnlyThroughTheVpcEndpoint',
                  effect: Effect.DENY,
                  principals: [new AnyPrincipal()],
                  actions: ['execute-api:Invoke'],
                  resources: ['execute-api:/*'],
                  conditions: { StringNotEquals: { 'aws:SourceVpce': props.vpcEndpoint!.vpcEndpointId } },
                }),
              ]
            : []),
        ],
      }),
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.OFF,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integration = new LambdaIntegration(this.function);
    const validator = this.api.addRequestValidator('Validator', { validateRequestBody: false, validateRequestParameters: true });
    const queries = this.api.root.addResource('tables').addResource('{table}').addResource('queries');
    queries.addMethod('POST', integration, { authorizationType: AuthorizationType.IAM, requestValidator: validator });
    queries.addResource('{queryId}').addMethod('GET', integration, { authorizationType: AuthorizationType.IAM, requestValidator: validator });
  }
}

/** The handler transpiled to CommonJS in a folder named by its sources' hash (the asset hash follows the code). */
function transpiledHandler(): string {
  const sources = FUNCTION_SOURCES.map((file) => ({ file, code: readFileSync(file, 'utf8') }));
  const hash = createHash('sha256');
  for (const source of sources) hash.update(source.file.slice(source.file.lastIndexOf('/'))).update(source.code);
  const directory = join(tmpdir(), `gold-api-${hash.digest('hex').slice(0, 16)}`);
  mkdirSync(directory, { recursive: true });
  for (const source of sources) {
    const output = transformSync(source.code, {
      filename: source.file,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    writeFileSync(join(directory, source.file.slice(source.file.lastIndexOf('/') + 1).replace(/\.ts$/, '.js')), output.code);
  }
  return directory;
}
