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

describe('stream datasets on AWS', () => {
  test('fails when a stream dataset is not JSON and an environment uses AWS', () => {
    expect(problemsAfter((d) => (dataset(d, 'web_events').format = 'avro'))).toContainEqual(
      'datasets[5].format: "avro" cannot be streamed into bronze on AWS (AWS environments: dev, staging, ' +
        'prod); the Glue streaming job reads json messages (dataset "web_events")',
    );
  });
});
