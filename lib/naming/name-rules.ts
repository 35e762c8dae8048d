/**
 * The one check every composed name goes through: the limits of a kind of resource (each cloud's names
 * module states its own: stack-names.ts, aws-*-names.ts, azure-names.ts, databricks-names.ts), why a
 * name breaks them, and a NameError that says so. A composed name that breaks a rule is reported at
 * validation time, before any synth.
 */
/**
 * Naming limits of each kind of resource the platform names, from each cloud's documentation.
 * A composed name that breaks one of these is reported at validation time, before any synth.
 */
export interface NameRule {
  /** What the name is, for messages: "S3 bucket". */
  readonly kind: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** The characters allowed, in words. */
  readonly allowed: string;
}

/** A composed name breaks its cloud's limits. */
export class NameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NameError';
  }
}

/** Why `name` breaks `rule`, or undefined when it fits. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    return `${rule.kind} name "${name}" is ${name.length} characters; allowed: ${rule.minLength}-${rule.maxLength}`;
  }
  if (!rule.pattern.test(name)) {
    return `${rule.kind} name "${name}" has characters that are not allowed; allowed: ${rule.allowed}`;
  }
  return undefined;
}

/** Returns `name` when it fits `rule`; throws a NameError that says why otherwise. */
export function checkedAgainst(rule: NameRule, name: string): string {
  const problem = nameProblem(name, rule);
  if (problem) throw new NameError(problem);
  return name;
}
