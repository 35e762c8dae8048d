import { Testing } from 'cdktf';
import { addTerraformEnvironment } from '../../../bin/cdktf-app';
import { AZURE_BUILT_IN_ROLES, ROLES_ASSIGNED_BY_THE_STACKS } from '../../../constructs/azure';
import { environmentStacks } from '../../../lib/plan';
import { AzureCicdStack } from '../../../stacks/azure';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';

describe('AzureCicdStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'prod'].map((name) => [name, synthStack(AzureCicdStack, config, name)]));
  const prod = stacks.prod.json;
  const subscription = `/subscriptions/${environmentOf(config, 'prod').azure?.subscriptionId}`;
  const stateContainer =
    `${subscription}/resourceGroups/rg-acme-tfstate/providers/Microsoft.Storage/storageAccounts/acmetfstateprod` + '/blobServices/default/containers/tfstate';
  const identities = Object.entries(resourcesOf(prod, 'azurerm_user_assigned_identity'));
  const identityRef = (name: string) => {
    const entry = identities.find(([, identity]) => identity.name === name);
    if (!entry) throw new Error(`no identity ${name}`);
    return entry[0];
  };
  const assignmentsOf = (identityName: string) =>
    Object.values<any>(resourcesOf(prod, 'azurerm_role_assignment')).filter((assignment) => assignment.principal_id.includes(`.${identityRef(identityName)}.`));

  test.each(['dev', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('is planned first among the Terraform stacks, depending on nothing', () => {
    const planned = environmentStacks(config, environmentOf(config, 'prod')).filter((stack) => stack.toolchain === 'cdktf');
    expect(planned[0]).toMatchObject({ name: 'acme-prod-azure-cicd', concern: 'cicd', dependsOn: [] });
    const built = addTerraformEnvironment(Testing.app(), config, environmentOf(config, 'prod')).all();
    expect(built[0].node.id).toBe('acme-prod-azure-cicd');
    expect(built[0].dependencies).toEqual([]);
  });

  test('creates a deploy and a plan identity in the resource group of the concern', () => {
    expect(identities.map(([, identity]) => identity.name).sort()).toEqual(['id-acme-prod-github-deploy', 'id-acme-prod-github-plan']);
    expect(onlyResource(prod, 'azurerm_resource_group').name).toBe('rg-acme-prod-cicd');
  });

  test("federates each identity with exactly one GitHub subject, GitHub's issuer and the token exchange audience", () => {
    const credentials = Object.values<any>(resourcesOf(prod, 'azurerm_federated_identity_credential'));
    expect(credentials).toHaveLength(2);
    const bySubject = Object.fromEntries(credentials.map((credential) => [credential.subject, credential]));
    expect(Object.keys(bySubject).sort()).toEqual(['repo:acme/cloud-platform-solutions:environment:prod', 'repo:acme/cloud-platform-solutions:pull_request']);
    for (const credential of credentials) {
      expect(credential).toMatchObject({ issuer: 'https://token.actions.githubusercontent.com', audience: ['api://AzureADTokenExchange'] });
      expect(credential.subject).not.toMatch(/[*?]/);
    }
    expect(bySubject['repo:acme/cloud-platform-solutions:environment:prod'].parent_id).toContain(identityRef('id-acme-prod-github-deploy'));
    expect(bySubject['repo:acme/cloud-platform-solutions:pull_request'].parent_id).toContain(identityRef('id-acme-prod-github-plan'));
  });

  test('the deploy identity is Contributor and a role-assignment writer limited to the roles the stacks assign, and writes the state', () => {
    const assignments = assignmentsOf('id-acme-prod-github-deploy');
    expect(assignments.map((assignment) => [assignment.role_definition_name, assignment.scope]).sort()).toEqual([
      ['Contributor', subscription],
      ['Role Based Access Control Administrator', subscription],
      ['Storage Blob Data Contributor', stateContainer],
    ]);
    const administrator = assignments.find((assignment) => assignment.role_definition_name === 'Role Based Access Control Administrator');
    expect(administrator.condition_version).toBe('2.0');
    for (const action of ['write', 'delete']) expect(administrator.condition).toContain(`ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'}`);
    const allowed = [...administrator.condition.matchAll(/GuidEquals \{([^}]*)\}/g)].map((match) => match[1].split(', ').sort());
    const expected = ROLES_ASSIGNED_BY_THE_STACKS.map((role) => AZURE_BUILT_IN_ROLES[role]).sort();
    expect(allowed).toEqual([expected, expected]);
    for (const escalation of ['Role Based Access Control Administrator', 'Reader'] as const) {
      expect(administrator.condition).not.toContain(AZURE_BUILT_IN_ROLES[escalation]);
    }
    expect(administrator.condition).not.toContain('8e3af657-a8ff-443c-a75c-2fe8c4bcb635'); // Owner
    expect(administrator.condition).not.toContain('18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'); // User Access Administrator
  });

  test('the plan identity only reads: the subscription and the state', () => {
    expect(
      assignmentsOf('id-acme-prod-github-plan')
        .map((assignment) => [assignment.role_definition_name, assignment.scope])
        .sort(),
    ).toEqual([
      ['Reader', subscription],
      ['Storage Blob Data Reader', stateContainer],
    ]);
  });

  test("every role any stack of the example assigns is one the deploy identity's condition allows", () => {
    const app = Testing.app();
    const assigned = new Set<string>();
    for (const environment of config.environments) {
      for (const stack of addTerraformEnvironment(app, config, environment).all()) {
        if (stack instanceof AzureCicdStack) continue;
        for (const assignment of Object.values<any>(JSON.parse(Testing.synth(stack)).resource?.azurerm_role_assignment ?? {})) {
          assigned.add(assignment.role_definition_name);
        }
      }
    }
    expect([...assigned].filter((role) => !(ROLES_ASSIGNED_BY_THE_STACKS as readonly string[]).includes(role))).toEqual([]);
    expect(assigned.size).toBeGreaterThan(3);
  });

  test('outputs the client ids the workflows sign in with', () => {
    expect(Object.keys((prod as any).output ?? {}).length).toBe(2);
  });

  test('is not planned for an environment the pipeline does not deploy', () => {
    const withoutStaging = configWith((d) => delete d.cicd.environments.staging);
    expect(environmentStacks(withoutStaging, environmentOf(withoutStaging, 'staging')).some((stack) => stack.concern === 'cicd')).toBe(false);
    expect(() => synthStack(AzureCicdStack, withoutStaging, 'staging')).toThrow(
      'environment "staging" is not an Azure environment of cicd.environments; it has no azure-cicd stack',
    );
  });
});
