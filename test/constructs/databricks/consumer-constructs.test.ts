import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { DeltaShare } from '../../../constructs/databricks/delta-share';
import { DeltaSharingRecipient } from '../../../constructs/databricks/delta-sharing-recipient';
import { LakeviewDashboard } from '../../../constructs/databricks/lakeview-dashboard';
import { ServerlessSqlWarehouse } from '../../../constructs/databricks/serverless-sql-warehouse';
import { onlyResource, resourcesOf } from '../../fixtures/terraform-json';

function workspaceStack() {
  const stack = new TerraformStack(Testing.app(), 'test');
  const provider = new DatabricksProvider(stack, 'databricks', { alias: 'workspace', host: 'https://adb-1.1.azuredatabricks.net' });
  return { stack, provider };
}
const synthesized = (stack: TerraformStack) => JSON.parse(Testing.synth(stack));
const IDENTIFIER = 'azure:westeurope:19a84bee-54bc-43a2-87de-023d0ec16016';

describe('LakeviewDashboard', () => {
  function dashboard(props: Partial<ConstructorParameters<typeof LakeviewDashboard>[2]> = {}) {
    const { stack, provider } = workspaceStack();
    const warehouse = new ServerlessSqlWarehouse(stack, 'Warehouse', { provider, name: 'sql', costTags: {}, users: ['analysts'] });
    new LakeviewDashboard(stack, 'Kpis', {
      provider,
      displayName: 'kpis',
      parentPath: '/Shared/acme-dev/dashboards',
      serializedDashboard: '{"pages":[{"name":"p"}]}',
      warehouse,
      owners: ['data-engineering'],
      readers: ['analysts', 'data-engineering'],
      ...props,
    });
    return synthesized(stack);
  }

  test("runs viewers' queries as themselves by default; owners manage it, readers who are not owners run it", () => {
    const json = dashboard();
    expect(onlyResource(json, 'databricks_dashboard')).toMatchObject({
      embed_credentials: false,
      warehouse_id: expect.stringContaining('databricks_sql_endpoint.'),
    });
    const permissions = Object.values<any>(resourcesOf(json, 'databricks_permissions')).find((p) => 'dashboard_id' in p);
    expect(permissions.access_control).toEqual([
      { group_name: 'data-engineering', permission_level: 'CAN_MANAGE' },
      { group_name: 'analysts', permission_level: 'CAN_RUN' },
    ]);
  });

  test('fails when nobody owns it or its folder is not a workspace path', () => {
    expect(() => dashboard({ owners: [], parentPath: 'Shared/x/' })).toThrow(
      'LakeviewDashboard Kpis: owners ([]) must name at least one group: a dashboard nobody manages cannot be fixed but by an admin; ' +
        'parentPath ("Shared/x/") must be a workspace folder: a leading slash, no trailing slash, no spaces',
    );
  });
});

describe('DeltaSharingRecipient and DeltaShare', () => {
  test('grant SELECT on the share to exactly its recipients, objects sorted, shared without the catalog', () => {
    const { stack, provider } = workspaceStack();
    const partner = new DeltaSharingRecipient(stack, 'Partner', {
      provider,
      name: 'acme_prod_partner',
      access: { kind: 'databricks', sharingIdentifier: IDENTIFIER },
    });
    const open = new DeltaSharingRecipient(stack, 'Open', { provider, name: 'acme_prod_open', access: { kind: 'open' } });
    new DeltaShare(stack, 'Share', {
      provider,
      name: 'acme_prod_catalog',
      tables: [
        { name: 'acme_prod.gold.dim_products', type: 'TABLE' },
        { name: 'acme_prod.gold.agg_daily_revenue', type: 'VIEW', sharedAs: 'sales.revenue' },
      ],
      recipients: [partner, open],
    });
    const json = synthesized(stack);
    expect(onlyResource(json, 'databricks_share').object).toEqual([
      { name: 'acme_prod.gold.agg_daily_revenue', data_object_type: 'VIEW', shared_as: 'sales.revenue' },
      { name: 'acme_prod.gold.dim_products', data_object_type: 'TABLE', shared_as: 'gold.dim_products' },
    ]);
    expect(onlyResource(json, 'databricks_grants').grant).toEqual([
      { principal: 'acme_prod_open', privileges: ['SELECT'] },
      { principal: 'acme_prod_partner', privileges: ['SELECT'] },
    ]);
    const recipients = Object.values<any>(resourcesOf(json, 'databricks_recipient'));
    // Without an IP access list, an open recipient's token works from any address.
    expect(recipients.find((r) => r.name === 'acme_prod_open')).toEqual(expect.not.objectContaining({ ip_access_list: expect.anything() }));
  });

  test('a recipient fails on a malformed sharing identifier or IP access list', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new DeltaSharingRecipient(stack, 'A', { provider, name: 'a', access: { kind: 'databricks', sharingIdentifier: 'westeurope:1234' } })).toThrow(
      'DeltaSharingRecipient a: access.sharingIdentifier ("westeurope:1234") must be a metastore\'s sharing identifier, <cloud>:<region>:<metastore uuid>',
    );
    expect(
      () => new DeltaSharingRecipient(stack, 'B', { provider, name: 'b', access: { kind: 'open', ipAccessList: ['203.0.113.0/24', '10.0.0.300', 'any'] } }),
    ).toThrow('DeltaSharingRecipient b: access.ipAccessList entries "10.0.0.300", "any" are not IPv4 addresses or CIDR ranges');
    const many = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(() => new DeltaSharingRecipient(stack, 'C', { provider, name: 'c', access: { kind: 'open', ipAccessList: many } })).toThrow(
      "access.ipAccessList has 101 entries; a recipient's IP access list takes at most 100",
    );
  });

  test('a share fails without tables or recipients, on a table twice, not fully qualified or of an unknown type', () => {
    const { stack, provider } = workspaceStack();
    expect(() => new DeltaShare(stack, 'Empty', { provider, name: 's', tables: [], recipients: [] })).toThrow(
      'DeltaShare s: tables ([]) must name at least one table; recipients ([]) must name at least one recipient: a share nobody reads is only an exposure',
    );
    const partner = new DeltaSharingRecipient(stack, 'Partner', { provider, name: 'p', access: { kind: 'databricks', sharingIdentifier: IDENTIFIER } });
    expect(
      () =>
        new DeltaShare(stack, 'Bad', {
          provider,
          name: 's',
          tables: [
            { name: 'c.gold.t', type: 'TABLE' },
            { name: 'c.gold.t', type: 'TABLE' },
            { name: 'gold.t', type: 'TABLE' },
            { name: 'c.gold.u', type: 'VOLUME' as never },
          ],
          recipients: [partner],
        }),
    ).toThrow(
      'DeltaShare s: tables name c.gold.t more than once; tables: "gold.t" must be a fully qualified <catalog>.<schema>.<table> name; ' +
        'tables: c.gold.u has type "VOLUME"; allowed: TABLE, VIEW, MATERIALIZED_VIEW',
    );
  });
});
