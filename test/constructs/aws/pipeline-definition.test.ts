import jsonata from 'jsonata';
import { pipelineDefinition, type PipelineDefinitionProps } from '../../../constructs/aws/pipeline-definition';
import { ACTIVE_EMR_CLUSTER_STATES } from '../../../lib/pipelines/emr-cluster-states';
import { sparkJobRunFor } from '../../../lib/pipelines/spark-job-run';
import { emrSparkStep, type SparkApplicationRun } from '../../../lib/pipelines/spark-step';

const props: PipelineDefinitionProps = {
  partition: 'aws',
  pipeline: 'sales',
  datasets: [
    { name: 'orders', jobName: 'acme-dev-ingest-orders' },
    { name: 'customers', jobName: 'acme-dev-ingest-customers' },
  ],
  pollSeconds: 30,
  maxConcurrency: 10,
  clusterName: 'acme-dev-spark',
  clusterSpecParameterName: '/acme/dev/spark/run-job-flow',
  sparkStep: { name: 'acme-dev-silver-gold-sales', sparkSubmitArgs: ['--deploy-mode', 'cluster', 's3://artifacts/spark/silver_gold.py', '--domain', 'sales'] },
  defaultSparkRuntime: 'emr',
  alertTopicArn: 'arn:aws:sns:eu-west-1:111111111111:acme-dev-alerts',
  timeoutSeconds: 43200,
};

type State = Record<string, any>;
const definition = pipelineDefinition(props) as { States: Record<string, State>; QueryLanguage: string; StartAt: string; TimeoutSeconds: number };
const states = definition.States;
const datasetStates = states.Ingest.ItemProcessor.States as Record<string, State>;

/** Evaluates a `{% ... %}` field the way Step Functions does, with `$states` and the variables bound. */
async function evaluate(field: string, bindings: Record<string, unknown>): Promise<any> {
  const match = /^\{%(.*)%\}$/s.exec(field);
  if (!match) throw new Error(`not a JSONata field: ${field}`);
  // Step Functions adds $parse (JSON text to a value) to the standard JSONata library.
  return jsonata(match[1]).evaluate({}, { parse: (text: string) => JSON.parse(text), ...bindings });
}

/** Every state of the definition, inner ones included, by name. */
function allStates(): Array<[string, State]> {
  return [...Object.entries(states), ...Object.entries(datasetStates)];
}

