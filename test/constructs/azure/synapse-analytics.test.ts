import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { SynapseAnalytics } from '../../../constructs/azure/synapse-analytics';
import { synthesize } from '../../fixtures/terraform-json';

function synapse() {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-analytics', location: 'westeurope' });
  const analytics = new SynapseAnalytics(stack, 'Synapse', {
    resourceGroup,
    name: 'synw-test-1234',
    lake: { accountId: 'account-id', accountName: 'acmetestdl1234' },
    administrator: { name: 'admins', objectId: '6f1c2a0e-2d4b-4c8e-9a51-0b7d3e4f5a61', tenantId: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9' },
  });
  analytics.addPrivateEndpoints({ namePrefix: 'pe-synw', subnetId: 'subnet-id', sqlZoneId: 'sql-zone', devZoneId: 'dev-zone' });
  return synthesize(stack);
}

describe('SynapseAnalytics', () => {
  test('deploys no Spark or dedicated SQL pool, and reaches only serverless SQL and Studio privately: no job runs on Synapse', () => {
    const json = synapse();
    const types = Object.keys(json.resource ?? {});
    expect(types.filter((type) => /synapse_(spark|sql)_pool/.test(type))).toEqual([]);
    const endpoints = Object.values<any>(json.resource?.azurerm_private_endpoint ?? {});
    expect(endpoints.map((endpoint) => endpoint.private_service_connection.subresource_names[0]).sort()).toEqual(['Dev', 'SqlOnDemand']);
  });
});
