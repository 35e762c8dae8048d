import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SCHEMA_COMPATIBILITIES } from '../../lib/definition';
import { compatibilityChecks, parseAvroSchema, readerWriterIncompatibilities, versionBreaks } from '../../lib/schema-registry';

const optional = (type: unknown) => ({ type: ['null', type], default: null });
const record = (fields: Record<string, unknown>, name = 'event') => ({
  type: 'record',
  name,
  fields: Object.entries(fields).map(([field, type]) =>
    typeof type === 'object' && type !== null && 'default' in type && !('symbols' in type) ? { name: field, ...type } : { name: field, type },
  ),
});

/** Reader/writer pairs with the verdict of Avro's resolution rules: [] when the reader reads the writer's data. */
const CASES: { name: string; reader: unknown; writer: unknown; rules: string[]; field?: string }[] = [
  { name: 'identical records', reader: record({ id: 'string' }), writer: record({ id: 'string' }), rules: [] },
  {
    name: 'a new optional field (with a default)',
    reader: record({ id: 'string', referrer: optional('string') }),
    writer: record({ id: 'string' }),
    rules: [],
  },
  {
    name: 'a new field without a default',
    reader: record({ id: 'string', referrer: 'string' }),
    writer: record({ id: 'string' }),
    rules: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    field: 'referrer',
  },
  { name: 'a removed field (the reader ignores it)', reader: record({ id: 'string' }), writer: record({ id: 'string', gone: 'int' }), rules: [] },
  { name: 'int promoted to long', reader: record({ n: 'long' }), writer: record({ n: 'int' }), rules: [] },
  { name: 'long narrowed to int', reader: record({ n: 'int' }), writer: record({ n: 'long' }), rules: ['TYPE_MISMATCH'], field: 'n' },
  { name: 'long promoted to double', reader: record({ n: 'double' }), writer: record({ n: 'long' }), rules: [] },
  { name: 'float read as long', reader: record({ n: 'long' }), writer: record({ n: 'float' }), rules: ['TYPE_MISMATCH'], field: 'n' },
  { name: 'string read as bytes', reader: record({ s: 'bytes' }), writer: record({ s: 'string' }), rules: [] },
  { name: 'string read as long', reader: record({ s: 'long' }), writer: record({ s: 'string' }), rules: ['TYPE_MISMATCH'], field: 's' },
  { name: 'optional string made required', reader: record({ s: 'string' }), writer: record({ s: optional('string') }), rules: ['TYPE_MISMATCH'], field: 's' },
  { name: 'required string made optional', reader: record({ s: optional('string') }), writer: record({ s: 'string' }), rules: [] },
  {
    name: 'a union losing a branch',
    reader: record({ v: ['null', 'string'] }),
    writer: record({ v: ['null', 'string', 'long'] }),
    rules: ['MISSING_UNION_BRANCH'],
    field: 'v',
  },
  { name: 'a union gaining a branch', reader: record({ v: ['null', 'string', 'long'] }), writer: record({ v: ['null', 'string'] }), rules: [] },
  { name: 'a union read as one of its types', reader: record({ v: 'long' }), writer: record({ v: ['int', 'long'] }), rules: [] },
  {
    name: 'an enum losing a symbol',
    reader: record({ e: { type: 'enum', name: 'kind', symbols: ['a'] } }),
    writer: record({ e: { type: 'enum', name: 'kind', symbols: ['a', 'b'] } }),
    rules: ['MISSING_ENUM_SYMBOLS'],
    field: 'e',
  },
  {
    name: 'an enum losing a symbol, with a reader default',
    reader: record({ e: { type: 'enum', name: 'kind', symbols: ['a', 'other'], default: 'other' } }),
    writer: record({ e: { type: 'enum', name: 'kind', symbols: ['a', 'b'] } }),
    rules: [],
  },
  {
    name: 'a fixed changing its size',
    reader: record({ f: { type: 'fixed', name: 'hash', size: 16 } }),
    writer: record({ f: { type: 'fixed', name: 'hash', size: 32 } }),
    rules: ['FIXED_SIZE_MISMATCH'],
    field: 'f',
  },
  { name: 'a renamed record', reader: record({ id: 'string' }, 'click'), writer: record({ id: 'string' }, 'event'), rules: ['NAME_MISMATCH'] },
  {
    name: 'a renamed record with the old name as alias',
    reader: { ...record({ id: 'string' }, 'click'), aliases: ['event'] },
    writer: record({ id: 'string' }, 'event'),
    rules: [],
  },
  {
    name: 'a renamed field with the old name as alias',
    reader: { type: 'record', name: 'event', fields: [{ name: 'user_id', type: 'string', aliases: ['customer'] }] },
    writer: record({ customer: 'string' }),
    rules: [],
  },
  {
    name: 'a nested record gaining a required field',
    reader: record({
      address: {
        type: 'record',
        name: 'address',
        fields: [
          { name: 'city', type: 'string' },
          { name: 'zip', type: 'string' },
        ],
      },
    }),
    writer: record({ address: { type: 'record', name: 'address', fields: [{ name: 'city', type: 'string' }] } }),
    rules: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    field: 'address.zip',
  },
  {
    name: 'array items promoted',
    reader: record({ a: { type: 'array', items: 'double' } }),
    writer: record({ a: { type: 'array', items: 'int' } }),
    rules: [],
  },
  {
    name: 'map values narrowed',
    reader: record({ m: { type: 'map', values: 'int' } }),
    writer: record({ m: { type: 'map', values: 'long' } }),
    rules: ['TYPE_MISMATCH'],
    field: 'm',
  },
  {
    name: 'a recursive record',
    reader: {
      type: 'record',
      name: 'node',
      fields: [
        { name: 'next', type: ['null', 'node'], default: null },
        { name: 'v', type: 'long' },
      ],
    },
    writer: {
      type: 'record',
      name: 'node',
      fields: [
        { name: 'next', type: ['null', 'node'], default: null },
        { name: 'v', type: 'int' },
      ],
    },
    rules: [],
  },
  {
    name: 'decimals of another precision (logical types do not take part in resolution)',
    reader: record({ d: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 4 } }),
    writer: record({ d: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 2 } }),
    rules: [],
  },
];

