import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { SqlWarehouse, type SqlWarehouseProps } from '../../../constructs/azure/sql-warehouse';

function warehouse(props: Partial<SqlWarehouseProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-test-warehouse', location: 'westeurope' });
  return new SqlWarehouse(stack, 'Warehouse', {
    resourceGroup,
    serverName: 'sql-test-1234',
    administrator: { name: 'admins', objectId: '6f1c2a0e-2d4b-4c8e-9a51-0b7d3e4f5a61', tenantId: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9' },
    compute: { kind: 'serverless', autoPauseMinutes: 60 },
    ...props,
  });
}

describe('SqlWarehouse', () => {
  test('fails when backup retention is out of range', () => {
    expect(() => warehouse({ shortTermRetentionDays: 40 })).toThrow('SqlWarehouse: shortTermRetentionDays (40) must be a whole number of days from 1 to 35');
    expect(() => warehouse({ longTermRetentionWeeks: -1 })).toThrow('longTermRetentionWeeks (-1) must be a whole number of weeks from 0 to 520');
  });

  test('fails when a serverless database would pause sooner than Azure allows', () => {
    expect(() => warehouse({ compute: { kind: 'serverless', autoPauseMinutes: 5 } })).toThrow(
      'compute.autoPauseMinutes (5) must be a whole number of minutes, at least 15',
    );
  });
});
