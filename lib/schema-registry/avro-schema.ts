/**
 * Avro schemas as the specification (1.12, "Schema Declaration") defines them: parsed from their JSON
 * form into a tree the compatibility checker walks, with every mistake refused by one error that says
 * where in the schema it is. Named types (record, enum, fixed) may be referenced by name after their
 * definition, so a tree may share subtrees and a recursive record points back to itself.
 */

export const AVRO_PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
export type AvroPrimitive = (typeof AVRO_PRIMITIVES)[number];

interface Named {
  /** Unqualified name. */
  readonly name: string;
  /** `namespace.name`, or the name alone without a namespace. */
  readonly fullname: string;
  /** Full names this type was known by before (reader-side aliases). */
  readonly aliases: readonly string[];
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly aliases: readonly string[];
}

export type AvroSchema =
  | { readonly type: AvroPrimitive; readonly logicalType?: string }
  | (Named & { readonly type: 'record'; readonly fields: readonly AvroField[] })
  | (Named & { readonly type: 'enum'; readonly symbols: readonly string[]; readonly default?: string })
  | (Named & { readonly type: 'fixed'; readonly size: number })
  | { readonly type: 'array'; readonly items: AvroSchema }
  | { readonly type: 'map'; readonly values: AvroSchema }
  | { readonly type: 'union'; readonly branches: readonly AvroSchema[] };

