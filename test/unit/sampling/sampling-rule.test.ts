import crypto from 'node:crypto';
import {
  drawWeek, isMonday, mondaysOf, parseRule, ruleKey, ruleLabel, samplingPeriod, weekBounds, weekInMonth, weekLabel,
} from '../../../server/sampling/sampling-rule';

const HOUR = 3600_000;

describe('week bounds (Monday 00:00 → next Monday 00:00, Paris time)', () => {
  it.each<[string, string, string, number]>([
    ['a summer week', '2019-07-08', '2019-07-07T22:00:00.000Z', 168],
    ['a winter week', '2019-01-07', '2019-01-06T23:00:00.000Z', 168],
    // Clocks go forward on Sunday 31 March 2019: the week is one hour short.
    ['the week of the March DST change', '2019-03-25', '2019-03-24T23:00:00.000Z', 167],
    // Clocks go back on Sunday 27 October 2019: the week is one hour long.
    ['the week of the October DST change', '2019-10-21', '2019-10-20T22:00:00.000Z', 169],
  ])('when it is %s (Monday %s), then it starts at %s and lasts %p hours', (_, monday, start, hours) => {
    const b = weekBounds(monday);
    expect(b.start.toISOString()).toBe(start);
    expect((b.end.getTime() - b.start.getTime()) / HOUR).toBe(hours);
  });

  it('when weeks follow each other, then each ends where the next begins', () => {
    expect(weekBounds('2019-03-25').end).toEqual(weekBounds('2019-04-01').start);
    expect(weekBounds('2019-10-21').end).toEqual(weekBounds('2019-10-28').start);
  });
});

describe('the weeks of a month (those whose Monday lies in it)', () => {
  it.each<[string, string[]]>([
    // 1 September 2019 is a Sunday: it belongs to the last week of August.
    ['2019-09-01', ['2019-09-02', '2019-09-09', '2019-09-16', '2019-09-23', '2019-09-30']],
    ['2019-08-01', ['2019-08-05', '2019-08-12', '2019-08-19', '2019-08-26']],
    ['2019-07-01', ['2019-07-01', '2019-07-08', '2019-07-15', '2019-07-22', '2019-07-29']],
    ['2021-02-01', ['2021-02-01', '2021-02-08', '2021-02-15', '2021-02-22']],
  ])('when the month is %s, then its weeks start on %p', (month, mondays) => {
    expect(mondaysOf(month)).toEqual(mondays);
  });

  it.each<[string, string, boolean]>([
    ['2019-09-30', '2019-09-01', true],
    ['2019-09-30', '2019-10-01', false],
    ['2019-09-02', '2019-08-01', false],
    ['2019-09-03', '2019-09-01', false],
  ])('when the Monday is %s and the month %s, then it is in the month: %p', (monday, month, expected) => {
    expect(weekInMonth(monday, month)).toBe(expected);
  });
});

describe('drawing a week', () => {
  it('when the random index takes each value, then each of the month\'s Mondays is drawn in turn', () => {
    const mondays = mondaysOf('2019-09-01');
    expect(mondays.map((_, i) => drawWeek('2019-09-01', () => i))).toEqual(mondays);
  });

  it.each(['2019-09-01', '2019-12-01', '2020-02-01', '2021-02-01', '2019-03-01'])('when drawn with node:crypto for %s, then it is always a Monday inside the month', (month) => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const monday = drawWeek(month, (n) => crypto.randomInt(n));
      expect(isMonday(monday) && weekInMonth(monday, month)).toBe(true);
      seen.add(monday);
    }
    // 300 fair draws among 4 or 5 weeks miss one with a negligible probability.
    expect([...seen].sort()).toEqual(mondaysOf(month));
  });

  it.each([-1, 5, 1.5, Number.NaN])('when the random source gives %p, then the draw is refused', (i) => {
    expect(() => drawWeek('2019-09-01', () => i)).toThrow(RangeError);
  });
});

describe('parsing and printing the rule', () => {
  it.each(['all', 'first:25', 'week:2019-07-08', 'random-week:2019-09-30', 'week:2020-02-24'])('when the key is %p, then it parses and prints back the same', (key) => {
    const rule = parseRule(key);
    expect(rule).not.toBeNull();
    expect(ruleKey(rule!)).toBe(key);
    expect(parseRule(ruleKey(rule!))).toEqual(rule);
  });

  it.each([
    'week', 'week:', 'random-week', 'week:2019-07-09', 'random-week:2019-07-07', 'week:2019-02-30', 'week:2019-7-8',
    'week:2019-07-08x', ' week:2019-07-08', 'month:2019-07', 'first:abc', 'random-week:2019-07-08:2019-08-02',
  ])('when the key is %p, then it is refused', (key) => {
    expect(parseRule(key)).toBeNull();
  });

  it.each<[string, string]>([
    ['2019-07-08', 'du 8 au 14 juillet 2019'],
    ['2019-07-01', 'du 1er au 7 juillet 2019'],
    ['2019-09-30', 'du 30 septembre au 6 octobre 2019'],
    ['2019-12-30', 'du 30 décembre 2019 au 5 janvier 2020'],
    ['2019-07-29', 'du 29 juillet au 4 août 2019'],
  ])('when the week starts on %s, then it reads « %s »', (monday, label) => {
    expect(weekLabel(monday)).toBe(label);
  });

  it('when a week was chosen, then the label says which and that the referent chose it', () => {
    expect(ruleLabel({ kind: 'week', monday: '2019-07-08' })).toContain('tous les courriels d’usagers reçus la semaine du 8 au 14 juillet 2019, choisie par le référent ;');
  });

  it('when a week was drawn, then the label says which, when and by whom', () => {
    const label = ruleLabel({ kind: 'random-week', monday: '2019-07-08' }, { at: new Date('2019-08-02T08:30:00Z'), by: 'Jeanne Martin' });
    expect(label).toContain('la semaine du 8 au 14 juillet 2019, tirée au sort le 2 août 2019 par Jeanne Martin ;');
    expect(label).toMatch(/^Échantillon \(réglage du référent\) : /);
  });

  it('when the month rules are printed, then they read as before', () => {
    expect(ruleLabel({ kind: 'all' })).toContain('tous les courriels d’usagers reçus dans le mois ;');
    expect(ruleLabel({ kind: 'first', n: 10 })).toContain('les 10 premiers courriels d’usagers reçus dans le mois ;');
  });
});

describe('what a run reads', () => {
  it('when the rule is a week, then messages of that week only, replies up to 21 days after it', () => {
    const p = samplingPeriod({ kind: 'random-week', monday: '2019-07-08' }, '2019-07-01');
    expect(p.start.toISOString()).toBe('2019-07-07T22:00:00.000Z');
    expect(p.end.toISOString()).toBe('2019-07-14T22:00:00.000Z');
    expect(p.replyUntil.toISOString()).toBe('2019-08-04T22:00:00.000Z');
  });

  it('when the rule is about the month, then the whole month, replies up to 21 days after it', () => {
    const p = samplingPeriod({ kind: 'all' }, '2019-08-01');
    expect(p.start.toISOString()).toBe('2019-07-31T22:00:00.000Z');
    expect(p.end.toISOString()).toBe('2019-08-31T22:00:00.000Z');
    expect(p.replyUntil.toISOString()).toBe('2019-09-21T22:00:00.000Z');
  });
});
