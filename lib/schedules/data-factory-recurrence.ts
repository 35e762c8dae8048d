import { CRON_FIELDS, cronFieldValues, cronProblem } from './cron';

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

/**
 * Why a valid five-field cron expression (UTC) cannot be a Data Factory schedule trigger, or undefined
 * when it can. Data Factory schedules run on given minutes and hours of every day, of given weekdays or
 * of given days of the month; a month restriction, or cron's "day-of-month OR day-of-week" when both are
 * restricted, cannot be expressed. Validation calls this for every batch dataset of an Azure environment.
 */
export function dataFactoryScheduleProblem(cron: string): string | undefined {
  const problem = cronProblem(cron);
  if (problem) return problem;
  const [, , dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
  if (month !== '*') return 'Data Factory schedules cannot be limited to some months; use "*" for the month';
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    return 'cron runs when either the day of month or the day of week matches, which Data Factory cannot express; restrict only one of them';
  }
  return undefined;
}

/**
 * The Data Factory recurrence of a five-field cron expression (UTC); throws an Error that names
 * `dataset` and says what to change when `dataFactoryScheduleProblem` finds one.
 */
export function dataFactoryRecurrence(cron: string, dataset: string): DataFactoryRecurrence {
  const problem = dataFactoryScheduleProblem(cron);
  if (problem) throw new Error(`dataset "${dataset}": schedule "${cron}" cannot be a Data Factory schedule trigger: ${problem}`);
  const [minute, hour, dayOfMonth, , dayOfWeek] = cron.trim().split(/\s+/);
  const everyNMinutes = /^\*(?:\/([0-9]+))?$/.exec(minute);
  if (everyNMinutes && hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') {
    const step = Number(everyNMinutes[1] ?? 1);
    if (60 % step === 0) return { frequency: 'Minute', interval: step };
  }
  const minutes = cronFieldValues(minute, CRON_FIELDS[0]);
  const hours = cronFieldValues(hour, CRON_FIELDS[1]);
  if (dayOfWeek !== '*') {
    // Cron accepts 7 for Sunday in some dialects; the definition's validator allows 0-6 only.
    return { frequency: 'Week', interval: 1, schedule: { minutes, hours, daysOfWeek: cronFieldValues(dayOfWeek, CRON_FIELDS[4]).map((day) => WEEKDAYS[day]) } };
  }
  if (dayOfMonth !== '*') {
    return { frequency: 'Month', interval: 1, schedule: { minutes, hours, daysOfMonth: cronFieldValues(dayOfMonth, CRON_FIELDS[2]) } };
  }
  return { frequency: 'Day', interval: 1, schedule: { minutes, hours } };
}
