import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { MssqlDatabase } from '@cdktf/provider-azurerm/lib/mssql-database';
import { MssqlServer } from '@cdktf/provider-azurerm/lib/mssql-server';
import { MssqlServerExtendedAuditingPolicy } from '@cdktf/provider-azurerm/lib/mssql-server-extended-auditing-policy';
import { MssqlServerSecurityAlertPolicy } from '@cdktf/provider-azurerm/lib/mssql-server-security-alert-policy';
import { MssqlServerTransparentDataEncryption } from '@cdktf/provider-azurerm/lib/mssql-server-transparent-data-encryption';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzureWarehouseStack } from '../../../stacks/azure/warehouse-stack';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';
import { synthStack } from './azure-stack-fixture';
import { environmentStacks } from '../../../lib/plan';

describe('AzureWarehouseStack', () => {
  const config = exampleConfig();
  const stacks = Object.fromEntries(['dev', 'prod'].map((name) => [name, synthStack(AzureWarehouseStack, config, name)]));

  test.each(['dev', 'prod'])('%s matches its snapshot', (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });

  test('keeps the logical ids of the server and database', () => {
    expect(Object.keys(resourcesOf(stacks.prod.json, MssqlServer.tfResourceType))).toEqual(['Warehouse_50B5FE91']);
    expect(Object.keys(resourcesOf(stacks.prod.json, MssqlDatabase.tfResourceType))).toEqual(['Warehouse_Database_F83EB1F4']);
  });

  test('accepts the admin group through Entra ID only, over TLS 1.2, never publicly', () => {
    expect(onlyResource(stacks.dev.json, MssqlServer.tfResourceType)).toMatchObject({
      name: expect.stringMatching(/^sql-acme-dev-[0-9a-f]{4}$/),
      minimum_tls_version: '1.2',
      public_network_access_enabled: false,
      outbound_network_restriction_enabled: true,
      azuread_administrator: { login_username: 'data-engineering', object_id: '6f1c2a0e-2d4b-4c8e-9a51-0b7d3e4f5a61', azuread_authentication_only: true },
    });
    expect(onlyResource(stacks.dev.json, MssqlServer.tfResourceType)).not.toHaveProperty('administrator_login_password');
  });

  test('is serverless and auto-pauses after the idle timeout in dev, provisioned in prod', () => {
    expect(onlyResource(stacks.dev.json, MssqlDatabase.tfResourceType)).toMatchObject({
      sku_name: 'GP_S_Gen5_2',
      auto_pause_delay_in_minutes: 20,
      min_capacity: 0.5,
    });
    const prod = onlyResource(stacks.prod.json, MssqlDatabase.tfResourceType);
    expect(prod.sku_name).toBe('GP_Gen5_2');
    expect(prod).not.toHaveProperty('auto_pause_delay_in_minutes');
  });

  test('keeps backups as the definition says', () => {
    expect(onlyResource(stacks.dev.json, MssqlDatabase.tfResourceType).short_term_retention_policy).toEqual({ retention_days: 7 });
    expect(onlyResource(stacks.dev.json, MssqlDatabase.tfResourceType)).not.toHaveProperty('long_term_retention_policy');
    expect(onlyResource(stacks.prod.json, MssqlDatabase.tfResourceType)).toMatchObject({
      short_term_retention_policy: { retention_days: 35 },
      long_term_retention_policy: { weekly_retention: 'P52W' },
    });
  });

  test('audits to Log Analytics', () => {
    expect(onlyResource(stacks.dev.json, MssqlServerExtendedAuditingPolicy.tfResourceType)).toMatchObject({ log_monitoring_enabled: true, enabled: true });
    const settings = Object.values(resourcesOf(stacks.dev.json, MonitorDiagnosticSetting.tfResourceType));
    expect(settings.find((setting: any) => setting.target_resource_id.endsWith('/databases/master'))).toMatchObject({
      enabled_log: [{ category_group: 'audit' }],
    });
  });

  test("turns Defender on where the environment asks, alerting the definition's receivers", () => {
    expect(onlyResource(stacks.prod.json, MssqlServerSecurityAlertPolicy.tfResourceType)).toMatchObject({
      state: 'Enabled',
      email_account_admins: true,
      email_addresses: ['data-platform-oncall@acme.example.com'],
    });
    expect(onlyResource(stacks.dev.json, MssqlServerSecurityAlertPolicy.tfResourceType).state).toBe('Disabled');
  });

  test('protects TDE with the vault key in prod, with wrap/unwrap on that key only', () => {
    // azurerm requires a versioned key id: the key's current version, read from the vault at plan time.
    const keys = Object.entries<any>((stacks.prod.json as any).data.azurerm_key_vault_key);
    expect(keys).toHaveLength(1);
    const [keyAddress, key] = keys[0];
    expect(key).toEqual({ name: 'sql-tde', key_vault_id: expect.stringMatching(/\/providers\/Microsoft\.KeyVault\/vaults\/kv-acme-prod-[0-9a-f]{4}$/) });
    expect(onlyResource(stacks.prod.json, MssqlServerTransparentDataEncryption.tfResourceType)).toMatchObject({
      key_vault_key_id: `\${data.azurerm_key_vault_key.${keyAddress}.id}`,
      auto_rotation_enabled: true,
    });
    expect(onlyResource(stacks.prod.json, RoleAssignment.tfResourceType)).toMatchObject({
      role_definition_name: 'Key Vault Crypto Service Encryption User',
      scope: expect.stringMatching(/\/providers\/Microsoft\.KeyVault\/vaults\/kv-acme-prod-[0-9a-f]{4}\/keys\/sql-tde$/),
    });
    expect(resourcesOf(stacks.dev.json, MssqlServerTransparentDataEncryption.tfResourceType)).toEqual({});
  });

  test('is reached over a private endpoint', () => {
    expect(onlyResource(stacks.dev.json, PrivateEndpoint.tfResourceType)).toMatchObject({
      private_service_connection: { subresource_names: ['sqlServer'] },
      private_dns_zone_group: { private_dns_zone_ids: [expect.stringMatching(/privatelink\.database\.windows\.net$/)] },
    });
  });

  test('prevents destroying the server and database in prod', () => {
    expect(onlyResource(stacks.prod.json, MssqlServer.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(stacks.prod.json, MssqlDatabase.tfResourceType).lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(stacks.dev.json, MssqlDatabase.tfResourceType)).not.toHaveProperty('lifecycle');
  });

  test('is needed only where the environment defines a warehouse', () => {
    expect(environmentStacks(config, environmentOf(config, 'staging')).map((stack) => stack.name)).not.toContain('acme-staging-azure-warehouse');
    expect(environmentStacks(config, environmentOf(config, 'dev')).map((stack) => stack.name)).toContain('acme-dev-azure-warehouse');
  });

  test('fails when the admin group is not defined', () => {
    expect(() =>
      configWith((definition) => {
        definition.environments.dev.azure.warehouse.adminGroup = 'data-engineers';
      }),
    ).toThrow('environments.dev.azure.warehouse.adminGroup: "data-engineers" is not a defined group (did you mean "data-engineering"?)');
    expect(() =>
      configWith((definition) => {
        definition.environments.dev.azure.warehouse.adminGroup = 'marketing-analysts';
      }),
    ).toThrow(
      'environments.dev.azure.warehouse.adminGroup: "marketing-analysts" has no entraObjectId; the ' +
        'warehouse admin is an Entra ID group, so set groups.marketing-analysts.entraObjectId',
    );
  });
});
