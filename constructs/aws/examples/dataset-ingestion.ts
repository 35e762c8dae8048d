/**
 * Example: the Glue job that lands one batch dataset in bronze, with the environment's Glue security
 * configuration, an encrypted log group and a job role. Type-checked by `tsc`; to synthesize it, run
 * `npx ts-node --swc constructs/aws/examples/dataset-ingestion.ts`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-glue';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DatasetIngestionJob, GLUE_INGEST_SCRIPT_PATH, GlueJobSecurity } from '..';

export function datasetIngestionExample(app = new App()): Stack {
  const stack = new Stack(app, 'DatasetIngestionExample', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new Key(stack, 'Key', { enableKeyRotation: true });
  const security = new GlueJobSecurity(stack, 'GlueSecurity', { securityConfigurationName: 'example-glue', encryptionKey: key });
  const role = new Role(stack, 'IngestionRole', { assumedBy: new ServicePrincipal('glue.amazonaws.com') });
  new DatasetIngestionJob(stack, 'orders', {
    jobName: 'example-ingest-orders',
    description: 'Lands orders (api, json) in bronze',
    script: Code.fromAsset(GLUE_INGEST_SCRIPT_PATH),
    role,
    scriptArguments: { '--dataset': 'orders', '--bronze-bucket': 'example-bronze-111111111111' },
    securityConfiguration: security.securityConfiguration,
    logGroup: new LogGroup(stack, 'Logs', { encryptionKey: key, retention: RetentionDays.ONE_MONTH }),
    maxWorkers: 2,
  });
  return stack;
}

if (require.main === module) (datasetIngestionExample().node.root as App).synth();
