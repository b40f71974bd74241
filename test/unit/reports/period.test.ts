/** Report periods: comparison periods, trend periods and French labels. */
import { comparisonPeriod, lengthInDays, longDay, periodLabel, previousPeriod, sameLastYear, shortLabel, trendPeriods, wholeMonths } from '../../../server/reports/period';

describe('previousPeriod', () => {
  it.each([
    ['whole months move by months', { from: '2018-10-01', to: '2018-11-30' }, { from: '2018-08-01', to: '2018-09-30' }],
    ['a quarter', { from: '2019-04-01', to: '2019-06-30' }, { from: '2019-01-01', to: '2019-03-31' }],
    ['a month into February', { from: '2019-03-01', to: '2019-03-31' }, { from: '2019-02-01', to: '2019-02-28' }],
    ['a year', { from: '2019-01-01', to: '2019-12-31' }, { from: '2018-01-01', to: '2018-12-31' }],
    ['any other period moves by its length', { from: '2019-05-15', to: '2019-06-30' }, { from: '2019-03-29', to: '2019-05-14' }],
    ['a single day', { from: '2019-09-09', to: '2019-09-09' }, { from: '2019-09-08', to: '2019-09-08' }],
  ])('when %s, then the previous period is right', (_what, p, expected) => {
    expect(previousPeriod(p)).toEqual(expected);
    expect(lengthInDays(expected)).toBe(wholeMonths(p) ? lengthInDays(expected) : lengthInDays(p));
  });
});

describe('sameLastYear', () => {
  it.each([
    [{ from: '2019-05-15', to: '2019-06-30' }, { from: '2018-05-15', to: '2018-06-30' }],
    [{ from: '2020-02-29', to: '2020-03-10' }, { from: '2019-02-28', to: '2019-03-10' }],
    [{ from: '2020-02-01', to: '2020-02-29' }, { from: '2019-02-01', to: '2019-02-28' }],
  ])('when the period is %j, then a year earlier is %j', (p, expected) => {
    expect(sameLastYear(p)).toEqual(expected);
  });
});

describe('comparisonPeriod and trendPeriods', () => {
  const p = { from: '2018-10-01', to: '2018-11-30' };
  it('when no comparison is asked, then there is none', () => {
    expect(comparisonPeriod(p, 'none')).toBeNull();
    expect(comparisonPeriod(p, 'last_year')).toEqual({ from: '2017-10-01', to: '2017-11-30' });
  });
  it('then the trend is the period and the ones before it, oldest first', () => {
    expect(trendPeriods(p, 4).map((x) => x.from)).toEqual(['2018-04-01', '2018-06-01', '2018-08-01', '2018-10-01']);
  });
});

describe('labels', () => {
  it.each([
    [{ from: '2018-10-01', to: '2018-11-30' }, 'oct.–nov. 2018', 'du 1er octobre 2018 au 30 novembre 2018'],
    [{ from: '2019-06-01', to: '2019-06-30' }, 'juin 2019', 'du 1er juin 2019 au 30 juin 2019'],
    [{ from: '2019-01-01', to: '2019-12-31' }, '2019', 'du 1er janvier 2019 au 31 décembre 2019'],
    [{ from: '2018-12-01', to: '2019-01-31' }, 'déc. 2018–janv. 2019', 'du 1er décembre 2018 au 31 janvier 2019'],
    [{ from: '2019-05-15', to: '2019-06-30' }, '15 mai–30 juin 2019', 'du 15 mai 2019 au 30 juin 2019'],
  ])('when the period is %j, then it reads %j and %j', (p, short, long) => {
    expect(shortLabel(p)).toBe(short);
    expect(periodLabel(p)).toBe(long);
  });
  it('then the first of the month reads « 1er »', () => {
    expect(longDay('2019-09-01')).toBe('1er septembre 2019');
    expect(longDay('2019-09-09')).toBe('9 septembre 2019');
  });
  it('when a date is not a calendar day, then it is refused', () => {
    expect(() => longDay('2019-02-30')).toThrow(RangeError);
  });
});
