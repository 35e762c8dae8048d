import { problemsAfter } from '../fixtures/platform';

describe('lake rules', () => {
  test('fails when a domain makes a per-domain stack or role name too long', () => {
    const domain = `d${'x'.repeat(62)}`;
    const problems = problemsAfter((d) => {
      d.datasets[3].domain = domain;
    });
    expect(
      problems.some(
        (p) =>
          /CloudFormation stack name "acme-dev-catalog-dx+" is \d+ characters; allowed: 1-128/.test(p) ||
          /IAM role name "acme-dev-ingest-dx+" is \d+ characters; allowed: 1-64/.test(p),
      ),
    ).toBe(true);
    expect(problems.find((p) => p.includes('IAM role name'))).toContain(`composed from platform.prefix "acme" and environment "dev" and domain "${domain}"`);
  });

  test('fails when a connection secret makes the Glue connection name too long', () => {
    const problems = problemsAfter((d) => {
      d.datasets[0].source.connectionSecret = `s/${'x'.repeat(260)}`;
    });
    expect(problems.some((p) => p.includes('Glue connection name'))).toBe(true);
  });
});

describe('aws.lakeAdminGroup', () => {
  test('fails when it names a group that does not exist, suggesting the closest', () => {
    const problems = problemsAfter((d) => {
      d.environments.prod.aws.lakeAdminGroup = 'data-engineerng';
    });
    expect(problems).toEqual([
      expect.stringContaining('environments.prod.aws.lakeAdminGroup: "data-engineerng" is not a defined group (did you mean "data-engineering"?)'),
    ]);
  });
});
