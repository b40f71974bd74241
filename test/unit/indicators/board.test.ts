import { addMonths, buildBoard, formatChange, formatValue, lostCallsByBureau, previousMonth, verdictOf, yearToDate, type MonthValue } from '../../../server/indicators/board';
import { indicatorCatalogue } from '../../../server/indicators/catalogue';
import { complaintDeadline, complaintDelay } from '../../../server/complaints/complaint-calendar';
import { figuresLine } from '../../../server/complaints/complaint-figures';

const ind = (id: string) => indicatorCatalogue().byId.get(id)!;
const mv = (indicatorId: string, month: string, value: number, num: number | null = null, den: number | null = null, breakdown = ''): MonthValue =>
  ({ indicatorId, month, breakdown, value, numerator: num, denominator: den, source: 'typed' });

describe('months', () => {
  it.each([['2019-07-01', -1, '2019-06-01'], ['2019-01-01', -1, '2018-12-01'], ['2019-12-01', 1, '2020-01-01'], ['2019-07-01', -12, '2018-07-01']])('addMonths(%s, %d) = %s', (m, n, r) => {
    expect(addMonths(m, n)).toBe(r);
  });
  it('when it is 1 August in Paris (31 July 23:30 UTC), then the board opens on July', () => {
    expect(previousMonth(new Date('2019-07-31T22:30:00Z'))).toBe('2019-07-01');
  });
});

describe('verdicts and formats', () => {
  it.each([
    ['appels-aboutis', 94, 90, 'met'], ['appels-aboutis', 89.6, 90, 'met'], ['appels-aboutis', 89.4, 90, 'missed'],
    ['site-maj-3j', 3, 3, 'met'], ['site-maj-3j', 4, 3, 'missed'], ['twitter-engagement', 2.75, 3, 'missed'], ['point-numerique-visiteurs', 200, null, null],
  ] as const)('%s at %d against %s is %s', (id, v, t, verdict) => {
    expect(verdictOf(ind(id), v, t)).toBe(verdict);
  });
  it.each([
    ['appels-aboutis', 94.04, '94\u202f%'], ['twitter-engagement', 2.75, '2,75\u202f%'], ['reclamations-delai', 4, '4 jours'], ['reclamations-delai', 1, '1 jour'],
    ['point-numerique-visiteurs', 1234, '1\u202f234'],
  ] as const)('%s %d prints %s', (id, v, s) => expect(formatValue(ind(id), v)).toBe(s));
  it.each([[0.3, '+0,3 pt'], [-2, '−2 pt'], [0, '±0 pt']])('a change of %d points prints %s', (d, s) => expect(formatChange(ind('appels-aboutis'), d)).toBe(s));
});

describe('year to date', () => {
  it('when months have numerators and denominators, then the sums are divided (not the rates averaged)', () => {
    expect(yearToDate(ind('appels-aboutis'), [mv('appels-aboutis', '2019-01-01', 50, 50, 100), mv('appels-aboutis', '2019-02-01', 100, 900, 900)])).toBe(95);
  });
  it.each([
    ['point-numerique-visiteurs', [200, 180], 380], ['site-maj-3j', [1, 3, 2], 3], ['twitter-engagement', [2, 3], 2.5],
  ] as const)('when %s has no denominators, then %j gives %d', (id, vs, r) => {
    expect(yearToDate(ind(id), vs.map((v, n) => mv(id, `2019-0${n + 1}-01`, v)))).toBe(r);
  });
});

describe('the board', () => {
  const values = [
    mv('appels-aboutis', '2019-06-01', 92, 920, 1000), mv('appels-aboutis', '2019-07-01', 94, 940, 1000),
    mv('appels-aboutis', '2019-07-01', 88, 880, 1000, 'Bureau du séjour'), mv('appels-aboutis', '2019-07-01', 99, 990, 1000, 'Standard'),
    mv('appels-aboutis', '2018-12-01', 50, 50, 100),
  ];
  it('when a month is built, then it has the value, change, a year to date from January only, and own targets win', () => {
    const rows = buildBoard(indicatorCatalogue().indicators, new Map([['appels-aboutis', 95]]), values, '2019-07-01');
    const r = rows.find((x) => x.indicator.id === 'appels-aboutis')!;
    expect(r).toMatchObject({ target: 95, targetIsOwn: true, month: { value: 94, verdict: 'missed' }, previous: 92, change: 2, ytd: { value: 93, verdict: 'missed' } });
    expect(r.trend).toHaveLength(12);
    expect(r.trend[5]).toEqual({ month: '2019-01-01', value: null });
    expect(r.trend[4]).toEqual({ month: '2018-12-01', value: 50 });
  });
  it('when bureaux have figures, then lost calls are listed biggest first', () => {
    expect(lostCallsByBureau(values, '2019-07-01').map((b) => [b.bureau, b.lost])).toEqual([['Bureau du séjour', 120], ['Standard', 10]]);
  });
});

describe('complaints calendar', () => {
  const cal = { zone: 'metropole' as const, whitMondayWorked: false };
  it.each([
    ['2019-07-01', '2019-07-01', 0], ['2019-07-05', '2019-07-08', 1], ['2019-04-29', '2019-05-23', 16], ['2019-06-03', '2019-06-27', 17],
  ])('received %s, answered %s: %d working days', (r, a, d) => expect(complaintDelay(r, a, cal)).toBe(d));
  it('when received on 29 April 2019, then the deadline skips 1 and 8 May', () => {
    expect(complaintDeadline('2019-04-29', cal)).toBe('2019-05-22');
  });
  it.each([
    [{ count: 27, answered: 27, withinDeadline: 23, pending: 0, delaySum: 108 }, '27 ; 85 % ; 4 jours'],
    [{ count: 2, answered: 0, withinDeadline: 0, pending: 2, delaySum: 0 }, '2 ; – ; –'],
  ])('figures %j print %s', (f, s) => expect(figuresLine(f)).toBe(s));
});
