import { dataFactoryRecurrence, dataFactoryScheduleProblem } from '../../lib/schedules/data-factory-recurrence';

const allHours = Array.from({ length: 24 }, (_, hour) => hour);

describe('dataFactoryRecurrence', () => {
  test.each<[string, object]>([
    ['*/15 * * * *', { frequency: 'Minute', interval: 15 }],
    ['* * * * *', { frequency: 'Minute', interval: 1 }],
    ['15 * * * *', { frequency: 'Day', interval: 1, schedule: { minutes: [15], hours: allHours } }],
    ['30 2 * * *', { frequency: 'Day', interval: 1, schedule: { minutes: [30], hours: [2] } }],
    ['0 6,18 * * *', { frequency: 'Day', interval: 1, schedule: { minutes: [0], hours: [6, 18] } }],
    ['0 */6 * * *', { frequency: 'Day', interval: 1, schedule: { minutes: [0], hours: [0, 6, 12, 18] } }],
    [
      '0 7 * * 1-5',
      { frequency: 'Week', interval: 1, schedule: { minutes: [0], hours: [7], daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] } },
    ],
    ['0 1 1,15 * *', { frequency: 'Month', interval: 1, schedule: { minutes: [0], hours: [1], daysOfMonth: [1, 15] } }],
    ['*/7 * * * *', { frequency: 'Day', interval: 1, schedule: { minutes: [0, 7, 14, 21, 28, 35, 42, 49, 56], hours: allHours } }],
  ])('converts "%s"', (cron, recurrence) => {
    expect(dataFactoryRecurrence(cron, 'orders')).toEqual(recurrence);
  });

  test('fails when the schedule is limited to some months, naming the dataset', () => {
    expect(() => dataFactoryRecurrence('0 1 * 1-3 *', 'orders')).toThrow(
      'dataset "orders": schedule "0 1 * 1-3 *" cannot be a Data Factory schedule trigger: Data Factory ' +
        'schedules cannot be limited to some months; use "*" for the month',
    );
  });

  test('fails when both day of month and day of week are restricted', () => {
    expect(() => dataFactoryRecurrence('0 1 1 * 1', 'orders')).toThrow(
      'dataset "orders": schedule "0 1 1 * 1" cannot be a Data Factory schedule trigger: cron runs when either the day of month or the day of week matches',
    );
  });

  test('fails when the expression is not valid cron', () => {
    expect(() => dataFactoryRecurrence('0 25 * * *', 'orders')).toThrow(
      'dataset "orders": schedule "0 25 * * *" cannot be a Data Factory schedule trigger: hour "25" must stay within 0-23',
    );
  });

  test('has no problem with schedules it can express', () => {
    expect(dataFactoryScheduleProblem('0 7 * * 1-5')).toBeUndefined();
  });
});
