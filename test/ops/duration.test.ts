import { formatDuration, parseDuration } from '../../ops/duration';
import { UsageError } from '../../ops/errors';

describe('durations', () => {
  test.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['2h', 7_200_000],
    ['45', 45_000],
    ['500ms', 500],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', 'soon', '10x', '-5m', '0s', '5 m'])('fails when the duration is %p', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
    expect(() => parseDuration(text)).toThrow('use a positive number with a unit, e.g. 90s, 30m, 1h30m');
  });

  test('formats elapsed times for people', () => {
    expect(formatDuration(4_200)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
});
