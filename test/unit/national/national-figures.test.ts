/** The national table's pure parts: quartiles, the « meilleur quart » side, sorting with withheld figures last. */
import { quantile, sortRows, spreadOf, type OrgFigures } from '../../../server/national/national-figures';
import { figure, shareFigure } from '../../../server/reports/metrics';

it.each([
  [[], 0.5, null],
  [[7], 0.25, 7],
  [[1, 2, 3, 4], 0.5, 2.5],
  [[1, 2, 3, 4], 0.25, 1.75],
  [[1, 2, 3, 4], 0.75, 3.25],
  [[0.8, 0.93], 0.5, 0.865],
])('quantile(%j, %d) = %p (QUARTILE.INC)', (values, q, expected) => {
  const got = quantile(values, q);
  if (expected === null) expect(got).toBeNull();
  else expect(got).toBeCloseTo(expected, 10);
});

const row = (code: string, sat: [number, number] | null, delay: number | null): OrgFigures => ({
  org: { id: code, code, name: `Préfecture ${code}`, active: true },
  figures: {
    satisfaction: sat ? shareFigure(sat[0], sat[1], 5) : figure('share', null, 0, 0),
    emailAnswers: figure('share', null, 0, 0), emailDeadline: figure('share', null, 0, 0),
    emailDelay: figure('days', delay, delay === null ? 0 : 10, 5),
    phoneAnswered: figure('share', null, 0, 0), phoneForm: figure('mark', null, 0, 0), phoneSubstance: figure('mark', null, 0, 0), indicatorsMet: figure('share', null, 0, 0),
  },
  indicators: [], counts: { satisfaction: null, email: null, phone: null },
});
const rows = [row('74', [93, 100], 1.5), row('38', [3, 4], 3), row('73', [80, 100], null), row('2A', null, 0.5)];

it.each([
  ['satisfaction', 'desc', ['74', '73', '2A', '38']],
  ['satisfaction', 'asc', ['73', '74', '2A', '38']],
  ['emailDelay', 'asc', ['2A', '74', '38', '73']],
  ['code', 'asc', ['2A', '38', '73', '74']],
  ['code', 'desc', ['74', '73', '38', '2A']],
] as const)('sorted by %s %s: %j (withheld and missing figures last, by code)', (key, order, codes) => {
  expect(sortRows(rows, key, order).map((r) => r.org.code)).toEqual(codes);
});

it('the best quarter is the third quartile, or the first for a delay (lower is better); withheld figures stay out', () => {
  expect(spreadOf('satisfaction', rows)).toMatchObject({ n: 2, median: 0.865 });
  const delay = spreadOf('emailDelay', rows);
  expect(delay.n).toBe(3);
  expect(delay.best).toBe(delay.q1);
  expect(spreadOf('satisfaction', rows).best).toBe(spreadOf('satisfaction', rows).q3);
});
