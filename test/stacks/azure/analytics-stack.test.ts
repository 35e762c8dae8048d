import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { SynapseWorkspace } from '@cdktf/provider-azurerm/lib/synapse-workspace';
import { SynapseWorkspaceAadAdmin } from '@cdktf/provider-azurerm/lib/synapse-workspace-aad-admin';
import { AzureAnalyticsStack } from '../../../stacks/azure/analytics-stack';
import { environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';
import { environmentStacks } from '../../../lib/plan';

describe('AzureAnalyticsStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'prod'].map((name) => [name, synthStack(AzureAnalyticsStack, config, name)]));

  test.each(['dev', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('puts the workspace on the lake with a managed network, exfiltration protection and Entra ID only', () => {
    expect(onlyResource(stacks.dev.json, SynapseWorkspace.tfResourceType)).toMatchObject({
      name: expect.stringMatching(/^synw-acme-dev-[0-9a-f]{4}$/),
      storage_data_lake_gen2_filesystem_id: expect.stringMatching(/^https:\/\/acmedevdl[0-9a-f]{4}\.dfs\.core\.windows\.net\/synapse$/),
      managed_virtual_network_enabled: true,
      data_exfiltration_protection_enabled: true,
      public_network_access_enabled: false,
      azuread_authentication_only: true,
    });
    expect(onlyResource(stacks.dev.json, SynapseWorkspace.tfResourceType)).not.toHaveProperty('sql_administrator_login_password');
    expect(onlyResource(stacks.dev.json, SynapseWorkspaceAadAdmin.tfResourceType)).toMatchObject({
      login: 'data-engineering',
      object_id: '6f1c2a0e-2d4b-4c8e-9a51-0b7d3e4f5a61',
    });
  });

  test('encrypts the workspace with its own key through the identity the security stack grants', () => {
    const identityId = expect.stringMatching(/\/rg-acme-dev-security\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/id-acme-dev-synapse-cmk$/);
    expect(onlyResource(stacks.dev.json, SynapseWorkspace.tfResourceType)).toMatchObject({
      identity: { type: 'SystemAssigned, UserAssigned', identity_ids: [identityId] },
      customer_managed_key: {
        key_versionless_id: expect.stringMatching(/^https:\/\/kv-acme-dev-[0-9a-f]{4}\.vault\.azure\.net\/keys\/synapse-cmk$/),
        user_assigned_identity_id: identityId,
      },
    });
  });

  test('has no Spark or dedicated SQL pool, since no job of the platform runs on Synapse', () => {
    for (const name of ['dev', 'prod'])
      expect(Object.keys(stacks[name].json.resource ?? {}).filter((type) => /synapse_(spark|sql)_pool/.test(type))).toEqual([]);
  });

  test('grants the workspace its own filesystem and read on gold only', () => {
    const roles = Object.values(resourcesOf(stacks.dev.json, RoleAssignment.tfResourceType)).map((role: any) => [
      role.role_definition_name,
      role.scope.split('/').pop(),
    ]);
    expect(roles.sort()).toEqual([
      ['Storage Blob Data Contributor', 'synapse'],
      ['Storage Blob Data Reader', 'gold'],
    ]);
  });

  test('is reached over private endpoints for serverless SQL and Studio', () => {
    const endpoints = Object.values(resourcesOf(stacks.dev.json, PrivateEndpoint.tfResourceType));
    expect(endpoints.map((endpoint: any) => endpoint.private_service_connection.subresource_names[0]).sort()).toEqual(['Dev', 'SqlOnDemand']);
  });

  test('is needed only where the environment asks for it', () => {
    expect(environmentStacks(config, environmentOf(config, 'staging')).map((stack) => stack.name)).not.toContain('acme-staging-azure-analytics');
  });
});
