import { schedulerCronExpression, schedulerCronProblem } from '../../lib/schedules/scheduler-cron';

describe('schedulerCronExpression', () => {
  test.each<[string, string]>([
    ['15 * * * *', 'cron(15 * * * ? *)'],
    ['0 * * * *', 'cron(0 * * * ? *)'],
    ['* * * * *', 'cron(* * * * ? *)'],
    ['*/15 * * * *', 'cron(0/15 * * * ? *)'],
    ['5/10 * * * *', 'cron(5/10 * * * ? *)'],
    ['0 */6 * * *', 'cron(0 0/6 * * ? *)'],
    ['0 6,18 * * *', 'cron(0 6,18 * * ? *)'],
    ['10-40/10 2 * * *', 'cron(10,20,30,40 2 * * ? *)'],
    ['30 2 * * *', 'cron(30 2 * * ? *)'],
    ['0 7 * * 1-5', 'cron(0 7 ? * 2-6 *)'],
    ['0 7 * * 0', 'cron(0 7 ? * 1 *)'],
    ['0 7 * * 6,0', 'cron(0 7 ? * 7,1 *)'],
    ['0 1 * * */2', 'cron(0 1 ? * 1,3,5,7 *)'],
    ['0 1 * * 1-5/2', 'cron(0 1 ? * 2,4,6 *)'],
    ['0 1 1,15 * *', 'cron(0 1 1,15 * ? *)'],
    ['0 1 */2 * *', 'cron(0 1 1/2 * ? *)'],
    ['0 1 1 */3 *', 'cron(0 1 1 1/3 ? *)'],
    ['0 1 * 1-3 *', 'cron(0 1 * 1-3 ? *)'],
    ['0 1 * 6 1', 'cron(0 1 ? 6 2 *)'],
  ])('converts "%s" to "%s"', (cron, expected) => {
    expect(schedulerCronExpression(cron, 'orders')).toBe(expected);
  });

  test('fails when both day of month and day of week are restricted, naming the dataset', () => {
    expect(() => schedulerCronExpression('0 1 1 * 1', 'orders')).toThrow(
      'dataset "orders": schedule "0 1 1 * 1" cannot be an EventBridge Scheduler schedule: cron runs when either the day of month or the day of week matches',
    );
  });

  test('fails when the expression is not valid cron', () => {
    expect(() => schedulerCronExpression('0 25 * * *', 'orders')).toThrow(
      'dataset "orders": schedule "0 25 * * *" cannot be an EventBridge Scheduler schedule: hour "25" must stay within 0-23',
    );
  });

  test('has no problem with schedules it can express', () => {
    expect(schedulerCronProblem('0 7 * * 1-5')).toBeUndefined();
    expect(schedulerCronProblem('0 7 1 * *')).toBeUndefined();
  });
});