/** A schema that is not valid Avro; `location` is a JSON pointer into the schema (`/fields/2/type`). */
export class AvroSchemaError extends Error {
  constructor(
    readonly location: string,
    readonly problem: string,
  ) {
    super(`${location}: ${problem}`);
    this.name = 'AvroSchemaError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FULLNAME = /^([A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z_][A-Za-z0-9_]*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the JSON form of an Avro schema (already read from JSON text). Throws AvroSchemaError. */
export function parseAvroSchema(json: unknown): AvroSchema {
  const named = new Map<string, AvroSchema>();
  return parse(json, '', undefined, named);
}

function parse(json: unknown, at: string, namespace: string | undefined, named: Map<string, AvroSchema>): AvroSchema {
  if (typeof json === 'string') {
    if ((AVRO_PRIMITIVES as readonly string[]).includes(json)) return { type: json as AvroPrimitive };
    const reference = named.get(json) ?? (namespace && !json.includes('.') ? named.get(`${namespace}.${json}`) : undefined);
    if (reference) return reference;
    throw new AvroSchemaError(at || '/', `"${json}" is neither a primitive type (${AVRO_PRIMITIVES.join(', ')}) nor a named type defined before it`);
  }
  if (Array.isArray(json)) return parseUnion(json, at, namespace, named);
  if (!isObject(json)) throw new AvroSchemaError(at || '/', `${JSON.stringify(json)} is not a schema: expected a type name, an object or a union (a list)`);
  const type = json.type;
  if (typeof type !== 'string') {
    if (Array.isArray(type) || isObject(type)) return parse(type, `${at}/type`, namespace, named);
    throw new AvroSchemaError(`${at}/type`, 'is missing or not a string');
  }
  if ((AVRO_PRIMITIVES as readonly string[]).includes(type)) {
    const logicalType = json.logicalType;
    return typeof logicalType === 'string' ? { type: type as AvroPrimitive, logicalType } : { type: type as AvroPrimitive };
  }
  switch (type) {
    case 'record':
    case 'error':
      return parseRecord(json, at, namespace, named);
    case 'enum': {
      const identity = nameOf(json, at, namespace, named);
      const symbols = json.symbols;
      if (!Array.isArray(symbols) || symbols.some((symbol) => typeof symbol !== 'string' || !NAME.test(symbol))) {
        throw new AvroSchemaError(`${at}/symbols`, 'must be a list of names (letters, digits and _, not starting with a digit)');
      }
      const duplicate = symbols.find((symbol, index) => symbols.indexOf(symbol) !== index);
      if (duplicate !== undefined) throw new AvroSchemaError(`${at}/symbols`, `has "${String(duplicate)}" more than once`);
      if (json.default !== undefined && !symbols.includes(json.default)) {
        throw new AvroSchemaError(`${at}/default`, `${JSON.stringify(json.default)} is not one of the symbols`);
      }
      return define(named, {
        ...identity,
        type: 'enum',
        symbols: symbols as string[],
        ...(json.default === undefined ? {} : { default: json.default as string }),
      });
    }
    case 'fixed': {
      const identity = nameOf(json, at, namespace, named);
      if (typeof json.size !== 'number' || !Number.isInteger(json.size) || json.size < 0)
        throw new AvroSchemaError(`${at}/size`, 'must be a whole number of bytes');
      return define(named, { ...identity, type: 'fixed', size: json.size });
    }
    case 'array':
      if (json.items === undefined) throw new AvroSchemaError(`${at}/items`, 'is missing: an array names the schema of its items');
      return { type: 'array', items: parse(json.items, `${at}/items`, namespace, named) };
    case 'map':
      if (json.values === undefined) throw new AvroSchemaError(`${at}/values`, 'is missing: a map names the schema of its values');
      return { type: 'map', values: parse(json.values, `${at}/values`, namespace, named) };
    default: {
      const reference = named.get(type) ?? (namespace && !type.includes('.') ? named.get(`${namespace}.${type}`) : undefined);
      if (reference) return reference;
      throw new AvroSchemaError(
        `${at}/type`,
        `"${type}" is not an Avro type (${[...AVRO_PRIMITIVES, 'record', 'enum', 'array', 'map', 'fixed'].join(', ')}) nor a named type defined before it`,
      );
    }
  }
}

function nameOf(json: Record<string, unknown>, at: string, enclosing: string | undefined, named: Map<string, AvroSchema>): Named {
  const name = json.name;
  if (typeof name !== 'string' || !FULLNAME.test(name)) {
    throw new AvroSchemaError(
      `${at}/name`,
      `${JSON.stringify(name)} is not a valid name (letters, digits and _, not starting with a digit; dots separate a namespace)`,
    );
  }
  const namespace = name.includes('.')
    ? name.slice(0, name.lastIndexOf('.'))
    : typeof json.namespace === 'string' && json.namespace !== ''
      ? json.namespace
      : enclosing;
  const short = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  const fullname = namespace ? `${namespace}.${short}` : short;
  if ((AVRO_PRIMITIVES as readonly string[]).includes(short)) throw new AvroSchemaError(`${at}/name`, `"${short}" is a primitive type and cannot name a type`);
  if (named.has(fullname)) throw new AvroSchemaError(`${at}/name`, `"${fullname}" is defined twice`);
  const aliases = aliasesOf(json.aliases, `${at}/aliases`).map((alias) => (alias.includes('.') || !namespace ? alias : `${namespace}.${alias}`));
  return { name: short, fullname, aliases };
}

function aliasesOf(aliases: unknown, at: string): string[] {
  if (aliases === undefined) return [];
  if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string' || !FULLNAME.test(alias)))
    throw new AvroSchemaError(at, 'must be a list of names');
  return aliases as string[];
}

function define<T extends AvroSchema & Named>(named: Map<string, AvroSchema>, schema: T): T {
  named.set(schema.fullname, schema);
  return schema;
}

function parseRecord(json: Record<string, unknown>, at: string, enclosing: string | undefined, named: Map<string, AvroSchema>): AvroSchema {
  const identity = nameOf(json, at, enclosing, named);
  const namespace = identity.fullname.includes('.') ? identity.fullname.slice(0, identity.fullname.lastIndexOf('.')) : undefined;
  if (!Array.isArray(json.fields)) throw new AvroSchemaError(`${at}/fields`, 'must be a list of fields');
  const fields: AvroField[] = [];
  // Defined before its fields are parsed, so that a field may refer to the record itself (recursion).
  const record = define(named, { ...identity, type: 'record' as const, fields });
  json.fields.forEach((field, index) => {
    const where = `${at}/fields/${index}`;
    if (!isObject(field)) throw new AvroSchemaError(where, 'must be an object with a name and a type');
    if (typeof field.name !== 'string' || !NAME.test(field.name)) {
      throw new AvroSchemaError(`${where}/name`, `${JSON.stringify(field.name)} is not a valid field name (letters, digits and _, not starting with a digit)`);
    }
    if (fields.some((other) => other.name === field.name))
      throw new AvroSchemaError(`${where}/name`, `"${field.name}" is already a field of ${identity.fullname}`);
    if (field.type === undefined) throw new AvroSchemaError(`${where}/type`, `is missing: field "${field.name}" needs a type`);
    const type = parse(field.type, `${where}/type`, namespace, named);
    const hasDefault = Object.hasOwn(field, 'default');
    if (hasDefault) {
      const problem = defaultProblem(type, field.default);
      if (problem) throw new AvroSchemaError(`${where}/default`, `${JSON.stringify(field.default)} is not a default of field "${field.name}": ${problem}`);
    }
    fields.push({
      name: field.name,
      type,
      hasDefault,
      ...(hasDefault ? { default: field.default } : {}),
      aliases: aliasesOf(field.aliases, `${where}/aliases`),
    });
  });
  return record;
}

function parseUnion(json: unknown[], at: string, namespace: string | undefined, named: Map<string, AvroSchema>): AvroSchema {
  const branches = json.map((branch, index) => parse(branch, `${at}/${index}`, namespace, named));
  const seen = new Set<string>();
  branches.forEach((branch, index) => {
    if (branch.type === 'union') throw new AvroSchemaError(`${at}/${index}`, 'a union may not directly contain another union');
    const key = 'fullname' in branch ? branch.fullname : branch.type;
    if (seen.has(key)) throw new AvroSchemaError(`${at}/${index}`, `the union has "${key}" more than once`);
    seen.add(key);
  });
  return { type: 'union', branches };
}

/** Why `value` cannot be the default of a field of `type` (a union's default is of its first branch), or undefined. */
function defaultProblem(type: AvroSchema, value: unknown): string | undefined {
  const ok = (condition: boolean, expected: string) => (condition ? undefined : `expected ${expected}`);
  switch (type.type) {
    case 'null':
      return ok(value === null, 'null');
    case 'boolean':
      return ok(typeof value === 'boolean', 'true or false');
    case 'int':
    case 'long':
      return ok(typeof value === 'number' && Number.isInteger(value), 'a whole number');
    case 'float':
    case 'double':
      return ok(typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity', 'a number');
    case 'bytes':
    case 'string':
    case 'fixed':
      return ok(typeof value === 'string', 'a string');
    case 'enum':
      return ok(typeof value === 'string' && type.symbols.includes(value), `one of ${type.symbols.join(', ')}`);
    case 'array':
      return ok(Array.isArray(value), 'a list');
    case 'map':
    case 'record':
      return ok(isObject(value), 'an object');
    case 'union': {
      const first = type.branches[0];
      const problem = first ? defaultProblem(first, value) : 'an empty union has no default';
      return problem && first ? `${problem} (a union's default is of its first type, ${'fullname' in first ? first.fullname : first.type})` : problem;
    }
  }
}

/** How a schema reads in a message: its type name, or the full name of a named type. */
export function describeAvroType(schema: AvroSchema): string {
  if ('fullname' in schema) return schema.fullname;
  if (schema.type === 'union') return `[${schema.branches.map(describeAvroType).join(', ')}]`;
  if (schema.type === 'array') return `array<${describeAvroType(schema.items)}>`;
  if (schema.type === 'map') return `map<${describeAvroType(schema.values)}>`;
  return schema.logicalType ? `${schema.type} (${schema.logicalType})` : schema.type;
}
