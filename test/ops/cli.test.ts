import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { EMRClient, ListClustersCommand, ListStepsCommand } from '@aws-sdk/client-emr';
import { GetJobRunsCommand, GlueClient } from '@aws-sdk/client-glue';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { COMMANDS } from '../../ops/help';
import { environmentStacks } from '../../lib/plan/environment-plan';
import { environmentOf, exampleConfig, exampleDefinition, writeDefinitionFile } from '../fixtures/platform';
import { noBatchLog } from './fake-athena';
import { awsError, runCli } from './harness';

const glueMock = mockClient(GlueClient);
const emrMock = mockClient(EMRClient);
const sfnMock = mockClient(SFNClient);
const athenaMock = mockClient(AthenaClient);

beforeEach(() => {
  glueMock.reset();
  emrMock.reset();
  sfnMock.reset();
  athenaMock.reset();
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
  noBatchLog(athenaMock);
});

/** The example definition with staging on Azure and Databricks only, written to a temporary file. */
function definitionWithoutAwsStaging(): string {
  const definition = exampleDefinition();
  definition.environments.staging.clouds = ['azure', 'databricks'];
  delete definition.environments.staging.aws;
  return writeDefinitionFile(definition, 'platform-cli-');
}

describe('platform CLI', () => {
  test('prints its help, with the commands, pipelines and exit codes', async () => {
    for (const args of [[], ['--help'], ['help']]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: platform <command> [options]');
    }
    const { stdout } = await runCli(['--help']);
    expect(stdout).toContain('Pipelines: one per business domain');
    expect(stdout).toMatch(/124 {2}--timeout expired/);
    expect(stdout).toMatch(/130 {2}interrupted by Ctrl-C/);
    expect(stdout).toMatch(/ 4 {4}the pipeline is already running/);
  });

  test('run --help documents --cloud, --wait-for-running, --endpoint, --on and the refusal of a running pipeline', async () => {
    const { stdout } = await runCli(['run', '--help']);
    expect(stdout).toContain('--cloud <cloud>        aws, azure or databricks');
    expect(stdout).toContain('--wait-for-running     when the pipeline is already running, wait for that run to end, then start');
    expect(stdout).toContain('--endpoint <url>');
    expect(stdout).toContain("--on <runtime>         AWS: where the Spark step runs: emr (the environment's EMR cluster) or kubernetes");
    expect(stdout).toContain("AWS: starts the pipeline's Step Functions state machine with the input its schedules send");
    const typo = await runCli(['run', 'sales', '--env', 'dev', '--wait-for-runing']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(did you mean --wait-for-running?)');
  });

  test.each(COMMANDS)('"%s --help" and "help %s" print the command\'s usage', async (command) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
      ['help', command],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: platform ${command}`);
    }
  });

  test('fails with exit 2 when the command is unknown, suggesting the closest', async () => {
    const run = await runCli(['stauts']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('platform: unknown command "stauts" (did you mean "status"?); commands: validate, list, run, status, diagram');
  });

  test('fails with exit 2 when an option is unknown, suggesting the closest', async () => {
    const run = await runCli(['run', 'sales', '--env', 'dev', '--timout', '5m']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option --timout for "platform run" (did you mean --timeout?)');
    expect(run.stderr).toContain('Run "platform run --help" for usage.');
  });

  test('fails with exit 2 when an option has no value or an argument is missing', async () => {
    expect((await runCli(['list', '--env'])).stderr).toContain('option --env of "platform list" needs a value');
    expect((await runCli(['run', '--env', 'dev'])).stderr).toContain('"platform run" needs <pipeline|dataset>');
    expect((await runCli(['list', 'extra', '--env', 'dev'])).stderr).toContain('"platform list" takes no arguments; unexpected: extra');
  });

  test('fails with exit 2 when the environment is unknown or missing, listing the valid ones', async () => {
    const unknown = await runCli(['status', '--env', 'prd']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('platform: unknown environment "prd" (did you mean "prod"?); environments: dev, staging, prod');
    const missing = await runCli(['list']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('"platform list" needs --env <env> (or PLATFORM_ENV); environments: dev, staging, prod');
    expect((await runCli(['list'], { env: { PLATFORM_ENV: 'prod' } })).code).toBe(0);
  });

  test('fails with exit 2 when the environment does not use the cloud asked for, or the cloud is unknown', async () => {
    const run = await runCli(['run', 'sales', '--env', 'staging', '--cloud', 'aws', '--config', definitionWithoutAwsStaging()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('environment "staging" does not use aws (its clouds: azure, databricks); --cloud: azure, databricks');
    const status = await runCli(['status', '--env', 'staging', '--cloud', 'aws', '--config', definitionWithoutAwsStaging()]);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('environment "staging" does not use aws (its clouds: azure, databricks); --cloud: azure, databricks');
    const unknown = await runCli(['run', 'sales', '--env', 'dev', '--cloud', 'gcp']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown cloud "gcp"');
  });

  test('fails with exit 2 when the pipeline of status is unknown', async () => {
    const run = await runCli(['status', 'sale', '--env', 'dev']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown pipeline "sale" (did you mean "sales"?); pipelines: sales, marketing');
  });

  test('fails with exit 2 when --timeout is not a duration', async () => {
    const run = await runCli(['run', 'sales', '--env', 'dev', '--timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--timeout "soon" is not a duration');
  });

  test('fails with exit 1 and every problem when the definition is invalid', async () => {
    const run = await runCli(['validate', '--config', join(tmpdir(), 'does-not-exist.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'does-not-exist.yaml: 1 problem in the platform definition:\n  - (definition root): cannot read the definition file: no such file',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test('validate summarises the definition with its pipelines', async () => {
    const run = await runCli(['validate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid platform definition "acme"');
    expect(run.stdout).toContain('Pipelines: 2');
    expect(run.stdout).toContain('  sales      ingestion: customers, orders, order_items, products, exchange_rates');
    expect(run.stdout).toContain('  marketing  ingestion: campaigns, newsletter_signups; continuous streams: web_events');
    const json = JSON.parse((await runCli(['validate', '--json'])).stdout);
    expect(json.pipelines).toEqual([
      { name: 'sales', batchDatasets: ['customers', 'orders', 'order_items', 'products', 'exchange_rates'], streamDatasets: [] },
      { name: 'marketing', batchDatasets: ['campaigns', 'newsletter_signups'], streamDatasets: ['web_events'] },
    ]);
  });

  test('list shows what the definition produces for the environment', async () => {
    const run = await runCli(['list', '--env', 'prod']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Environment prod (AWS account 333333333333, eu-west-1)');
    expect(run.stdout).toContain('  acme-prod-storage\n');
    expect(run.stdout).toMatch(/sales {6}acme-prod-pipeline-sales {6}acme-prod-silver-gold-sales {6}customers, orders/);
    expect(run.stdout).toContain('  acme-prod-ingest-newsletter_signups\n');
    expect(run.stdout).toContain('EMR clusters:\n  acme-prod-spark');
    const json = JSON.parse((await runCli(['list', '--env', 'prod', '--json'])).stdout);
    expect(json.glueJobs).toHaveLength(7);
    expect(json.emrClusters).toEqual(['acme-prod-spark']);
    expect(run.stdout).toContain('EMR on EKS virtual clusters:\n  acme-prod-spark-on-eks');
    expect(run.stdout).toContain('Spark step runs on (platform run --on): emr (default), kubernetes');
    expect(json).toMatchObject({ emrVirtualClusters: ['acme-prod-spark-on-eks'], sparkRuntimes: ['emr', 'kubernetes'], defaultSparkRuntime: 'emr' });
    expect((await runCli(['list', '--env', 'dev'])).stdout).toContain('Spark step runs on (platform run --on): emr (default)\n');
    const config = exampleConfig();
    expect(json.stacks).toEqual(environmentStacks(config, environmentOf(config, 'prod')).map((stack) => stack.name));
    expect(json.stacks).toEqual(expect.arrayContaining(['acme-prod-storage', 'acme-prod-network', 'acme-prod-azure-storage']));
  });

  test('list of an environment without AWS shows its stacks and no pipelines', async () => {
    const run = await runCli(['list', '--env', 'staging', '--config', definitionWithoutAwsStaging()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('acme-staging-azure-storage');
    expect(run.stdout).toContain('Pipelines: none (pipelines run on AWS Glue and EMR; this environment does not use aws)');
  });

  test('diagram prints a Mermaid flowchart from sources to consumers', async () => {
    const run = await runCli(['diagram', '--env', 'dev']);
    expect(run.code).toBe(0);
    const diagram = run.stdout;
    expect(diagram.startsWith('flowchart LR\n')).toBe(true);
    expect(diagram).toContain('src_database[("Databases<br/>customers, orders, order_items")]');
    expect(diagram).toContain('src_stream>"Streams<br/>web_events"]');
    expect(diagram).toContain('msk["Amazon MSK<br/>acme-dev-streaming<br/>topics: web.clickstream.v1"]');
    expect(diagram).toContain('bronze[("bronze<br/>acme-dev-bronze-111111111111-eu-west-1")]');
    expect(diagram).toContain('emr["Amazon EMR (Spark)<br/>acme-dev-spark<br/>silver/gold step per pipeline: sales, marketing"]');
    for (const edge of [
      'src_database --> glue',
      'src_stream --> msk',
      'glue --> bronze',
      'msk --> bronze',
      'bronze --> emr',
      'emr --> silver',
      'emr --> gold',
      'gold -.->|read| group_data_science',
    ]) {
      expect(diagram).toContain(`  ${edge}\n`);
    }
  });

  test('diagram defaults to the first AWS environment and writes --output', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'platform-diagram-')), 'platform.mmd');
    const run = await runCli(['diagram', '--output', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`wrote the dev diagram to ${file}\n`);
    expect(readFileSync(file, 'utf8')).toContain('acme-dev-spark');
  });

  test('status shows the latest runs and steps as an aligned table with error messages', async () => {
    const started = new Date(Date.UTC(2026, 10, 28, 2, 0, 0));
    glueMock.on(GetJobRunsCommand).callsFake((input) => {
      if (input.JobName === 'acme-dev-ingest-orders') {
        return {
          JobRuns: [
            {
              Id: 'jr_new',
              JobRunState: 'FAILED',
              StartedOn: started,
              CompletedOn: new Date(started.getTime() + 125_000),
              ErrorMessage: 'Connection refused: erp-replica:5432',
            },
            { Id: 'jr_old', JobRunState: 'SUCCEEDED', StartedOn: new Date(0) },
          ],
        };
      }
      if (input.JobName === 'acme-dev-ingest-products') throw awsError('EntityNotFoundException', 'Job acme-dev-ingest-products not found.');
      return { JobRuns: [] };
    });
    emrMock.on(ListClustersCommand).resolves({ Clusters: [{ Id: 'j-CLUSTER', Name: 'acme-dev-spark', Status: { State: 'RUNNING' } }] });
    emrMock
      .on(ListStepsCommand)
      .resolves({ Steps: [{ Id: 's-2', Name: 'acme-dev-silver-gold-sales', Status: { State: 'RUNNING', Timeline: { StartDateTime: started } } }] });

    const run = await runCli(['status', 'sales', '--env', 'dev']);

    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^PIPELINE +LAST RUN +STATE +STARTED \(UTC\) +DURATION +DATA QUALITY +RECONCILIATION +ERROR$/);
    expect(lines[1]).toMatch(/^sales +- +NO_RUNS +- +- +- +not recorded yet *$/);
    expect(lines[3]).toBe('PIPELINE  KIND  NAME                            RUN/STEP ID  STATE      STARTED (UTC)         DURATION  ERROR');
    expect(run.stdout).toContain(
      'sales     glue  acme-dev-ingest-orders          jr_new       FAILED     2026-11-28T02:00:00Z  2m05s     Connection refused: erp-replica:5432',
    );
    expect(run.stdout).toContain('sales     glue  acme-dev-ingest-customers       -            NO_RUNS    -                     -');
    expect(run.stdout).toContain(
      'acme-dev-ingest-products        -            NOT_FOUND  -                     -         the ' +
        'Glue job does not exist in this account and region (not deployed?)',
    );
    expect(run.stdout).toContain('sales     emr   acme-dev-silver-gold-sales      s-2          RUNNING    2026-11-28T02:00:00Z  1h00m');
    expect(run.stdout).toContain('EMR cluster acme-dev-spark: j-CLUSTER');
    expect(run.stdout).not.toContain('marketing');

    const json = JSON.parse((await runCli(['status', '--env', 'dev', '--json'])).stdout);
    expect(json.runsOn).toEqual({ kind: 'emr-cluster', name: 'acme-dev-spark', id: 'j-CLUSTER', description: 'EMR cluster acme-dev-spark: j-CLUSTER' });
    expect(json.entries.find((e: any) => e.name === 'acme-dev-ingest-orders')).toMatchObject({
      pipeline: 'sales',
      id: 'jr_new',
      state: 'FAILED',
      durationSeconds: 125,
    });
    expect(json.entries.filter((e: any) => e.kind === 'emr-step').map((e: any) => e.state)).toEqual(['RUNNING', 'NO_RUNS']);
  });

  test('status without an active cluster still shows the Glue runs', async () => {
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
    emrMock.on(ListClustersCommand).resolves({ Clusters: [] });
    const run = await runCli(['status', '--env', 'dev']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('EMR cluster acme-dev-spark: none active, so no Spark steps are listed');
    expect(emrMock.commandCalls(ListStepsCommand)).toHaveLength(0);
  });
});
