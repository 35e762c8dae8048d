import { type TerraformStack, Testing } from 'cdktf';
import { addTerraformEnvironment } from '../../../bin/cdktf-app';
import { environmentOf, exampleConfig } from '../../fixtures/platform';

// How bin/cdktf-app.ts composes the Databricks stacks of an environment from its plan (kept beside the stacks it composes).
describe('Databricks stacks of an environment', () => {
  const config = exampleConfig();
  const app = Testing.app();
  const environment = environmentOf(config, 'prod');
  const built = addTerraformEnvironment(app, config, environment);
  const azure = built.all().filter((stack) => stack.node.id.includes('-azure-'));
  const workspace = built.named('acme-prod-databricks-workspace');
  const lakehouse = built.named('acme-prod-databricks-lakehouse');
  const dependenciesOf = (stack: TerraformStack) => stack.dependencies.map((dependency) => dependency.node.id).sort();

  test('deploys the workspace after the network, keys, lake and monitoring, and its contents after the workspace, streams and warehouse', () => {
    expect(workspace.node.id).toBe('acme-prod-databricks-workspace');
    expect(dependenciesOf(workspace)).toEqual(['acme-prod-azure-monitoring', 'acme-prod-azure-network', 'acme-prod-azure-security', 'acme-prod-azure-storage']);
    expect(dependenciesOf(lakehouse)).toEqual(['acme-prod-azure-streaming', 'acme-prod-azure-warehouse', 'acme-prod-databricks-workspace']);
    expect(dependenciesOf(azure.find((stack) => stack.node.id === 'acme-prod-azure-ingestion')!)).toContain('acme-prod-databricks-workspace');
  });

  test("each stack keeps its own state and reads no other stack's", () => {
    const keys = [workspace, lakehouse].map((stack) => JSON.parse(Testing.synth(stack)).terraform.backend.azurerm.key);
    expect(keys).toEqual(['acme-prod-databricks-workspace.tfstate', 'acme-prod-databricks-lakehouse.tfstate']);
    for (const stack of [workspace, lakehouse]) expect(Testing.synth(stack)).not.toContain('terraform_remote_state');
  });
});
