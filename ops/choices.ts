import { unknownChoiceMessage } from '../lib/pipelines';
import { UsageError } from './errors';

/**
 * The error for a name that is not one of `valid`: it names the bad value, suggests the closest valid
 * one when it is a likely typo, and lists them all, e.g.
 * `unknown environment "prdo" (did you mean "prod"?); environments: dev, staging, prod`.
 */
export function unknownChoiceError(what: string, value: string, valid: readonly string[], plural = `${what}s`): UsageError {
  return new UsageError(unknownChoiceMessage(what, value, valid, plural));
}
