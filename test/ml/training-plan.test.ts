import type { MlUseCaseConfig } from '../../lib/definition';
import { mlTrainingPlan } from '../../lib/ml';
import type { GoldContract } from '../../lib/warehouse';

const contract = (model: string, columns: [string, string][]): GoldContract => ({
  model,
  file: `models/gold/x/_x__models.yml`,
  columns: columns.map(([name, dataType]) => ({ name, dataType, notNull: false })),
  primaryKey: [],
});
const features = contract('features', [
  ['customer_id', 'bigint'],
  ['seen_on', 'date'],
  ['segment', 'string'],
  ['spend', 'decimal(18,2)'],
  ['active', 'boolean'],
  ['churned', 'boolean'],
]);
const web = contract('web', [
  ['customer_id', 'bigint'],
  ['sessions', 'int'],
]);
const useCase: MlUseCaseConfig = {
  name: 'churn',
  description: 'Churn',
  featureTables: ['features', 'web'],
  label: 'churned',
  keys: ['customer_id'],
  owners: ['data-science'],
  readers: [],
};
const location = { catalog: 'acme_dev', goldSchema: 'gold', modelSchema: 'ml', experiment: '/Shared/acme-dev/ml/churn' };

describe('mlTrainingPlan', () => {
  test('joins the feature tables on the keys and takes numbers, booleans and strings as features, never keys, label or dates', () => {
    const plan = mlTrainingPlan(useCase, [features, web], location);
    expect(plan.model).toBe('acme_dev.ml.churn');
    expect(plan.tables).toEqual([
      { table: 'acme_dev.gold.features', columns: ['customer_id', 'segment', 'spend', 'active', 'churned'] },
      { table: 'acme_dev.gold.web', columns: ['customer_id', 'sessions'] },
    ]);
    expect(plan.features).toEqual({ numeric: ['spend', 'active', 'sessions'], categorical: ['segment'] });
    expect(plan.ignored).toEqual([expect.objectContaining({ table: 'acme_dev.gold.features', column: 'seen_on' })]);
  });

  test.each<[string, Partial<MlUseCaseConfig>, GoldContract[], string]>([
    ['the label is not binary', { label: 'segment' }, [features, web], 'label: "segment" is string; a binary label is one of boolean'],
    ['a key is missing from a table', { keys: ['customer_id', 'seen_on'] }, [features, web], 'keys: "seen_on" not in web'],
    ['a feature table has no contract', { featureTables: ['features', 'orders'] }, [features, web], 'featureTables: "orders" has no enforced contract'],
    [
      'a column other than a key is in two tables',
      {},
      [
        features,
        contract('web', [
          ['customer_id', 'bigint'],
          ['spend', 'double'],
        ]),
      ],
      'column "spend" is in features and web; only keys may be in several feature tables',
    ],
  ])('fails when %s', (_name, change, contracts, message) => {
    expect(() => mlTrainingPlan({ ...useCase, ...change }, contracts, location)).toThrow(`mlUseCases "churn": `);
    expect(() => mlTrainingPlan({ ...useCase, ...change }, contracts, location)).toThrow(message);
  });
});
