/** Report figures: shares with n and Wilson interval, withheld small cells, changes in points. */
import { buildRow, changeDisplay, displayOf, figure, INSUFFICIENT, shareFigure } from '../../../server/reports/metrics';

const MIN = 5;

describe('shareFigure', () => {
  it.each([
    [96, 100, 0.96, '96\u202f%', 96],
    [87, 100, 0.87, '87\u202f%', 87],
    [53, 100, 0.53, '53\u202f%', 53],
    [5, 5, 1, '100\u202f%', 100],
    [0, 5, 0, '0\u202f%', 0],
  ])('when %p of %p answers are satisfied, then the share is %p, printed %j', (num, den, value, display, printed) => {
    expect(shareFigure(num, den, MIN)).toEqual({ value, display, printed, n: den, insufficient: false });
  });

  it.each([0, 1, 4])('when only %p answers have an opinion, then the figure is withheld', (den) => {
    expect(shareFigure(Math.min(den, 1), den, MIN)).toEqual({ value: null, display: INSUFFICIENT, printed: null, n: den, insufficient: true });
  });
});

describe('figure for means', () => {
  it('then a delay in working days prints with one decimal and « jour(s) »', () => {
    expect(figure('days', 1.5, 40, MIN).display).toBe('1,5\u202fjour');
    expect(figure('days', 2.25, 40, MIN)).toMatchObject({ display: '2,3\u202fjours', printed: 2.3 });
    expect(displayOf('mark', 7.44)).toBe('7,4\u202f/\u202f10');
  });
});

describe('buildRow', () => {
  it('when there is a comparison, then the change is the difference of the printed figures', () => {
    const r = buildRow({ key: 'k', label: 'L', kind: 'share', num: 955, den: 1000, sansAvis: 12, previous: { num: 934, den: 1000 } }, MIN);
    // 95.5 % prints 96 %, 93.4 % prints 93 %: the reader sees +3 pts, not +2.
    expect(r.printed).toBe(96);
    expect(r.comparison).toMatchObject({ printed: 93, change: 3, changeDisplay: '+3\u202fpts' });
    expect(r.sansAvis).toBe(12);
  });

  it('then the 95 % Wilson interval is printed in whole percentages', () => {
    const r = buildRow({ key: 'k', label: 'L', kind: 'share', num: 96, den: 100 }, MIN);
    expect(r.ci).toMatchObject({ lowPrinted: 90, highPrinted: 98 });
    expect(r.ci!.display).toBe('90\u202f% – 98\u202f%');
    expect(r.comparison).toBeNull();
  });

  it('when the comparison period has too few answers, then no change is computed', () => {
    const r = buildRow({ key: 'k', label: 'L', kind: 'share', num: 96, den: 100, previous: { num: 2, den: 3 } }, MIN);
    expect(r.comparison).toMatchObject({ display: INSUFFICIENT, change: null, changeDisplay: '–' });
  });

  it('when the current period has too few answers, then neither figure nor interval nor change is printed', () => {
    const r = buildRow({ key: 'k', label: 'L', kind: 'share', num: 3, den: 4, target: 0.9, previous: { num: 90, den: 100 } }, MIN);
    expect(r).toMatchObject({ value: null, display: INSUFFICIENT, ci: null, target: { value: 0.9, display: '90\u202f%' } });
    expect(r.comparison!.change).toBeNull();
  });

  it.each([
    ['share', 3, '+3\u202fpts'],
    ['share', -1, '\u22121\u202fpt'],
    ['share', 0, '0\u202fpt'],
    ['days', -0.4, '\u22120,4\u202fjour'],
    ['mark', 1.2, '+1,2'],
  ] as const)('when a %s changes by %p, then it reads %j', (kind, change, expected) => {
    expect(changeDisplay(kind, change)).toBe(expected);
  });
});
