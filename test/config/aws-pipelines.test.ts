import { exampleConfig, configWith, environmentOf, problemsAfter } from '../fixtures/platform';

const dataset = (d: Record<string, any>, name: string) => d.datasets.find((entry: { name: string }) => entry.name === name);

describe('AWS pipeline settings of the definition', () => {
  test('resolves alert emails and runs schedules unless paused', () => {
    const config = exampleConfig();
    expect(environmentOf(config, 'prod').aws?.monitoring.alertEmails).toEqual(['data-platform-oncall@acme.example.com']);
    expect(environmentOf(config, 'dev').aws?.schedulesEnabled).toBe(true);
    const paused = configWith((d) => (d.environments.dev.aws.pipelines = { schedules: 'paused' }));
    expect(environmentOf(paused, 'dev').aws?.schedulesEnabled).toBe(false);
    expect(environmentOf(paused, 'staging').aws?.schedulesEnabled).toBe(true);
  });

  test('defaults to no alert emails outside production', () => {
    const config = configWith((d) => delete d.environments.dev.aws.monitoring);
    expect(environmentOf(config, 'dev').aws?.monitoring.alertEmails).toEqual([]);
  });

  test('fails when a production environment has no AWS alert email', () => {
    expect(problemsAfter((d) => delete d.environments.prod.aws.monitoring)).toContain(
      'environments.prod.aws.monitoring.alertEmails: must name at least one email address in a production environment, so that failed pipelines reach someone',
    );
  });

  test('fails when an alert email is not an email address', () => {
    expect(problemsAfter((d) => (d.environments.dev.aws.monitoring.alertEmails = ['oncall']))).toEqual([
      expect.stringContaining('environments.dev.aws.monitoring.alertEmails[0]'),
    ]);
  });

  test('fails when a batch schedule cannot be an EventBridge Scheduler schedule', () => {
    expect(problemsAfter((d) => (dataset(d, 'products').schedule = '0 1 1 * 1'))).toContainEqual(
      expect.stringContaining(
        'datasets[3].schedule: "0 1 1 * 1" cannot be an EventBridge Scheduler schedule (AWS environments: ' +
          'dev, staging, prod): cron runs when either the day of month or the day of week matches',
      ),
    );
  });

  test('fails when schedules is neither enabled nor paused', () => {
    expect(problemsAfter((d) => (d.environments.dev.aws.pipelines = { schedules: 'off' }))).toEqual([
      expect.stringContaining('environments.dev.aws.pipelines.schedules'),
    ]);
  });
});

describe('the Spark runtime of the pipelines', () => {
  test('is the EMR cluster unless the environment names the EMR on EKS virtual cluster', () => {
    expect(exampleConfig().environments.map((env) => [env.name, env.aws?.sparkRuntime])).toEqual([
      ['dev', 'emr'],
      ['staging', 'emr'],
      ['prod', 'emr'],
    ]);
    const onKubernetes = configWith((d) => (d.environments.prod.aws.pipelines = { sparkRuntime: 'kubernetes' }));
    expect(environmentOf(onKubernetes, 'prod').aws?.sparkRuntime).toBe('kubernetes');
  });

  test('fails when it is kubernetes in an environment without the EMR on EKS virtual cluster, naming the field', () => {
    expect(problemsAfter((d) => (d.environments.dev.aws.pipelines = { sparkRuntime: 'kubernetes' }))).toEqual([
      'environments.dev.aws.pipelines.sparkRuntime: "kubernetes" needs the environment\'s EMR on EKS virtual cluster, ' +
        'which it does not have (aws.kubernetes.enabled is false by default in development); set aws.kubernetes.enabled: true, or use "emr"',
    ]);
    expect(
      problemsAfter((d) => {
        d.environments.prod.aws.kubernetes = { enabled: false };
        d.environments.prod.aws.pipelines = { sparkRuntime: 'kubernetes' };
      }),
    ).toEqual([
      'environments.prod.aws.pipelines.sparkRuntime: "kubernetes" needs the environment\'s EMR on EKS virtual cluster, ' +
        'which it does not have (aws.kubernetes.enabled is false); set aws.kubernetes.enabled: true, or use "emr"',
    ]);
  });

  test('fails when it is neither emr nor kubernetes', () => {
    expect(problemsAfter((d) => (d.environments.prod.aws.pipelines = { sparkRuntime: 'eks' }))).toEqual([
      expect.stringMatching(/environments\.prod\.aws\.pipelines\.sparkRuntime.*must be one of: emr, kubernetes/),
    ]);
  });

  test('may be kubernetes in a development environment that enables Kubernetes', () => {
    const dev = configWith((d) => {
      d.environments.dev.aws.kubernetes = { enabled: true };
      d.environments.dev.aws.pipelines = { sparkRuntime: 'kubernetes' };
    });
    expect(environmentOf(dev, 'dev').aws?.sparkRuntime).toBe('kubernetes');
  });
});

describe('stream datasets on AWS', () => {
  test('fails when a stream dataset is neither JSON nor Avro and an environment uses AWS', () => {
    expect(problemsAfter((d) => (dataset(d, 'web_events').format = 'parquet'))).toContainEqual(
      'datasets[5].format: "parquet" cannot be streamed into bronze on AWS (AWS environments: dev, staging, ' +
        'prod); the Glue streaming job reads json, avro messages (dataset "web_events")',
    );
  });

  test('accepts an Avro stream dataset', () => {
    const config = configWith((d) => (dataset(d, 'web_events').format = 'avro'));
    expect(config.datasets.find((candidate) => candidate.name === 'web_events')?.format).toBe('avro');
  });
});
