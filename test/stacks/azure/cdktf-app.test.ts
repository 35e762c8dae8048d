import { Testing, type TerraformStack } from 'cdktf';
import { addTerraformEnvironment } from '../../../bin/cdktf-app';
import { environmentOf, exampleConfig } from '../../fixtures/platform';

// How bin/cdktf-app.ts composes the Azure stacks of an environment from its plan (kept beside the stacks it composes).
describe('Azure stacks of an environment', () => {
  const config = exampleConfig();
  const stacks = addTerraformEnvironment(Testing.app(), config, environmentOf(config, 'prod'))
    .all()
    .filter((stack) => stack.node.id.includes('-azure-'));
  const byName = Object.fromEntries(stacks.map((stack) => [stack.node.id, stack]));
  const dependenciesOf = (stack: TerraformStack) => stack.dependencies.map((dependency) => dependency.node.id).sort();

  test('has one stack per concern, each with its own state', () => {
    expect(Object.keys(byName)).toEqual([
      'acme-prod-azure-cicd',
      'acme-prod-azure-monitoring',
      'acme-prod-azure-network',
      'acme-prod-azure-security',
      'acme-prod-azure-storage',
      'acme-prod-azure-streaming',
      'acme-prod-azure-warehouse',
      'acme-prod-azure-ingestion',
      'acme-prod-azure-analytics',
    ]);
    const keys = stacks.map((stack) => JSON.parse(Testing.synth(stack)).terraform.backend.azurerm.key);
    expect(new Set(keys).size).toBe(stacks.length);
  });

  test('declares the deploy order that the id references need', () => {
    expect(dependenciesOf(byName['acme-prod-azure-cicd'])).toEqual([]);
    expect(dependenciesOf(byName['acme-prod-azure-monitoring'])).toEqual([]);
    expect(dependenciesOf(byName['acme-prod-azure-network'])).toEqual(['acme-prod-azure-monitoring']);
    expect(dependenciesOf(byName['acme-prod-azure-security'])).toEqual(['acme-prod-azure-monitoring', 'acme-prod-azure-network']);
    expect(dependenciesOf(byName['acme-prod-azure-storage'])).toEqual(['acme-prod-azure-security']);
    expect(dependenciesOf(byName['acme-prod-azure-streaming'])).toEqual(['acme-prod-azure-monitoring', 'acme-prod-azure-network']);
    expect(dependenciesOf(byName['acme-prod-azure-ingestion'])).toEqual([
      'acme-prod-azure-storage',
      'acme-prod-azure-warehouse',
      'acme-prod-databricks-workspace',
    ]);
    expect(dependenciesOf(byName['acme-prod-azure-warehouse'])).toEqual(['acme-prod-azure-security']);
    expect(dependenciesOf(byName['acme-prod-azure-analytics'])).toEqual(['acme-prod-azure-security', 'acme-prod-azure-storage']);
  });

  test("reads no other stack's state and never grants Owner, nor Contributor beyond one Databricks workspace", () => {
    // The deploy identity's subscription-wide grants are the exception, asserted in cicd-stack.test.ts.
    for (const stack of stacks.filter((candidate) => candidate.node.id !== 'acme-prod-azure-cicd')) {
      const json = Testing.synth(stack);
      expect(json).not.toContain('terraform_remote_state');
      for (const assignment of Object.values<any>(JSON.parse(json).resource?.azurerm_role_assignment ?? {})) {
        expect(assignment.role_definition_name).not.toBe('Owner');
        // Azure Databricks admits a managed identity (Data Factory's) only with Contributor on the workspace.
        if (assignment.role_definition_name === 'Contributor') expect(assignment.scope).toMatch(/\/providers\/Microsoft\.Databricks\/workspaces\/[^/]+$/);
        expect(assignment.scope).not.toMatch(/^\/subscriptions\/[^/]+$/);
      }
    }
  });

  test('keeps prevent_destroy on the vault, the keys, the lake, the Event Hubs namespace and the SQL warehouse in prod', () => {
    const resources = (name: string, type: string) => Object.values<any>(JSON.parse(Testing.synth(byName[name])).resource[type]);
    for (const [stack, type] of [
      ['acme-prod-azure-security', 'azurerm_key_vault'],
      ['acme-prod-azure-security', 'azurerm_key_vault_key'],
      ['acme-prod-azure-storage', 'azurerm_storage_account'],
      ['acme-prod-azure-storage', 'azurerm_storage_container'],
      ['acme-prod-azure-streaming', 'azurerm_eventhub_namespace'],
      ['acme-prod-azure-warehouse', 'azurerm_mssql_server'],
      ['acme-prod-azure-warehouse', 'azurerm_mssql_database'],
    ]) {
      for (const resource of resources(stack, type)) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
    }
  });
});
