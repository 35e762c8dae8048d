import { pipelineExecutionInputJson, runPlanExecutionInputJson } from '../../lib/pipelines/execution-input';
import { runPlan } from '../../lib/pipelines/pipelines';
import { exampleConfig } from '../fixtures/platform';

describe('the execution input the scheduler and platform run send', () => {
  const config = exampleConfig();

  test("a dataset's run sends its schedule's input", () => {
    expect(pipelineExecutionInputJson(['orders'])).toBe('{"datasets":["orders"]}');
    expect(runPlanExecutionInputJson(runPlan(config, 'orders'))).toBe(pipelineExecutionInputJson(['orders']));
  });

  test("a pipeline's run names no dataset (the state machine ingests every batch dataset); --skip-ingestion sends none", () => {
    expect(runPlanExecutionInputJson(runPlan(config, 'sales'))).toBe('{}');
    expect(runPlanExecutionInputJson(runPlan(config, 'sales'), { skipIngestion: true })).toBe('{"datasets":[]}');
    expect(runPlanExecutionInputJson(runPlan(config, 'orders'), { skipIngestion: true })).toBe('{"datasets":[]}');
  });

  test("--on names the Spark runtime; without it the input names none (the environment's, as the schedules send)", () => {
    expect(runPlanExecutionInputJson(runPlan(config, 'sales'), { sparkRuntime: 'kubernetes' })).toBe('{"sparkRuntime":"kubernetes"}');
    expect(runPlanExecutionInputJson(runPlan(config, 'orders'), { skipIngestion: true, sparkRuntime: 'emr' })).toBe('{"datasets":[],"sparkRuntime":"emr"}');
    expect(pipelineExecutionInputJson(['orders'])).not.toContain('sparkRuntime');
  });
});
