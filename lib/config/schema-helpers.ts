import { z } from 'zod';
import { closestMatch } from '../definition/closest-match';

/**
 * A strict object whose unknown-key error names the unknown key, suggests the closest allowed key
 * (typos are the usual cause) and lists every allowed key.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T, description?: string) {
  const allowed = Object.keys(shape);
  const schema = z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.keys as string[];
      const hints = keys.map((key) => {
        const suggestion = closestMatch(key, allowed);
        return suggestion ? `"${key}" (did you mean "${suggestion}"?)` : `"${key}"`;
      });
      return `unknown key${keys.length > 1 ? 's' : ''} ${hints.join(', ')}; allowed keys: ${allowed.join(', ')}`;
    },
  });
  return description ? schema.describe(description) : schema;
}

/** A closed set of string values whose error lists what is allowed. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, description?: string) {
  const schema = z.enum(values, { error: () => `must be one of: ${values.join(', ')}` });
  return description ? schema.describe(description) : schema;
}

/**
 * A name from a known list (an AWS region, an Azure location): an unknown one is refused with the
 * closest known name, as a typo usually is, and `listing(suggestion)` saying where the allowed names are.
 * The names become the JSON Schema's enum, so editors complete them.
 */
export function knownName<const T extends readonly [string, ...string[]]>(
  names: T,
  what: string,
  example: string,
  listing: (suggestion: string | undefined) => string,
  description?: string,
) {
  const schema = z.enum(names, {
    error: (issue) => {
      if (typeof issue.input !== 'string') return `must be ${what} such as ${example}`;
      const suggestion = closestMatch(issue.input, names);
      return `"${issue.input}" is not ${what}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ${listing(suggestion)}`;
    },
  });
  return description ? schema.describe(description) : schema;
}

/** A string matching `pattern`, with an error that says in words what is allowed. */
export function pattern(regex: RegExp, mustBe: string, description?: string) {
  const schema = z.string({ error: () => `must be ${mustBe}` }).regex(regex, { error: () => `must be ${mustBe}` });
  return description ? schema.describe(description) : schema;
}

function boundedInteger(min: number, max: number, mustBe: string, description: string) {
  const error = () => `must be ${mustBe}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).describe(description);
}

/** A whole number of days in [min, max]. */
export function days(min: number, max: number, description: string) {
  return boundedInteger(min, max, `a whole number of days from ${min} to ${max}`, description);
}

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max: number, description: string) {
  return boundedInteger(min, max, `a whole number from ${min} to ${max}`, description);
}

/** A list of unique strings. */
export function uniqueList<T extends z.ZodType<string>>(item: T, what: string, minItems = 0) {
  return z
    .array(item, { error: () => `must be a list of ${what}` })
    .min(minItems, { error: () => `must name at least ${minItems} ${what}` })
    .refine((list) => new Set(list).size === list.length, {
      error: (issue) => {
        const list = issue.input as string[];
        const repeated = list.filter((value, index) => list.indexOf(value) !== index);
        return `lists ${[...new Set(repeated)].map((r) => `"${r}"`).join(', ')} more than once`;
      },
    });
}
