import { problemsAfter } from '../fixtures/platform';

describe('admin groups of services that reach the lake', () => {
  test('fails when the Lake Formation administrator does not own every dataset, naming those it lacks', () => {
    expect(problemsAfter((d) => (d.environments.prod.aws.lakeAdminGroup = 'analysts'))).toEqual([
      'environments.prod.aws.lakeAdminGroup: "analysts" administers Lake Formation, which lets it grant itself every table; it must own every ' +
        'dataset, and the definition does not give it: customers, orders, order_items, products, exchange_rates, web_events, campaigns, ' +
        'newsletter_signups (make it an owner, or name another group)',
    ]);
  });

  test('fails when the EKS administrator does not own every dataset', () => {
    const problems = problemsAfter((d) => {
      d.datasets.find((x: any) => x.name === 'customers').owners = ['marketing-analysts'];
    });
    expect(problems).toContain(
      'environments.staging.aws.kubernetes.adminGroup: "data-engineering" administers the EKS cluster, whose Spark job role reads and ' +
        'writes every table; it must own every dataset, and the definition does not give it: customers (make it an owner, or name another group)',
    );
    expect(problems.filter((problem) => problem.startsWith('environments.dev.aws.kubernetes'))).toEqual([]); // no cluster in development
  });

  test('fails when the Synapse admin cannot read every dataset in gold', () => {
    expect(
      problemsAfter((d) => {
        d.groups.bi = { description: 'BI', entraObjectId: '12345678-1234-4234-8234-123456789012' };
        d.environments.dev.azure.analytics.adminGroup = 'bi';
        d.datasets.filter((x: any) => x.name !== 'customers').forEach((x: any) => (x.readers = { ...x.readers, gold: [...(x.readers?.gold ?? []), 'bi'] }));
      }),
    ).toEqual([
      'environments.dev.azure.analytics.adminGroup: "bi" administers the Synapse workspace, whose identity reads the whole gold filesystem; ' +
        'it must own or read every dataset in gold, and the definition does not give it: customers (make it an owner or reader, or name another group)',
    ]);
  });
});
