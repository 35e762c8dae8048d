import { closestMatch, editDistance } from '../../lib/definition/closest-match';

describe('closestMatch', () => {
  test.each([
    ['dve', ['dev', 'staging', 'prod'], 'dev'],
    ['costCentre', ['prefix', 'owner', 'costCenter'], 'costCenter'],
    ['analyst', ['analysts', 'data-science'], 'analysts'],
    ['xyz', ['dev', 'staging', 'prod'], undefined],
  ])('suggests for %s', (value, candidates, expected) => {
    expect(closestMatch(value, candidates)).toBe(expected);
  });

  test('counts a swap of adjacent characters as one edit', () => {
    expect(editDistance('dve', 'dev')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
