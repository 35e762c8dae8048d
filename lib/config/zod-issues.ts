import type { z } from 'zod';
import type { ConfigIssue } from './issue';

const MAX_VALUE_LENGTH = 60;

/** A bad value as it would read in YAML, shortened. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

/**
 * Fallback wording for issues whose schema gives no message of its own: say what is allowed, in the
 * same "must ..." form the schema's own messages use.
 */
export const fallbackErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : article(issue.expected)}`;
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? showValue(issue.values[0]) : `one of: ${issue.values.map((v) => showValue(v)).join(', ')}`}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
};

/** Turns zod's issues into the definition's issues: path, the bad value, and what is allowed. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue | ConfigIssue[] => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let input = (issue as { input?: unknown }).input;
    // A union of a scalar and a mapping (`cdc: true` or `cdc: { scdType: 2 }`) reports a mapping with a bad
    // field as a failure of the whole union: report the mapping's own issues, at their fields.
    if (issue.code === 'invalid_union' && input && typeof input === 'object' && !Array.isArray(input)) {
      const mapping = issue.errors.find((option) => option.length > 0 && option.every((inner) => inner.path.length > 0));
      if (mapping) return fromZodIssues(mapping.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
    }
    // A discriminated union reports the whole object; the bad value is its discriminator.
    const last = path[path.length - 1];
    if (issue.code === 'invalid_union' && typeof last === 'string' && input && typeof input === 'object' && last in input) {
      input = (input as Record<string, unknown>)[last];
    }
    if (issue.code === 'unrecognized_keys' || issue.code === 'custom') return { path, message: issue.message };
    if (input === undefined) {
      return { path, message: issue.message.startsWith('must') ? `is required; it ${issue.message}` : `is required (${issue.message})` };
    }
    if (issue.message.startsWith('must') || issue.message.startsWith('lists')) {
      return { path, message: `${showValue(input)} ${issue.message}` };
    }
    return { path, message: issue.message };
  });
}
