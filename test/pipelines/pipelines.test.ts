import { pipelinesOf, RunTargetError, runPlan } from '../../lib/pipelines/pipelines';
import { configWith, exampleConfig } from '../fixtures/platform';

describe('pipelines', () => {
  test('one pipeline per domain, with batch and stream datasets apart', () => {
    const pipelines = pipelinesOf(exampleConfig());
    expect(pipelines.map((p) => p.name)).toEqual(['sales', 'marketing']);
    expect(pipelines[0].batchDatasets.map((d) => d.name)).toEqual(['customers', 'orders', 'order_items', 'products', 'exchange_rates']);
    expect(pipelines[1].batchDatasets.map((d) => d.name)).toEqual(['campaigns', 'newsletter_signups']);
    expect(pipelines[1].streamDatasets.map((d) => d.name)).toEqual(['web_events']);
  });

  test('a pipeline name runs every batch ingestion of the domain', () => {
    const plan = runPlan(exampleConfig(), 'marketing');
    expect(plan.target).toBe('pipeline');
    expect(plan.datasets.map((d) => d.name)).toEqual(['campaigns', 'newsletter_signups']);
  });

  test('a dataset name runs only its ingestion, then its pipeline', () => {
    const plan = runPlan(exampleConfig(), 'orders');
    expect(plan).toMatchObject({ target: 'dataset', pipeline: { name: 'sales' } });
    expect(plan.datasets.map((d) => d.name)).toEqual(['orders']);
  });

  test('a domain made only of streams is a pipeline without ingestion', () => {
    const config = configWith((definition) => {
      definition.datasets.find((d: any) => d.name === 'web_events').domain = 'clickstream';
    });
    expect(runPlan(config, 'clickstream').datasets).toEqual([]);
  });

  test('fails when the dataset is a stream, saying which pipeline to run', () => {
    expect(() => runPlan(exampleConfig(), 'web_events')).toThrow(RunTargetError);
    expect(() => runPlan(exampleConfig(), 'web_events')).toThrow('dataset "web_events" is a stream (schedule: continuous)');
    expect(() => runPlan(exampleConfig(), 'web_events')).toThrow('run its pipeline "marketing"');
  });

  test('fails when the name is unknown, suggesting the closest and listing the valid ones', () => {
    expect(() => runPlan(exampleConfig(), 'markting')).toThrow(
      'unknown pipeline or dataset "markting" (did you mean "marketing"?); pipelines and batch datasets: ' +
        'sales, marketing, customers, orders, order_items, products, exchange_rates, campaigns, newsletter_signups',
    );
  });
});
