import { quartzCronExpression } from '../../lib/schedules/quartz-cron';

describe('quartzCronExpression', () => {
  test.each([
    ['0 5 * * *', '0 0 5 * * ?'],
    ['15 * * * *', '0 15 * * * ?'],
    ['0 7 * * 1-5', '0 0 7 ? * 2-6'],
    ['30 2 1 * *', '0 30 2 1 * ?'],
    ['0 */6 * * 0,6', '0 0 */6 ? * 1,7'],
    ['0 0 * * 1/2', '0 0 0 ? * 2/2'],
  ])('turns %s into %s', (cron, quartz) => {
    expect(quartzCronExpression(cron)).toBe(quartz);
  });

  test('fails when both day fields are restricted', () => {
    expect(() => quartzCronExpression('0 1 1 * 1')).toThrow(
      '"0 1 1 * 1" restricts both day-of-month and day-of-week; Databricks (Quartz) schedules can restrict only one of them',
    );
  });

  test('fails when the expression is not cron', () => {
    expect(() => quartzCronExpression('hourly')).toThrow('quartzCronExpression: "hourly" has 1 field; expected 5');
  });
});
