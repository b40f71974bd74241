import { formatDate, formatNumber, formatPercent } from '../../server/format';

describe('French formats', () => {
  it.each([
    [0.94, '94\u202f%'],
    [0.875, '88\u202f%'],
    [1, '100\u202f%'],
    [0, '0\u202f%'],
    [null, '–'],
    [Number.NaN, '–'],
  ])('formatPercent(%p) = %p', (v, out) => expect(formatPercent(v)).toBe(out));

  it.each([
    [1.5, 1, '1,5'],
    [1234.5, 1, '1\u202f234,5'],
    [3.4, 1, '3,4'],
    [22, 0, '22'],
  ])('formatNumber(%p, %p) = %p', (v, d, out) => expect(formatNumber(v, d)).toBe(out));

  it('when a date is given in UTC, then it is printed in Europe/Paris in words', () => {
    expect(formatDate(new Date('2019-09-09T08:00:00Z'))).toBe('9 septembre 2019');
    // 23:30 UTC on 31 Dec is already 1 January in Paris.
    expect(formatDate(new Date('2019-12-31T23:30:00Z'))).toBe('1 janvier 2020');
  });
});
