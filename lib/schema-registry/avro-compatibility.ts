import type { SchemaCompatibility } from '../definition';
import { type AvroSchema, describeAvroType } from './avro-schema';

/**
 * Whether a reader schema can read what a writer schema wrote: Avro's schema resolution rules
 * (specification 1.12, "Schema Resolution"), checked the way Avro's own checkers do (Java's
 * SchemaCompatibility and Python's avro.compatibility.ReaderWriterCompatibilityChecker, whose rule
 * names and locations these are; test/schema-registry checks that the Python library agrees).
 */

/** The rule a reader/writer pair breaks, in the names of Avro's checkers. */
export type AvroIncompatibilityRule =
  'NAME_MISMATCH' | 'FIXED_SIZE_MISMATCH' | 'MISSING_ENUM_SYMBOLS' | 'READER_FIELD_MISSING_DEFAULT_VALUE' | 'TYPE_MISMATCH' | 'MISSING_UNION_BRANCH';

/** Why a reader cannot read a writer's data, and where. */
export interface AvroIncompatibility {
  readonly rule: AvroIncompatibilityRule;
  /** JSON pointer into the reader schema (`/fields/3/type`), as Avro's checkers report it. */
  readonly location: string;
  /** The field it concerns, by name (`address.city` inside nested records); absent at the top. */
  readonly field?: string;
  readonly message: string;
}

interface Place {
  readonly location: readonly string[];
  readonly field: readonly string[];
}

/** Every reason `reader` cannot read data written with `writer`; empty when it can. */
export function readerWriterIncompatibilities(reader: AvroSchema, writer: AvroSchema): AvroIncompatibility[] {
  return new Checker().check(reader, writer, { location: [], field: [] });
}

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

class Checker {
  // Pairs being checked: a recursive record meets itself again and counts as compatible there.
  private readonly inProgress = new Map<AvroSchema, Set<AvroSchema>>();

  check(reader: AvroSchema, writer: AvroSchema, at: Place): AvroIncompatibility[] {
    const seen = this.inProgress.get(reader) ?? new Set<AvroSchema>();
    if (seen.has(writer)) return [];
    seen.add(writer);
    this.inProgress.set(reader, seen);
    try {
      return this.calculate(reader, writer, at);
    } finally {
      seen.delete(writer);
    }
  }

  private calculate(reader: AvroSchema, writer: AvroSchema, at: Place): AvroIncompatibility[] {
    if (reader.type === writer.type) {
      switch (reader.type) {
        case 'array':
          return this.check(reader.items, (writer as typeof reader).items, within(at, 'items'));
        case 'map':
          return this.check(reader.values, (writer as typeof reader).values, within(at, 'values'));
        case 'fixed': {
          const w = writer as typeof reader;
          const size: AvroIncompatibility[] =
            reader.size === w.size ? [] : [problem('FIXED_SIZE_MISMATCH', within(at, 'size'), `expected size ${w.size}, found ${reader.size}`)];
          return [...nameMismatch(reader, w, at), ...size];
        }
        case 'enum': {
          const w = writer as typeof reader;
          const missing = w.symbols.filter((symbol) => !reader.symbols.includes(symbol));
          const symbols: AvroIncompatibility[] =
            missing.length === 0 || (reader.default !== undefined && reader.symbols.includes(reader.default))
              ? []
              : [problem('MISSING_ENUM_SYMBOLS', within(at, 'symbols'), `the reader's ${reader.fullname} lacks the writer's symbols ${missing.join(', ')}`)];
          return [...nameMismatch(reader, w, at), ...symbols];
        }
        case 'record':
          return [...nameMismatch(reader, writer as typeof reader, at), ...this.fields(reader, writer as typeof reader, at)];
        case 'union':
          return (writer as typeof reader).branches.flatMap((branch, index) =>
            this.check(reader, branch, at).length === 0
              ? []
              : [problem('MISSING_UNION_BRANCH', within(at, String(index)), `the reader's union lacks the writer's type ${describeAvroType(branch)}`)],
          );
        default:
          return [];
      }
    }
    if (writer.type === 'union') return writer.branches.flatMap((branch) => this.check(reader, branch, at));
    if (reader.type === 'union') {
      if (reader.branches.some((branch) => this.check(branch, writer, at).length === 0)) return [];
      return [problem('MISSING_UNION_BRANCH', at, `the reader's union ${describeAvroType(reader)} lacks the writer's type ${describeAvroType(writer)}`)];
    }
    if (PROMOTIONS[reader.type]?.includes(writer.type)) return [];
    return [problem('TYPE_MISMATCH', at, `the reader's ${describeAvroType(reader)} cannot read the writer's ${describeAvroType(writer)}`)];
  }

