import { MAX_DATASETS_PER_DOMAIN } from '../../lib/lake';
import { problemsAfter } from '../fixtures/platform';

/** `count` copies of the example's products dataset in one domain. */
function cloneProducts(definition: Record<string, any>, count: number, domain: string): void {
  const products = definition.datasets.find((d: { name: string }) => d.name === 'products');
  for (let i = 0; i < count; i++) definition.datasets.push({ ...products, name: `products_${i}`, domain });
}

describe('lake rules', () => {
  test(`fails when a domain has more datasets than one stack holds (${MAX_DATASETS_PER_DOMAIN})`, () => {
    const problems = problemsAfter((d) => cloneProducts(d, MAX_DATASETS_PER_DOMAIN + 1, 'inventory'));
    expect(problems).toEqual([
      expect.stringContaining(
        `domain "inventory" has ${MAX_DATASETS_PER_DOMAIN + 1} datasets; one domain's catalog and ingestion ` +
          `stacks hold at most ${MAX_DATASETS_PER_DOMAIN}, so split it into smaller domains`,
      ),
    ]);
  });

  test('accepts a domain at the limit', () => {
    expect(() => problemsAfter((d) => cloneProducts(d, MAX_DATASETS_PER_DOMAIN, 'inventory'))).toThrow('expected the definition to be rejected');
  });

  test("fails when a domain's tables are too wide for one catalog template, naming the domain, its size and the limit", () => {
    const problems = problemsAfter((d) => {
      const wide = Array.from({ length: 120 }, (_, c) => ({ name: `c_${c}`, type: 'string' }));
      for (let i = 0; i < 12; i++)
        d.datasets.push({ ...d.datasets[3], name: `wide_${i}`, domain: 'wide', columns: [{ name: 'product_id', type: 'string' }, ...wide], quality: [] });
    });
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          'domain "wide" has 12 datasets with 1452 columns in all, about 1100 KB of catalog template; ' +
            String.raw`one stack holds at most 900 KB \(CloudFormation allows 1 MB\), so split it into smaller domains`,
        ),
      ),
    ]);
  });

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
