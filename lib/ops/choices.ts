import { closestMatch } from '../config/closest-match';
import { UsageError } from './errors';

/**
 * The error for a name that is not one of `valid`: it names the bad value, suggests the closest valid
 * one when it is a likely typo, and lists them all, e.g.
 * `unknown environment "prdo" (did you mean "prod"?); environments: dev, staging, prod`.
 */
export function unknownChoiceError(what: string, value: string, valid: readonly string[], plural = `${what}s`): UsageError {
  const suggestion = closestMatch(value, valid);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  return new UsageError(`unknown ${what} "${value}"${hint}; ${plural}: ${valid.join(', ') || '(none)'}`);
}
