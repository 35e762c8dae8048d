/**
 * Why the prop `name` with `value` is not a whole number in [min, max], or undefined when it is.
 * Shared by the constructs, which validate their props early (tokens are skipped by the caller, since
 * each toolchain encodes them its own way). Messages read `maxAzs (0) must be a whole number from 1 to 6`.
 */
export function wholeNumberProblem(name: string, value: number, min: number, max?: number, unit = ''): string | undefined {
  if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return undefined;
  const what = unit ? `a whole number of ${unit}` : 'a whole number';
  return `${name} (${value}) must be ${what}${max === undefined ? `, at least ${min}` : ` from ${min} to ${max}`}`;
}

/** Throws an Error with `wholeNumberProblem`'s message when the value is out of range. */
export function requireWholeNumber(name: string, value: number, min: number, max?: number, unit = ''): void {
  const problem = wholeNumberProblem(name, value, min, max, unit);
  if (problem) throw new Error(problem);
}
