/**
 * Example: an S3 medallion lake (key, access logs, a bucket per layer with the default lifecycle) and the
 * Glue tables of one dataset, tagged for Lake Formation. Type-checked by `tsc`; to synthesize it, run
 * `npx ts-node --swc constructs/aws/examples/medallion-lake.ts`.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { DataLakeStorage, DatasetTables } from '..';

export function medallionLakeExample(app = new App({ context: { [S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY]: true } })): Stack {
  const stack = new Stack(app, 'MedallionLakeExample', { env: { account: '111111111111', region: 'eu-west-1' } });
  const lake = new DataLakeStorage(stack, 'DataLake', {
    keyAliasName: 'alias/example-lake',
    bucketNames: { bronze: 'example-bronze-111111111111', silver: 'example-silver-111111111111', gold: 'example-gold-111111111111' },
    // Gold expires after two years; bronze and silver keep DEFAULT_LIFECYCLE.
    lifecycle: {
      gold: { infrequentAccessAfterDays: 90, expireAfterDays: 730, noncurrentVersionExpireAfterDays: 14, abortIncompleteMultipartUploadAfterDays: 7 },
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new DatasetTables(stack, 'orders', {
    name: 'orders',
    domain: 'sales',
    classification: 'confidential',
    columns: [
      { name: 'order_id', type: 'string' },
      { name: 'amount', type: 'decimal(10,2)', comment: 'Order total in EUR' },
    ],
    bronzeFormat: 'json',
    access: {
      bronze: new Map([['data-engineers', 'own']]),
      silver: new Map([['data-engineers', 'own']]),
      gold: new Map([
        ['data-engineers', 'own'],
        ['analysts', 'read'],
      ]),
    },
    databaseNames: { bronze: 'example_bronze', silver: 'example_silver', gold: 'example_gold' },
    bucketNames: { bronze: lake.bucketFor('bronze').bucketName, silver: lake.bucketFor('silver').bucketName, gold: lake.bucketFor('gold').bucketName },
    domainTagKey: 'domain',
    accessTagKeyOf: (group) => `access_${group}`,
  });
  return stack;
}

if (require.main === module) (medallionLakeExample().node.root as App).synth();
