import { cronProblem } from './cron';

/**
 * The Quartz expression (seconds minutes hours day-of-month month day-of-week) Databricks job schedules
 * use, from a five-field cron expression of the definition. Quartz wants `?` in exactly one of the two
 * day fields and numbers weekdays 1-7 from Sunday, where cron numbers them 0-6 from Sunday.
 */
export function quartzCronExpression(expression: string): string {
  const problem = cronProblem(expression);
  if (problem) throw new Error(`quartzCronExpression: "${expression}" ${problem}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = expression.trim().split(/\s+/);
  // Only the day numbers shift; a step (`/2`) stays as it is.
  const shiftDays = (part: string) =>
    part
      .split(',')
      .map((item) => {
        const [range, step] = item.split('/');
        const shifted = range.replace(/[0-9]+/g, (day) => String(Number(day) + 1));
        return step === undefined ? shifted : `${shifted}/${step}`;
      })
      .join(',');
  const weekdays = dayOfWeek === '*' ? '?' : shiftDays(dayOfWeek);
  const days = dayOfWeek === '*' ? dayOfMonth : dayOfMonth === '*' ? '?' : undefined;
  if (days === undefined) {
    throw new Error(
      `quartzCronExpression: "${expression}" restricts both day-of-month and day-of-week; Databricks (Quartz) schedules can restrict only one of them`,
    );
  }
  return `0 ${minute} ${hour} ${days} ${month} ${weekdays}`;
}
