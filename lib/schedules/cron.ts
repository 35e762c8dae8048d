/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), the one schedule syntax of
 * the platform definition. Each cloud's own syntax (EventBridge Scheduler, Data Factory recurrence,
 * Databricks Quartz) is derived from it, so the definition never carries a cloud-specific dialect.
 */
export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
];

function fieldProblem(part: string, field: CronField): string | undefined {
  for (const item of part.split(',')) {
    const [range, step, ...extra] = item.split('/');
    if (extra.length > 0 || (step !== undefined && !/^[1-9][0-9]*$/.test(step))) {
      return `${field.name} "${part}" has an invalid step`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some((b) => !/^[0-9]+$/.test(b))) {
      return `${field.name} "${part}" must be *, a number, a range a-b, a list or a step`;
    }
    const numbers = bounds.map(Number);
    if (numbers.some((n) => n < field.min || n > field.max)) {
      return `${field.name} "${part}" must stay within ${field.min}-${field.max}`;
    }
    if (numbers.length === 2 && numbers[0] > numbers[1]) {
      return `${field.name} range "${range}" runs backwards`;
    }
  }
  return undefined;
}

/** Why `expression` is not a valid five-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== CRON_FIELDS.length) {
    return `has ${parts.length} field${parts.length === 1 ? '' : 's'}; expected 5 (minute hour day-of-month month day-of-week)`;
  }
  for (let i = 0; i < parts.length; i++) {
    const problem = fieldProblem(parts[i], CRON_FIELDS[i]);
    if (problem) return problem;
  }
  return undefined;
}

/** Every value a valid cron field matches, ascending (every 15th minute gives 0, 15, 30, 45). */
export function cronFieldValues(part: string, field: CronField): number[] {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [low, high] =
      range === '*' ? [field.min, field.max] : range.includes('-') ? range.split('-').map(Number) : [Number(range), stepText ? field.max : Number(range)];
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The longest gap, in minutes, between two runs of a valid expression within a week (approximating
 * day-of-month schedules as at most monthly). Freshness expectations are derived from it.
 */
export function longestIntervalMinutes(expression: string): number {
  const [minute, hour, dayOfMonth, month, dayOfWeek] = expression.trim().split(/\s+/);
  if (dayOfMonth !== '*' || month !== '*') return 31 * 24 * 60;
  const minutes = cronFieldValues(minute, CRON_FIELDS[0]);
  const hours = cronFieldValues(hour, CRON_FIELDS[1]);
  const weekdays = cronFieldValues(dayOfWeek, CRON_FIELDS[4]);
  const runs: number[] = [];
  for (const d of weekdays) for (const h of hours) for (const m of minutes) runs.push(d * 1440 + h * 60 + m);
  runs.sort((a, b) => a - b);
  const week = 7 * 1440;
  let longest = 0;
  for (let i = 0; i < runs.length; i++) {
    const next = i + 1 < runs.length ? runs[i + 1] : runs[0] + week;
    longest = Math.max(longest, next - runs[i]);
  }
  return longest;
}
