import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnReplacementSpec } from '../../scripts/cfn-replacement-spec';
import { STATEFUL_CFN_TYPES } from '../../scripts/stateful-resources';
import { applyOverrides, formatResult, parseOverrides, readSynthesis, statefulChanges, type Override } from '../../scripts/stateful-changes';

/** A synthesized tree's stacks: CloudFormation templates and Terraform JSON, by stack name. */
interface Tree {
  readonly cfn?: Record<string, unknown>;
  readonly tf?: Record<string, unknown>;
}

const spec = CfnReplacementSpec.load();
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes `tree` as `npm run synth` would (cdk.out/<stack>.template.json, cdktf.out/stacks/<stack>/cdk.tf.json) and returns its directory. */
function write(tree: Tree): string {
  const dir = mkdtempSync(join(tmpdir(), 'stateful-changes-test-'));
  scratch.push(dir);
  mkdirSync(join(dir, 'cdk.out'));
  for (const [stack, template] of Object.entries(tree.cfn ?? {})) writeFileSync(join(dir, 'cdk.out', `${stack}.template.json`), JSON.stringify(template));
  for (const [stack, json] of Object.entries(tree.tf ?? {})) {
    mkdirSync(join(dir, 'cdktf.out', 'stacks', stack), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

/** Runs the gate on two trees written to disk, with `overrides`. */
function gate(base: Tree, work: Tree, overrides: Override[] = []) {
  return applyOverrides(statefulChanges(readSynthesis(write(base)), readSynthesis(write(work)), spec), overrides);
}

const bucket = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::S3::Bucket',
  Properties: { BucketName: name, VersioningConfiguration: { Status: 'Enabled' }, ...extra },
  DeletionPolicy: 'Retain',
});
const storage = (resources: Record<string, unknown>) => ({ cfn: { 'acme-prod-storage': { Resources: resources } } });

const account = (extra: Record<string, unknown> = {}) => ({
  '//': { metadata: { path: 'acme-prod-azure-storage/DataLake/Resource' } },
  name: 'stacmeprod55d6',
  resource_group_name: 'rg-acme-prod-storage',
  location: 'westeurope',
  account_tier: 'Standard',
  account_replication_type: 'GRS',
  min_tls_version: 'TLS1_2',
  ...extra,
});
const azureStorage = (resources: Record<string, unknown>) => ({ tf: { 'acme-prod-azure-storage': { resource: resources } } });

describe('stateful-changes', () => {
  test('the CloudFormation spec knows every stateful type (a typo would leave a type unjudged)', () => {
    expect(Object.keys(STATEFUL_CFN_TYPES).filter((type) => !spec.has(type))).toEqual([]);
  });

  test('passes an unchanged tree', () => {
    const tree = {
      ...storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-bronze') }),
      ...azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account() } }),
    };
    expect(gate(tree, tree)).toEqual({ refused: [], allowed: [], overrideErrors: [] });
  });

  test('refuses a bucket whose construct id was renamed (its logical id changes)', () => {
    const result = gate(storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-bronze') }), storage({ RawBucket9F8E7D6C: bucket('acme-prod-bronze') }));
    expect(result.refused).toEqual([
      {
        stack: 'acme-prod-storage',
        resource: 'BronzeBucketA1B2C3D4',
        type: 'AWS::S3::Bucket',
        why: 'logical id changed to RawBucket9F8E7D6C (a new resource; the old one is deleted)',
      },
    ]);
    expect(formatResult(result, 'main')).toMatch(/REFUSED {2}acme-prod-storage {2}BronzeBucketA1B2C3D4 \(AWS::S3::Bucket\)[\s\S]*safety-overrides\.json/);
  });

  test('refuses a deleted bucket and a stack that is no longer synthesized', () => {
    const result = gate(
      {
        cfn: {
          'acme-prod-storage': { Resources: { LogsBucket11111111: bucket('acme-prod-logs') } },
          'acme-dev-storage': { Resources: { K: { Type: 'AWS::KMS::Key' } } },
        },
      },
      { cfn: { 'acme-prod-storage': { Resources: {} } } },
    );
    expect(result.refused.map(({ stack, resource, why }) => [stack, resource, why])).toEqual([
      ['acme-dev-storage', 'K', 'deleted: the stack acme-dev-storage is no longer synthesized'],
      ['acme-prod-storage', 'LogsBucket11111111', 'deleted: no logical id LogsBucket11111111 in the working tree'],
    ]);
  });

  test('refuses a changed property that requires replacement (BucketName on AWS::S3::Bucket, from the CloudFormation spec)', () => {
    const result = gate(storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-bronze') }), storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-raw') }));
    expect(result.refused).toEqual([
      { stack: 'acme-prod-storage', resource: 'BronzeBucketA1B2C3D4', type: 'AWS::S3::Bucket', why: 'property BucketName requires replacement' },
    ]);
  });

  test('refuses a changed force-new attribute (name and location on azurerm_storage_account)', () => {
    const result = gate(
      azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account() } }),
      azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account({ name: 'stacmeprod0000', location: 'northeurope' }) } }),
    );
    expect(result.refused).toEqual([
      {
        stack: 'acme-prod-azure-storage',
        resource: 'azurerm_storage_account.DataLake_E54831B2',
        type: 'azurerm_storage_account',
        why: 'attribute name forces replacement; attribute location forces replacement',
      },
    ]);
  });

  test('refuses a conditional force-new change only when the provider would replace (replication across the zonal boundary)', () => {
    const before = azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account() } });
    const to = (replication: string) =>
      gate(before, azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account({ account_replication_type: replication }) } }));
    expect(to('RAGRS').refused).toEqual([]);
    expect(to('GZRS').refused.map(({ why }) => why)).toEqual([
      'attribute account_replication_type forces replacement (between zonal (ZRS, GZRS, RAGZRS) and non-zonal replication)',
    ]);
  });

  test('allows the same changes when the override file names them with a reason', () => {
    const result = gate(
      { ...storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-bronze') }), ...azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account() } }) },
      {
        ...storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-raw') }),
        ...azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account({ location: 'northeurope' }) } }),
      },
      [
        { stack: 'acme-prod-storage', resource: 'BronzeBucketA1B2C3D4', reason: 'the bronze bucket is empty before go-live' },
        { stack: 'acme-prod-azure-storage', resource: 'azurerm_storage_account.DataLake_E54831B2', reason: 'region move, data copied by azcopy first' },
      ],
    );
    expect(result.refused).toEqual([]);
    expect(result.overrideErrors).toEqual([]);
    expect(result.allowed.map(({ change, reason }) => [change.resource, reason])).toEqual([
      ['azurerm_storage_account.DataLake_E54831B2', 'region move, data copied by azcopy first'],
      ['BronzeBucketA1B2C3D4', 'the bronze bucket is empty before go-live'],
    ]);
  });

  test('allows changes that update in place, and any change of a resource that holds no state', () => {
    const result = gate(
      {
        ...storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-bronze'), ReaderRoleAAAA0000: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'reader' } } }),
        ...azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account() }, azurerm_private_endpoint: { Blob_1: { name: 'pe-blob' } } }),
      },
      {
        ...storage({
          BronzeBucketA1B2C3D4: bucket('acme-prod-bronze', { VersioningConfiguration: { Status: 'Suspended' } }),
          RenamedRoleBBBB1111: { Type: 'AWS::IAM::Role' },
        }),
        ...azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account({ account_replication_type: 'RAGRS', min_tls_version: 'TLS1_3' }) } }),
      },
    );
    expect(result).toEqual({ refused: [], allowed: [], overrideErrors: [] });
  });

  test('follows a Terraform moved block instead of refusing the new address', () => {
    const result = gate(azureStorage({ azurerm_storage_account: { DataLake_E54831B2: account() } }), {
      tf: {
        'acme-prod-azure-storage': {
          resource: { azurerm_storage_account: { Lake_0A1B2C3D: account() } },
          moved: [{ from: 'azurerm_storage_account.DataLake_E54831B2', to: 'azurerm_storage_account.Lake_0A1B2C3D' }],
        },
      },
    });
    expect(result.refused).toEqual([]);
  });

  test('fails when an override names a resource that is not replaced (stale) or has no reason', () => {
    const tree = storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-bronze') });
    const result = gate(tree, storage({ BronzeBucketA1B2C3D4: bucket('acme-prod-raw') }), [
      { stack: 'acme-prod-storage', resource: 'BronzeBucketA1B2C3D4', reason: ' ' },
      { stack: 'acme-prod-storage', resource: 'SilverBucket5E6F7A8B', reason: 'renamed last quarter' },
    ]);
    expect(result.refused.map(({ resource }) => resource)).toEqual(['BronzeBucketA1B2C3D4']);
    expect(result.overrideErrors).toEqual([
      'override 1 (acme-prod-storage BronzeBucketA1B2C3D4) has no reason: say why replacing it is safe',
      'override 2 (acme-prod-storage SilverBucket5E6F7A8B) names no deleted or replaced stateful resource: remove it (stale overrides must not linger)',
    ]);
  });

  test('fails when the override file is malformed, naming each problem', () => {
    expect(() => parseOverrides('{"allow": [{"stack": "s", "resource": 1, "reson": "x"}]}', 'safety-overrides.json')).toThrow(
      /allow\[0\]\.resource must be a string\n.*allow\[0\]\.reason must be a string\n.*allow\[0\]\.reson is not a field/,
    );
    expect(() => parseOverrides('[]', 'safety-overrides.json')).toThrow(/must be an object with an "allow" array/);
    expect(parseOverrides('{"allow": [{"stack": "s", "resource": "r", "reason": "why"}]}', 'f')).toEqual([{ stack: 's', resource: 'r', reason: 'why' }]);
  });
});
