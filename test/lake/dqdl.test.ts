import { dqdlFor, quoted, ruleFor } from '../../lib/lake';
import { exampleConfig } from '../fixtures/platform';

const column = (name: string, nullable = true) => ({ name, type: 'string', nullable, pii: false });

describe('dqdlFor', () => {
  test('translates every rule kind', () => {
    expect(ruleFor({ rule: 'not_null', column: 'email' })).toBe('IsComplete "email"');
    expect(ruleFor({ rule: 'unique', columns: ['customer_id'] })).toBe('IsUnique "customer_id"');
    expect(ruleFor({ rule: 'unique', columns: ['order_id', 'line_number'] })).toBe('IsPrimaryKey "order_id" "line_number"');
    expect(ruleFor({ rule: 'accepted_values', column: 'segment', values: ['consumer', 'enterprise'] })).toBe(
      'ColumnValues "segment" in ["consumer", "enterprise"]',
    );
    expect(ruleFor({ rule: 'range', column: 'total', min: 0 })).toBe('ColumnValues "total" >= 0');
    expect(ruleFor({ rule: 'range', column: 'total', max: 10.5 })).toBe('ColumnValues "total" <= 10.5');
    expect(ruleFor({ rule: 'range', column: 'quantity', min: 1, max: 10000 })).toBe('(ColumnValues "quantity" >= 1) and (ColumnValues "quantity" <= 10000)');
    expect(ruleFor({ rule: 'row_count', min: 1 })).toBe('RowCount >= 1');
    expect(ruleFor({ rule: 'row_count', min: 0, max: 500 })).toBe('(RowCount >= 0) and (RowCount <= 500)');
  });

  test('checks uniqueness per change on the bronze table of a CDC dataset', () => {
    expect(ruleFor({ rule: 'unique', columns: ['customer_id'] }, { cdc: true })).toBe('IsPrimaryKey "customer_id" "_change_seq"');
    const customers = exampleConfig().datasets.find((d) => d.name === 'customers')!;
    expect(dqdlFor(customers)).toContain('IsPrimaryKey "customer_id" "_change_seq"');
  });

  test('escapes quotes and backslashes in values', () => {
    expect(quoted('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoted('C:\\temp')).toBe('"C:\\\\temp"');
    expect(ruleFor({ rule: 'accepted_values', column: 'code', values: ['a"b', 'c\\d'] })).toBe('ColumnValues "code" in ["a\\"b", "c\\\\d"]');
  });

  test('writes small and large bounds in plain decimal notation', () => {
    expect(ruleFor({ rule: 'range', column: 'rate', min: 0.0000001 })).toBe('ColumnValues "rate" >= 0.0000001');
    expect(ruleFor({ rule: 'row_count', min: 0, max: 9007199254740991 })).toContain('<= 9007199254740991');
  });

  test('adds IsComplete for every not-nullable column not already covered', () => {
    const dqdl = dqdlFor({
      columns: [column('id', false), column('email', false), column('note')],
      quality: [{ rule: 'not_null', column: 'email' }],
      cdc: false,
    });
    expect(dqdl).toBe('Rules = [\n  IsComplete "email",\n  IsComplete "id"\n]');
  });

  test('gives every example dataset a ruleset', () => {
    for (const dataset of exampleConfig().datasets) expect(dqdlFor(dataset)).toMatch(/^Rules = \[\n {2}\S[\s\S]*\n\]$/);
    const orders = exampleConfig().datasets.find((d) => d.name === 'orders')!;
    expect(dqdlFor(orders)).toContain('ColumnValues "order_status" in ["placed", "paid", "shipped", "delivered", "cancelled", "returned"]');
    expect(dqdlFor(orders)).toContain('RowCount >= 1');
  });

  test('fails when a dataset has neither rules nor a not-nullable column', () => {
    expect(() => dqdlFor({ columns: [column('note')], quality: [], cdc: false })).toThrow('needs at least one rule');
  });
});
