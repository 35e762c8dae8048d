import { configWith, environmentOf, exampleConfig, problemsAfter } from '../fixtures/platform';

describe('audit rules of the platform definition', () => {
  test.each<[string, (d: Record<string, any>) => void, string]>([
    [
      'the audit retention is below 90 days',
      (d) => (d.environments.dev.audit = { retentionDays: 30 }),
      'environments.dev.audit.retentionDays: 30 must be a whole number of days from 90 to 3653',
    ],
    [
      'the audit retention is longer than Log Analytics keeps logs in an Azure environment',
      (d) => (d.environments.staging.audit = { retentionDays: 1000 }),
      'environments.staging.audit.retentionDays: (1000) is longer than a Log Analytics workspace keeps logs (730 days), ' +
        'and the Azure audit logs of environment staging go to its workspace; allowed on Azure: 90 to 730',
    ],
    [
      'the workspace keeps logs for less than the audit retention',
      (d) => (d.environments.prod.azure.monitoring.logRetentionDays = 90),
      'environments.prod.azure.monitoring.logRetentionDays: (90) is shorter than audit.retentionDays (365); the workspace also keeps the audit logs',
    ],
    [
      'an organisation trail is named for an environment without AWS',
      (d) => {
        d.environments.dev.clouds = ['azure', 'databricks'];
        delete d.environments.dev.aws;
        d.environments.dev.audit = { organizationTrail: 'org-trail' };
      },
      'environments.dev.audit.organizationTrail: "org-trail" is given but clouds does not include "aws"; a CloudTrail trail logs an AWS account',
    ],
    [
      'the organisation trail is neither an ARN nor a trail name',
      (d) => (d.environments.dev.audit = { organizationTrail: 'arn:aws:s3:::not-a-trail' }),
      'environments.dev.audit.organizationTrail: "arn:aws:s3:::not-a-trail" must be a CloudTrail trail ARN or name',
    ],
  ])('fails when %s', (_name, change, message) => {
    const problems = problemsAfter(change);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });

  test('keeps audit logs at least 90 days on every stage, and a year in production', () => {
    const config = exampleConfig();
    expect(config.environments.map((env) => [env.name, env.audit.retentionDays])).toEqual([
      ['dev', 90],
      ['staging', 90],
      ['prod', 365],
    ]);
    for (const env of config.environments) {
      expect(env.audit.retentionDays).toBeGreaterThanOrEqual(90);
      expect(env.azure?.monitoring.logRetentionDays).toBeGreaterThanOrEqual(env.audit.retentionDays);
    }
  });

  test('takes a longer retention and an organisation trail from the definition', () => {
    const config = configWith(
      (d) => (d.environments.staging.audit = { retentionDays: 400, organizationTrail: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org' }),
    );
    const staging = environmentOf(config, 'staging');
    expect(staging.audit).toMatchObject({ retentionDays: 400, organizationTrail: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org' });
    expect(staging.azure?.monitoring.logRetentionDays).toBe(400);
  });

  test('enables the Databricks system schemas once per metastore: in its first environment', () => {
    const config = exampleConfig();
    // dev and staging share a metastore; prod has its own.
    expect(config.environments.map((env) => [env.name, env.audit.databricksSystemSchemas])).toEqual([
      ['dev', ['access']],
      ['staging', []],
      ['prod', ['access']],
    ]);
  });

  test('writes verbose Databricks audit logs in production only', () => {
    expect(exampleConfig().environments.map((env) => [env.name, env.policy.databricks.verboseAuditLogs])).toEqual([
      ['dev', false],
      ['staging', false],
      ['prod', true],
    ]);
  });
});
