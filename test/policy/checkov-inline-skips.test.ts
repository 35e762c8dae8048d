import { applyInlineSkips, type CheckovFinding, skipCommentsIn } from '../../lib/policy/checkov-inline-skips';

const FILE = [
  '{',
  '  "resource": {',
  '    "azurerm_storage_account": {',
  '      "Lake": {',
  '        "//": {',
  '          "checkov": [',
  '            "checkov:skip=CKV2_AZURE_1:Key Vault comes later",',
  '            "checkov:skip=CKV_AZURE_33,CKV_AZURE_206:two at once"',
  '          ]',
  '        },',
  '        "name": "lake"',
  '      },',
  '      "Other": {',
  '        "name": "other"',
  '      }',
  '    }',
  '  }',
  '}',
].join('\n');

function finding(checkId: string, range: [number, number]): CheckovFinding {
  return {
    check_id: checkId,
    resource: 'azurerm_storage_account.x',
    file_path: '/stack/cdk.tf.json',
    file_abs_path: '/abs/stack/cdk.tf.json',
    file_line_range: range,
  };
}

describe('skipCommentsIn', () => {
  test('reads every skip comment in the line range, without the JSON quoting', () => {
    expect(skipCommentsIn(FILE.split('\n'), [4, 12])).toEqual(
      new Map([
        ['CKV2_AZURE_1', 'Key Vault comes later'],
        ['CKV_AZURE_33', 'two at once'],
        ['CKV_AZURE_206', 'two at once'],
      ]),
    );
  });
});

describe('applyInlineSkips', () => {
  const read = jest.fn(() => FILE);

  test('acknowledges a finding skipped inside its own block, with the reason', () => {
    const result = applyInlineSkips([finding('CKV2_AZURE_1', [4, 12])], read);
    expect(result.unacknowledged).toEqual([]);
    expect(result.acknowledged.map((a) => a.reason)).toEqual(['Key Vault comes later']);
  });

  test('fails a finding of another check on the same resource', () => {
    expect(applyInlineSkips([finding('CKV_AZURE_59', [4, 12])], read).unacknowledged).toHaveLength(1);
  });

  test('fails the same check on a resource without the comment', () => {
    expect(applyInlineSkips([finding('CKV2_AZURE_1', [13, 15])], read).unacknowledged).toHaveLength(1);
  });

  test('reads each file once', () => {
    read.mockClear();
    applyInlineSkips([finding('CKV2_AZURE_1', [4, 12]), finding('CKV_AZURE_33', [4, 12])], read);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
