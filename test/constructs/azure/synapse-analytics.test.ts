import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { SynapseAnalytics, type SparkPoolSizing } from '../../../constructs/azure/synapse-analytics';

function synapse(sparkPool: SparkPoolSizing) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-analytics', location: 'westeurope' });
  return new SynapseAnalytics(stack, 'Synapse', {
    resourceGroup,
    name: 'synw-test-1234',
    lake: { accountId: 'account-id', accountName: 'acmetestdl1234' },
    administrator: { name: 'admins', objectId: '6f1c2a0e-2d4b-4c8e-9a51-0b7d3e4f5a61', tenantId: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9' },
    sparkPool,
  });
}

describe('SynapseAnalytics', () => {
  test('fails when the Spark pool is smaller than Synapse allows or scales backwards', () => {
    expect(() => synapse({ minNodes: 2, maxNodes: 4, autoPauseMinutes: 15 })).toThrow(
      'SynapseAnalytics: sparkPool.minNodes (2) must be a whole number, at least 3',
    );
    expect(() => synapse({ minNodes: 4, maxNodes: 3, autoPauseMinutes: 15 })).toThrow('sparkPool.maxNodes (3) must be a whole number from minNodes (4) to 200');
    expect(() => synapse({ minNodes: 3, maxNodes: 3, autoPauseMinutes: 1 })).toThrow('sparkPool.autoPauseMinutes (1) must be a whole number from 5 to 10080');
  });
});
