import { apiExposedDatasets, goldApiAccess } from '../../lib/access';
import { configWith, environmentOf, exampleConfig } from '../fixtures/platform';

describe('goldApiAccess', () => {
  test("gives each exposed table its typed filters and the callers' ARNs, in the environment's account and partition", () => {
    const config = exampleConfig();
    const dev = environmentOf(config, 'dev');
    const account = dev.aws!.account;
    expect(goldApiAccess(config, dev)).toEqual({
      tagKey: 'acme_dev_consumer_api',
      database: 'acme_dev_gold',
      roleName: 'acme-dev-gold-api',
      tables: [
        {
          dataset: 'orders',
          filters: { order_id: 'bigint', customer_id: 'bigint', order_status: 'string', ordered_at: 'timestamp' },
          principalArns: [
            `arn:aws:iam::${account}:role/${config.groups.analysts.awsRoleName}`,
            `arn:aws:iam::${account}:role/${config.groups['data-science'].awsRoleName}`,
          ].sort(),
        },
        {
          dataset: 'products',
          filters: { product_id: 'string', category: 'string' },
          principalArns: [
            `arn:aws:iam::${account}:role/${config.groups.analysts.awsRoleName}`,
            `arn:aws:iam::${account}:role/${config.groups['marketing-analysts'].awsRoleName}`,
            'arn:aws:iam::444455556666:role/acme-storefront-catalog',
          ].sort(),
        },
      ],
    });
    expect([...apiExposedDatasets(config, dev)]).toEqual(['orders', 'products']);
  });

  test('is undefined, and exposes nothing, where the environment does not deploy the API', () => {
    const config = configWith((d) => (d.consumers.api.environments = ['prod']));
    const dev = environmentOf(config, 'dev');
    expect(goldApiAccess(config, dev)).toBeUndefined();
    expect(apiExposedDatasets(config, dev).size).toBe(0);
    expect(goldApiAccess(config, environmentOf(config, 'prod'))?.tagKey).toBe('acme_prod_consumer_api');
  });
});
