import { CRON_FIELDS, type CronField, cronFieldValues, cronProblem } from './cron';

/**
 * The EventBridge Scheduler form of the definition's five-field cron expressions (UTC):
 * `cron(minutes hours day-of-month month day-of-week year)`, where
 * - exactly one of day-of-month and day-of-week is `?` (Scheduler's "no specific value"),
 * - day-of-week counts 1-7 from Sunday (cron counts 0-6 from Sunday),
 * - a step applies to a starting value (`0/15`), not to `*`, and day-of-week takes no step at all.
 *
 * | definition      | Scheduler                 |
 * |-----------------|---------------------------|
 * | `15 * * * *`    | `cron(15 * * * ? *)`      |
 * | `*\/15 * * * *` | `cron(0/15 * * * ? *)`    |
 * | `0 7 * * 1-5`   | `cron(0 7 ? * 2-6 *)`     |
 * | `0 1 1,15 * *`  | `cron(0 1 1,15 * ? *)`    |
 * | `0 1 * * *\/2`  | `cron(0 1 ? * 1,3,5,7 *)` |
 */

/** Why a five-field cron expression cannot be an EventBridge Scheduler schedule, or undefined when it can. */
export function schedulerCronProblem(cron: string): string | undefined {
  const problem = cronProblem(cron);
  if (problem) return problem;
  const [, , dayOfMonth, , dayOfWeek] = cron.trim().split(/\s+/);
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    return (
      'cron runs when either the day of month or the day of week matches, which one EventBridge Scheduler ' +
      'cron expression cannot express (one of them must be "?"); restrict only one of them'
    );
  }
  return undefined;
}

/** A field with `*` steps anchored at the field's first value and ranges with steps listed out. */
function schedulerField(part: string, field: CronField): string {
  return part
    .split(',')
    .map((item) => {
      const [range, step] = item.split('/');
      if (step === undefined) return item;
      if (range === '*') return `${field.min}/${step}`;
      if (!range.includes('-')) return item;
      return cronFieldValues(item, field).join(',');
    })
    .join(',');
}

/** Day-of-week from cron's 0-6 (Sunday 0) to Scheduler's 1-7 (Sunday 1), without steps. */
function schedulerDayOfWeek(part: string): string {
  return part
    .split(',')
    .map((item) => {
      if (item.includes('/') || item === '*')
        return cronFieldValues(item, CRON_FIELDS[4])
          .map((day) => day + 1)
          .join(',');
      return item
        .split('-')
        .map((day) => Number(day) + 1)
        .join('-');
    })
    .join(',');
}

/**
 * `cron(...)` for EventBridge Scheduler from a five-field cron expression (UTC); throws an Error that
 * names `dataset` and says what to change when `schedulerCronProblem` finds a problem.
 */
export function schedulerCronExpression(cron: string, dataset: string): string {
  const problem = schedulerCronProblem(cron);
  if (problem) throw new Error(`dataset "${dataset}": schedule "${cron}" cannot be an EventBridge Scheduler schedule: ${problem}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
  const fields = [schedulerField(minute, CRON_FIELDS[0]), schedulerField(hour, CRON_FIELDS[1])];
  if (dayOfWeek === '*') fields.push(schedulerField(dayOfMonth, CRON_FIELDS[2]), schedulerField(month, CRON_FIELDS[3]), '?');
  else fields.push('?', schedulerField(month, CRON_FIELDS[3]), schedulerDayOfWeek(dayOfWeek));
  return `cron(${[...fields, '*'].join(' ')})`;
}
