import { tumblingWindowOf, tumblingWindowProblem } from '../../lib/schedules';

describe('tumblingWindowOf', () => {
  test.each([
    ['*/15 * * * *', { frequency: 'Minute', interval: 15, startTime: '2026-01-01T00:00:00Z' }],
    ['* * * * *', { frequency: 'Minute', interval: 1, startTime: '2026-01-01T00:00:00Z' }],
    ['15 * * * *', { frequency: 'Hour', interval: 1, startTime: '2026-01-01T00:15:00Z' }],
    ['5 2 * * *', { frequency: 'Hour', interval: 24, startTime: '2026-01-01T02:05:00Z' }],
  ])('%s is back-to-back windows of one size', (cron, window) => {
    expect(tumblingWindowOf(cron, 'customers')).toEqual(window);
    expect(tumblingWindowProblem(cron)).toBeUndefined();
  });

  test.each(['*/7 * * * *', '15 6,18 * * *', '0 6 * * 1-5', '0 0 1 * *', '0 */2 * * *'])(
    'fails when "%s" has windows of different sizes, naming the dataset',
    (cron) => {
      expect(() => tumblingWindowOf(cron, 'customers')).toThrow(
        new RegExp(
          `^dataset "customers": schedule "${cron.replace(/[*]/g, '\\*')}" cannot be a tumbling window: ` +
            'change capture from SQL Server reads back-to-back windows',
        ),
      );
    },
  );

  test('fails when the cron expression is not valid', () => {
    expect(tumblingWindowProblem('61 * * * *')).toMatch(/minute/);
  });
});