  private fields(reader: Extract<AvroSchema, { type: 'record' }>, writer: Extract<AvroSchema, { type: 'record' }>, at: Place): AvroIncompatibility[] {
    return reader.fields.flatMap((field, index) => {
      const place = { location: [...at.location, 'fields', String(index)], field: [...at.field, field.name] };
      const written =
        writer.fields.find((candidate) => candidate.name === field.name) ?? writer.fields.find((candidate) => field.aliases.includes(candidate.name));
      if (written) return this.check(field.type, written.type, within(place, 'type'));
      if (field.hasDefault) return [];
      return [
        problem(
          'READER_FIELD_MISSING_DEFAULT_VALUE',
          place,
          `the reader's field "${field.name}" is not in the writer's ${writer.fullname} and has no default to fill it with`,
        ),
      ];
    });
  }
}

function within(at: Place, token: string): Place {
  return { location: [...at.location, token], field: at.field };
}

function problem(rule: AvroIncompatibilityRule, at: Place, message: string): AvroIncompatibility {
  return { rule, location: `/${at.location.join('/')}`, ...(at.field.length > 0 ? { field: at.field.join('.') } : {}), message };
}

function nameMismatch(
  reader: AvroSchema & { name: string; aliases: readonly string[] },
  writer: { name: string; fullname: string },
  at: Place,
): AvroIncompatibility[] {
  // The specification compares unqualified names; a reader's alias may name the writer's type.
  if (reader.name === writer.name || reader.aliases.includes(writer.fullname)) return [];
  return [problem('NAME_MISMATCH', within(at, 'name'), `the reader's type is named ${reader.name}, the writer's ${writer.fullname}`)];
}

/** Which way each mode checks a new version against earlier ones, and against which of them. */
const MODE_CHECKS: Readonly<Record<SchemaCompatibility, { backward: boolean; forward: boolean; transitive: boolean }>> = {
  NONE: { backward: false, forward: false, transitive: false },
  BACKWARD: { backward: true, forward: false, transitive: false },
  BACKWARD_ALL: { backward: true, forward: false, transitive: true },
  FORWARD: { backward: false, forward: true, transitive: false },
  FORWARD_ALL: { backward: false, forward: true, transitive: true },
  FULL: { backward: true, forward: true, transitive: false },
  FULL_ALL: { backward: true, forward: true, transitive: true },
};

/** A way a version breaks its mode: which earlier version, which direction, and the incompatibilities. */
export interface VersionBreak {
  /** The earlier version (1-based) it was checked against. */
  readonly against: number;
  /** BACKWARD: the new version cannot read the earlier one's data; FORWARD: the earlier cannot read the new one's. */
  readonly direction: 'BACKWARD' | 'FORWARD';
  readonly incompatibilities: readonly AvroIncompatibility[];
}

/**
 * The checks `mode` asks of version `version` (1-based): against the previous version, or every earlier
 * one for the `_ALL` modes; BACKWARD reads the earlier version's data with the new schema, FORWARD the
 * new version's data with the earlier schema.
 */
export function compatibilityChecks(mode: SchemaCompatibility, version: number): { against: number; direction: 'BACKWARD' | 'FORWARD' }[] {
  const checks = MODE_CHECKS[mode];
  if (version < 2) return [];
  const earlier = checks.transitive ? Array.from({ length: version - 1 }, (_, index) => index + 1) : [version - 1];
  return earlier.flatMap((against) => [
    ...(checks.backward ? [{ against, direction: 'BACKWARD' as const }] : []),
    ...(checks.forward ? [{ against, direction: 'FORWARD' as const }] : []),
  ]);
}

/** How the last of `versions` (oldest first) breaks `mode` against the versions before it. */
export function versionBreaks(mode: SchemaCompatibility, versions: readonly AvroSchema[]): VersionBreak[] {
  const latest = versions[versions.length - 1];
  return compatibilityChecks(mode, versions.length).flatMap(({ against, direction }) => {
    const earlier = versions[against - 1];
    const incompatibilities = direction === 'BACKWARD' ? readerWriterIncompatibilities(latest, earlier) : readerWriterIncompatibilities(earlier, latest);
    return incompatibilities.length > 0 ? [{ against, direction, incompatibilities }] : [];
  });
}
