import { cronProblem, longestIntervalMinutes } from '../../lib/schedules/cron';

describe('cron expressions', () => {
  test.each(['0 * * * *', '*/15 * * * *', '30 2 * * 1-5', '0 6,18 * * *', '0 0 1 * *'])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  test.each([
    ['0 * * *', 'has 4 fields; expected 5 (minute hour day-of-month month day-of-week)'],
    ['60 * * * *', 'minute "60" must stay within 0-59'],
    ['0 5-2 * * *', 'hour range "5-2" runs backwards'],
    ['0 * * * mon', 'day-of-week "mon" must be *, a number, a range a-b, a list or a step'],
    ['*/0 * * * *', 'minute "*/0" has an invalid step'],
  ])('fails when the expression is %s', (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });

  test.each([
    ['0 * * * *', 60],
    ['*/15 * * * *', 15],
    ['30 2 * * *', 1440],
    ['0 6,18 * * *', 720],
    ['0 8 * * 1-5', 3 * 1440],
    ['0 0 1 * *', 31 * 1440],
  ])('the longest gap of %s is %i minutes', (expression, minutes) => {
    expect(longestIntervalMinutes(expression)).toBe(minutes);
  });
});
