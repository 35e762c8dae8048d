import { CRON_FIELDS, type CronField, cronProblem } from '../../lib/config';

/** A Data Factory schedule-trigger recurrence (frequency, interval and the optional schedule block). */
export interface DataFactoryRecurrence {
  readonly frequency: 'Minute' | 'Hour' | 'Day' | 'Week' | 'Month';
  readonly interval: number;
  readonly schedule?: {
    readonly minutes?: number[];
    readonly hours?: number[];
    readonly daysOfWeek?: string[];
    readonly daysOfMonth?: number[];
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function expand(part: string, field: CronField): number[] {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [low, high] = range === '*' ? [field.min, field.max] : range.includes('-') ? range.split('-').map(Number) : [Number(range), stepText ? field.max : Number(range)];
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The Data Factory recurrence of a five-field cron expression (UTC). Data Factory schedules run on
 * given minutes and hours of every day, of given weekdays or of given days of the month; the cron
 * expressions that need more (a month restriction, or cron's "day-of-month OR day-of-week" when both
 * are restricted) throw an Error that names `dataset` and says what to change.
 */
export function dataFactoryRecurrence(cron: string, dataset: string): DataFactoryRecurrence {
  const fail = (why: string): never => {
    throw new Error(`dataset "${dataset}": schedule "${cron}" cannot be a Data Factory schedule trigger: ${why}`);
  };
  const problem = cronProblem(cron);
  if (problem) fail(problem);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
  if (month !== '*') fail('Data Factory schedules cannot be limited to some months; use "*" for the month');
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    fail('cron runs when either the day of month or the day of week matches, which Data Factory cannot express; restrict only one of them');
  }
  const everyNMinutes = /^\*(?:\/([0-9]+))?$/.exec(minute);
  if (everyNMinutes && hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') {
    const step = Number(everyNMinutes[1] ?? 1);
    if (60 % step === 0) return { frequency: 'Minute', interval: step };
  }
  const minutes = expand(minute, CRON_FIELDS[0]);
  const hours = expand(hour, CRON_FIELDS[1]);
  if (dayOfWeek !== '*') {
    // Cron accepts 7 for Sunday in some dialects; the definition's validator allows 0-6 only.
    return { frequency: 'Week', interval: 1, schedule: { minutes, hours, daysOfWeek: expand(dayOfWeek, CRON_FIELDS[4]).map((day) => WEEKDAYS[day]) } };
  }
  if (dayOfMonth !== '*') {
    return { frequency: 'Month', interval: 1, schedule: { minutes, hours, daysOfMonth: expand(dayOfMonth, CRON_FIELDS[2]) } };
  }
  return { frequency: 'Day', interval: 1, schedule: { minutes, hours } };
}