describe('readerWriterIncompatibilities', () => {
  test.each(CASES)('$name', ({ reader, writer, rules, field }) => {
    const found = readerWriterIncompatibilities(parseAvroSchema(reader), parseAvroSchema(writer));
    expect([...new Set(found.map((incompatibility) => incompatibility.rule))]).toEqual(rules);
    if (field) expect(found.map((incompatibility) => incompatibility.field)).toContain(field);
  });

  test('names the location in the reader schema as Avro does', () => {
    const [found] = readerWriterIncompatibilities(parseAvroSchema(record({ id: 'string', n: 'int' })), parseAvroSchema(record({ id: 'string', n: 'long' })));
    expect(found).toEqual({ rule: 'TYPE_MISMATCH', location: '/fields/1/type', field: 'n', message: "the reader's int cannot read the writer's long" });
  });

  test("agrees with Apache Avro's own checker (the Python avro package) on every case, both ways", () => {
    const pairs = CASES.flatMap(({ reader, writer }) => [
      { reader, writer },
      { reader: writer, writer: reader },
    ]);
    const run = spawnSync(join(__dirname, '..', '..', '.venv', 'bin', 'python'), [join(__dirname, '..', '..', 'scripts', 'avro-compatibility.py')], {
      input: JSON.stringify(pairs),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const reference = (JSON.parse(run.stdout) as { incompatibilities: string[] }[]).map((verdict) => verdict.incompatibilities);
    const ours = pairs.map(({ reader, writer }) =>
      [...new Set(readerWriterIncompatibilities(parseAvroSchema(reader), parseAvroSchema(writer)).map((incompatibility) => incompatibility.rule))].sort(),
    );
    expect(ours).toEqual(reference);
  });
});

describe('versionBreaks', () => {
  const v1 = parseAvroSchema(record({ id: 'string', n: 'int' }));
  const addsOptional = parseAvroSchema(record({ id: 'string', n: 'int', referrer: optional('string') }));
  const addsRequired = parseAvroSchema(record({ id: 'string', n: 'int', referrer: 'string' }));
  const widens = parseAvroSchema(record({ id: 'string', n: 'long' }));
  const dropsId = parseAvroSchema(record({ n: 'int' }));
  const directions = (mode: (typeof SCHEMA_COMPATIBILITIES)[number], versions: Parameters<typeof versionBreaks>[1]) =>
    versionBreaks(mode, versions).map((found) => `${found.direction} v${found.against}`);

  test.each([
    ['BACKWARD', [v1, addsOptional], []],
    ['BACKWARD', [v1, addsRequired], ['BACKWARD v1']],
    ['BACKWARD', [v1, widens], []],
    ['FORWARD', [v1, widens], ['FORWARD v1']],
    ['FORWARD', [v1, addsRequired], []],
    ['FORWARD', [v1, dropsId], ['FORWARD v1']],
    ['BACKWARD', [v1, dropsId], []],
    ['FULL', [v1, addsOptional], []],
    ['FULL', [v1, widens], ['FORWARD v1']],
    ['FULL', [v1, addsRequired], ['BACKWARD v1']],
    ['NONE', [v1, addsRequired], []],
  ] as const)('%s with %#', (mode, versions, expected) => {
    expect(directions(mode, versions)).toEqual(expected);
  });

  test('BACKWARD checks the previous version only; BACKWARD_ALL every earlier one', () => {
    // v1 has n: long; v2 drops n; v3 brings n back as int, which cannot read v1's long.
    const first = parseAvroSchema(record({ id: 'string', n: 'long' }));
    const second = parseAvroSchema(record({ id: 'string' }));
    const third = parseAvroSchema(record({ id: 'string', n: optional('int') }));
    expect(directions('BACKWARD', [first, second, third])).toEqual([]);
    expect(directions('BACKWARD_ALL', [first, second, third])).toEqual(['BACKWARD v1']);
  });

  test('FORWARD_ALL and FULL_ALL check every earlier version', () => {
    expect(compatibilityChecks('FORWARD_ALL', 3)).toEqual([
      { against: 1, direction: 'FORWARD' },
      { against: 2, direction: 'FORWARD' },
    ]);
    expect(compatibilityChecks('FULL_ALL', 3)).toHaveLength(4);
    expect(compatibilityChecks('FULL', 3)).toEqual([
      { against: 2, direction: 'BACKWARD' },
      { against: 2, direction: 'FORWARD' },
    ]);
    expect(compatibilityChecks('BACKWARD', 1)).toEqual([]);
  });
});