describe('pipelineDefinition', () => {
  test('uses JSONata, starts with the plan and has a timeout', () => {
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.StartAt).toBe('Plan');
    expect(definition.TimeoutSeconds).toBe(43200);
  });

  describe('choosing the datasets', () => {
    test("runs every batch dataset of the pipeline when the input names none, else the input's", async () => {
      const plan = states.Plan.Assign.datasets;
      expect(await evaluate(plan, { states: { input: {} } })).toEqual(['orders', 'customers']);
      expect(await evaluate(plan, { states: { input: { datasets: ['orders'] } } })).toEqual(['orders']);
    });

    test.each<[string, unknown, boolean]>([
      ['a known dataset', ['orders'], false],
      ['every dataset', ['orders', 'customers'], false],
      ['no dataset (only the Spark step)', [], false],
      ['an unknown dataset', ['orders', 'invoices'], true],
      ['a string instead of a list', 'orders', true],
    ])('checks an input that names %s (%j): rejected = %s', async (_what, datasets, rejected) => {
      const rule = states['Check input'].Choices[0];
      expect(await evaluate(rule.Condition, { datasets })).toBe(rejected);
    });

    test('fails an unknown dataset through the notification, naming what is allowed', async () => {
      const rule = states['Check input'].Choices[0];
      expect(rule.Next).toBe('Notify failure');
      const failure = await evaluate(rule.Assign.failure, { datasets: ['invoices'] });
      expect(failure).toEqual({
        stage: 'input',
        error: 'UnknownDataset',
        cause: 'input.datasets ["invoices"] must be a list of batch datasets of pipeline sales: orders, customers',
      });
    });
  });

  describe('each dataset', () => {
    test('is ingested once even when the input names it twice', async () => {
      expect(await evaluate(states.Ingest.Items, { datasets: ['orders', 'orders', 'customers'] })).toEqual(['orders', 'customers']);
      expect(await evaluate(states.Ingest.Items, { datasets: ['orders'] })).toEqual(['orders']);
      expect(states.Ingest.MaxConcurrency).toBe(10);
    });

    test('looks up its job by name', async () => {
      const assign = datasetStates['Look up dataset'].Assign;
      const entry = await evaluate(assign.entry, { states: { input: 'customers' } });
      expect(entry).toEqual({ job: 'acme-dev-ingest-customers' });
      expect(await evaluate(datasetStates['Run ingestion job'].Arguments.JobName, { entry })).toBe('acme-dev-ingest-customers');
    });

    test('runs its Glue job synchronously, retrying throttling and concurrency limits with backoff', () => {
      const task = datasetStates['Run ingestion job'];
      expect(task.Resource).toBe('arn:aws:states:::glue:startJobRun.sync');
      expect(task.Retry[0]).toMatchObject({
        ErrorEquals: expect.arrayContaining(['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException']),
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      });
      expect(task.Retry[0].ErrorEquals).not.toContain('States.TaskFailed');
    });

    test('is not judged by Glue Data Quality on the whole bronze table: ingestion leads straight to the Spark step, which applies the rules per load', () => {
      expect(Object.keys(datasetStates)).toEqual(['Look up dataset', 'Run ingestion job', 'Dataset done']);
      expect(datasetStates['Run ingestion job'].Next).toBe('Dataset done');
      expect(JSON.stringify(definition)).not.toMatch(/DataQuality|GlueTable/);
    });

    test("drops each job run's result, so the Map's output stays a few bytes per dataset (Step Functions' 256 KB payload limit)", () => {
      expect(datasetStates['Run ingestion job'].Output).toEqual({});
    });
  });

  describe('the Spark step', () => {
    test('finds the active cluster by name among the active states, newest listed first', async () => {
      const task = states['Find Spark cluster'];
      expect(task.Arguments).toEqual({ ClusterStates: [...ACTIVE_EMR_CLUSTER_STATES] });
      const result = {
        Clusters: [
          { Name: 'other', Id: 'j-OTHER' },
          { Name: 'acme-dev-spark', Id: 'j-NEW' },
          { Name: 'acme-dev-spark', Id: 'j-OLD' },
        ],
      };
      expect(await evaluate(task.Assign.clusterId, { states: { result } })).toBe('j-NEW');
      expect(await evaluate(task.Assign.clusterId, { states: { result: { Clusters: [{ Name: 'other', Id: 'j-OTHER' }] } } })).toBeUndefined();
    });

    test('waits while an earlier Spark step of the same pipeline is pending or running', async () => {
      expect(states['Cluster found?'].Choices[0].Next).toBe('Check earlier Spark steps');
      const check = states['Check earlier Spark steps'];
      expect(check.Arguments.StepStates).toEqual(['PENDING', 'RUNNING']);
      const steps = { Steps: [{ Name: 'acme-dev-silver-gold-sales' }, { Name: 'acme-dev-silver-gold-marketing' }] };
      const output = await evaluate(check.Output, { states: { result: steps } });
      expect(output).toEqual({ earlier: 1 });
      expect(await evaluate(states['Earlier step running?'].Choices[0].Condition, { states: { input: output } })).toBe(true);
      expect(await evaluate(check.Output, { states: { result: { Steps: [] } } })).toEqual({ earlier: 0 });
      expect(states['Earlier step running?'].Default).toBe('Run Spark step');
      expect(states['Wait for earlier step'].Next).toBe('Check earlier Spark steps');
    });

    test('creates the cluster again from its published request when none is active, and waits until it runs', async () => {
      expect(states['Cluster found?'].Default).toBe('Read cluster spec');
      const read = states['Read cluster spec'];
      expect(read).toMatchObject({
        Resource: 'arn:aws:states:::aws-sdk:ssm:getParameter',
        Arguments: { Name: '/acme/dev/spark/run-job-flow' },
        Next: 'Create Spark cluster',
      });
      const request = { Name: 'acme-dev-spark', ReleaseLabel: 'emr-7.9.0', Tags: [{ Key: 'environment', Value: 'dev' }] };
      const output = await evaluate(read.Output, { states: { result: { Parameter: { Value: JSON.stringify(request) } } } });
      expect(output).toEqual({ request });
      const create = states['Create Spark cluster'];
      expect(create.Resource).toBe('arn:aws:states:::elasticmapreduce:createCluster.sync');
      expect(await evaluate(create.Arguments, { states: { input: output } })).toEqual(request);
      expect(await evaluate(create.Assign.clusterId, { states: { result: { ClusterId: 'j-NEW' } } })).toBe('j-NEW');
      expect(create.Next).toBe('Check earlier Spark steps');
      expect(create.Catch[0].Next).toBe('Notify failure');
    });

    test('fails with a clear error when no cluster is active and none can be created', async () => {
      expect(states['Read cluster spec'].Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'Cluster not found' }]);
      const failure = await evaluate(states['Cluster not found'].Assign.failure, {});
      expect(failure.error).toBe('SparkClusterNotFound');
      expect(failure.cause).toBe(
        'no active EMR cluster named "acme-dev-spark" (states STARTING, BOOTSTRAPPING, RUNNING, WAITING) ' +
          'and no readable cluster request in SSM parameter /acme/dev/spark/run-job-flow; deploy the ' +
          'processing stack, then run the pipeline again',
      );
    });

    test('adds the step the CLI adds and waits for it, without stopping the shared cluster on failure', () => {
      const task = states['Run Spark step'];
      expect(task.Resource).toBe('arn:aws:states:::elasticmapreduce:addStep.sync');
      expect(task.Arguments.Step).toEqual({
        Name: 'acme-dev-silver-gold-sales',
        ActionOnFailure: 'CONTINUE',
        HadoopJarStep: { Jar: 'command-runner.jar', Args: ['spark-submit', ...props.sparkStep.sparkSubmitArgs] },
      });
      expect(task.Retry[0].ErrorEquals).not.toContain('States.TaskFailed');
    });
  });

  describe('the Spark runtime', () => {
    const application: SparkApplicationRun = {
      name: 'acme-prod-silver-gold-sales',
      jobRunName: 'acme-prod-silver-gold-sales',
      entryPoint: 's3://artifacts/spark/silver_gold.py',
      arguments: ['--environment', 'prod', '--domain', 'sales'],
      sparkDefaults: { 'spark.platform.manifest': 's3://artifacts/spark/manifest.json' },
    };
    const jobRun = sparkJobRunFor(application, {
      virtualClusterId: 'vc-123',
      executionRoleArn: 'arn:aws:iam::333333333333:role/acme-prod-spark-on-eks-job',
      logUri: 's3://artifacts/logs/emr-on-eks/',
    });
    const both = (defaultSparkRuntime: 'emr' | 'kubernetes') =>
      pipelineDefinition({ ...props, sparkStep: emrSparkStep(application), sparkJobRun: jobRun, defaultSparkRuntime }) as { States: Record<string, State> };
    const withKubernetes = both('emr').States;

    test("is the input's, else the environment's", async () => {
      const plan = withKubernetes.Plan.Assign.sparkRuntime;
      expect(await evaluate(plan, { states: { input: {} } })).toBe('emr');
      expect(await evaluate(both('kubernetes').States.Plan.Assign.sparkRuntime, { states: { input: {} } })).toBe('kubernetes');
      expect(await evaluate(plan, { states: { input: { sparkRuntime: 'kubernetes' } } })).toBe('kubernetes');
    });

    test.each<[string, unknown, boolean, boolean]>([
      ['emr', 'emr', false, false],
      ['kubernetes', 'kubernetes', true, false],
      ['an unknown runtime', 'eks', true, true],
      ['a list', ['emr'], true, true],
    ])(
      'checks an input that names %s (%j): refused without a virtual cluster = %s, with one = %s',
      async (_what, sparkRuntime, refusedWithout, refusedWith) => {
        const rule = (scope: Record<string, State>) => scope['Check input'].Choices[1];
        expect(await evaluate(rule(states).Condition, { sparkRuntime })).toBe(refusedWithout);
        expect(await evaluate(rule(withKubernetes).Condition, { sparkRuntime })).toBe(refusedWith);
      },
    );

    test('fails a runtime the environment does not have through the notification, naming the field and what is allowed', async () => {
      const rule = states['Check input'].Choices[1];
      expect(rule.Next).toBe('Notify failure');
      expect(await evaluate(rule.Assign.failure, { sparkRuntime: 'kubernetes' })).toEqual({
        stage: 'input',
        error: 'UnknownSparkRuntime',
        cause:
          'input.sparkRuntime "kubernetes" must be a Spark runtime of pipeline sales in this environment: emr (kubernetes runs ' +
          'it on the EMR on EKS virtual cluster, which this environment does not have: aws.kubernetes.enabled)',
      });
      expect(await evaluate(withKubernetes['Check input'].Choices[1].Assign.failure, { sparkRuntime: 'eks' })).toMatchObject({
        cause: 'input.sparkRuntime "eks" must be a Spark runtime of pipeline sales in this environment: emr, kubernetes',
      });
    });

    test('without a virtual cluster, ingestion leads straight to the EMR cluster and no EMR on EKS state exists', () => {
      expect(states.Ingest.Next).toBe('Find Spark cluster');
      expect(JSON.stringify(definition)).not.toMatch(/emr-containers|emrcontainers/);
    });

    test('chooses the branch after ingestion: kubernetes to the virtual cluster, anything else to the EMR cluster', async () => {
      expect(withKubernetes.Ingest.Next).toBe('Spark runtime?');
      const choice = withKubernetes['Spark runtime?'];
      expect(choice.Choices[0].Next).toBe('Check earlier Spark job runs');
      expect(choice.Default).toBe('Find Spark cluster');
      expect(await evaluate(choice.Choices[0].Condition, { sparkRuntime: 'kubernetes' })).toBe(true);
      expect(await evaluate(choice.Choices[0].Condition, { sparkRuntime: 'emr' })).toBe(false);
    });

    test('waits while an earlier job run of the same pipeline has not ended on the virtual cluster', async () => {
      const check = withKubernetes['Check earlier Spark job runs'];
      expect(check).toMatchObject({
        Resource: 'arn:aws:states:::aws-sdk:emrcontainers:listJobRuns',
        Arguments: { VirtualClusterId: 'vc-123', Name: 'acme-prod-silver-gold-sales', States: ['PENDING', 'SUBMITTED', 'RUNNING'] },
      });
      expect(await evaluate(check.Output, { states: { result: { JobRuns: [{ Id: 'jr-1' }] } } })).toEqual({ earlier: 1 });
      expect(await evaluate(check.Output, { states: { result: {} } })).toEqual({ earlier: 0 });
      expect(withKubernetes['Earlier job run running?']).toMatchObject({ Default: 'Run Spark job on EKS', Choices: [{ Next: 'Wait for earlier job run' }] });
      expect(withKubernetes['Wait for earlier job run']).toEqual({ Type: 'Wait', Seconds: 60, Next: 'Check earlier Spark job runs' });
    });

    test('starts the job run the construct renders and follows it to its end, caught into the notification', () => {
      const task = withKubernetes['Run Spark job on EKS'];
      expect(task.Resource).toBe('arn:aws:states:::emr-containers:startJobRun.sync');
      expect(task.Arguments).toEqual(jobRun);
      expect(task.Retry[0].ErrorEquals).not.toContain('States.TaskFailed');
      expect(task.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Notify failure' })]);
      expect(task.Next).toBe('Succeeded');
    });

    test('fails when the default runtime is kubernetes without the job run', () => {
      expect(() => pipelineDefinition({ ...props, defaultSparkRuntime: 'kubernetes' })).toThrow(
        'defaultSparkRuntime "kubernetes" needs sparkJobRun (the EMR on EKS job run of the Spark step); runtimes: emr',
      );
    });

    test('every transition names a state that exists, with the EMR on EKS branch too', () => {
      const known = new Set(Object.keys(withKubernetes));
      for (const state of Object.values(withKubernetes))
        for (const target of [state.Next, state.Default, ...(state.Choices ?? []).map((c: State) => c.Next), ...(state.Catch ?? []).map((c: State) => c.Next)])
          if (target) expect(known).toContain(target);
    });
  });

  describe('the failure path', () => {
    test('every task that can fail is caught into the notification', () => {
      for (const name of ['Ingest', 'Find Spark cluster', 'Check earlier Spark steps', 'Run Spark step'])
        expect(states[name].Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Notify failure' })]);
    });

    test('publishes what failed to the alert topic, then fails the execution with the error', async () => {
      const notify = states['Notify failure'];
      expect(notify).toMatchObject({ Resource: 'arn:aws:states:::sns:publish', Next: 'Failed', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] });
      expect(notify.Arguments.TopicArn).toBe(props.alertTopicArn);
      const failure = { stage: 'the Spark step', error: 'States.TaskFailed', cause: 'Step failed' };
      const message = await evaluate(notify.Arguments.Message, { failure, states: { context: { Execution: { Id: 'arn:exec' } } } });
      expect(message).toBe('Pipeline sales failed during the Spark step.\nError: States.TaskFailed\nCause: Step failed\nExecution: arn:exec');
      expect(await evaluate(states.Failed.Error, { failure })).toBe('States.TaskFailed');
      expect(await evaluate(states.Failed.Cause, { failure })).toBe('Step failed');
      expect(states.Failed.Type).toBe('Fail');
    });

    test('the catch records the stage, error and cause of what failed', async () => {
      const assign = states['Run Spark step'].Catch[0].Assign.failure;
      expect(await evaluate(assign, { states: { errorOutput: { Error: 'States.TaskFailed', Cause: 'boom' } } })).toEqual({
        stage: 'the Spark step',
        error: 'States.TaskFailed',
        cause: 'boom',
      });
    });
  });

  test.each(['aws-cn', 'aws-us-gov'])('names its service integrations in the %s partition', (partition) => {
    const other = pipelineDefinition({ ...props, partition }) as { States: Record<string, State> };
    const tasks = [...Object.values(other.States), ...Object.values<State>(other.States.Ingest.ItemProcessor.States)].filter((s) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(5);
    expect(tasks.map((task) => task.Resource).filter((arn: string) => !arn.startsWith(`arn:${partition}:states:::`))).toEqual([]);
  });

  test('every transition names a state that exists', () => {
    const names = (scope: Record<string, State>) => new Set(Object.keys(scope));
    const check = (scope: Record<string, State>) => {
      const known = names(scope);
      for (const state of Object.values(scope)) {
        const targets = [
          state.Next,
          state.Default,
          ...(state.Choices ?? []).map((c: State) => c.Next),
          ...(state.Catch ?? []).map((c: State) => c.Next),
        ].filter(Boolean);
        for (const target of targets) expect(known).toContain(target);
      }
    };
    check(states);
    check(datasetStates);
    expect(allStates().length).toBeGreaterThan(15);
  });
});
