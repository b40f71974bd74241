/** The national table's pure parts: quartiles, the « meilleur quart » side, sorting with withheld figures last. */
import { orgFigures, quantile, sortRows, spreadOf, type OrgFigures } from '../../../server/national/national-figures';
import { emailCountsByOrg, type CampaignRulesRow, type ProbeSummaryRow } from '../../../server/campaigns/probe-summaries';
import { probeOutcome, type ReplyFacts } from '../../../server/campaigns/outcomes';
import { indicators as emailIndicators } from '../../../server/campaigns/metrics';
import type { HolidayZone } from '../../../server/campaigns/calendar/holidays';
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
  org: { id: code, code, name: `Préfecture ${code}`, active: true, departmentCode: null },
  figures: {
    satisfaction: sat ? shareFigure(sat[0], sat[1], 5) : figure('share', null, 0, 0),
    emailAnswers: figure('share', null, 0, 0), emailDeadline: figure('share', null, 0, 0),
    emailDelay: figure('days', delay, delay === null ? 0 : 10, 5),
    phoneAnswered: figure('share', null, 0, 0), phoneForm: figure('mark', null, 0, 0), phoneSubstance: figure('mark', null, 0, 0), indicatorsMet: figure('share', null, 0, 0),
    complaints: figure('count', null, 0, 0), complaintsDeadline: figure('share', null, 0, 0), complaintsDelay: figure('days', null, 0, 0),
  },
  indicators: [], counts: { satisfaction: null, email: null, phone: null, complaints: null },
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

describe('complaints figures per organisation', () => {
  const org = { id: 'o1', code: '38', name: 'Préfecture 38', active: true, departmentCode: '38' };
  const base = { orgs: [org], satisfaction: [], email: new Map(), phone: new Map(), values: [], targets: new Map(), catalogue: [], minCell: 5 };
  it.each([
    // count, answered, within, pending, delaySum → displays (count, share, delay)
    ['the seed: 27 received, 23 of 27 within 15 days, 4 days on average', { count: 27, answered: 27, withinDeadline: 23, pending: 0, delaySum: 108 }, ['27', '85 %', '4,0 jours']],
    ['pending complaints leave the share\'s denominator, unanswered ones leave the mean', { count: 10, answered: 6, withinDeadline: 5, pending: 2, delaySum: 6 }, ['10', '63 %', '1,0 jour']],
    ['few complaints: the count shows, share and mean are withheld', { count: 3, answered: 3, withinDeadline: 3, pending: 0, delaySum: 6 }, ['3', 'effectif insuffisant', 'effectif insuffisant']],
  ])('%s', (_label, counts, [count, share, delay]) => {
    const [f] = orgFigures({ ...base, complaints: [{ orgId: 'o1', ...counts }] });
    expect([f.figures.complaints.display, f.figures.complaintsDeadline.display.replace(/\u202f/g, ' '), f.figures.complaintsDelay.display.replace(/\u202f/g, ' ')]).toEqual([count, share, delay]);
  });
  it('an organisation without complaints shows « – », and a shorter delay is the better quarter', () => {
    const [f] = orgFigures({ ...base, complaints: [] });
    expect(f.figures.complaints.display).toBe('–');
    const a = orgFigures({ ...base, orgs: [org, { ...org, id: 'o2', code: '74' }], complaints: [
      { orgId: 'o1', count: 20, answered: 20, withinDeadline: 20, pending: 0, delaySum: 20 },
      { orgId: 'o2', count: 20, answered: 20, withinDeadline: 10, pending: 0, delaySum: 200 },
    ] });
    expect(spreadOf('complaintsDelay', a).best).toBe(spreadOf('complaintsDelay', a).q1);
  });
});

describe('e-mail counts in one pass', () => {
  // Seeded random probes of two campaigns with different rules, compared with the bilan's path:
  // probeOutcome (campaigns/outcomes.ts) for each probe, then campaigns/metrics.ts' indicators.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const campaigns: CampaignRulesRow[] = [
    { campaignId: 'c1', periodStart: '2019-04-01', periodEnd: '2019-09-30', deadlineDays: 5, checklist: [], holidayZone: 'metropole', whitMondayWorked: false },
    { campaignId: 'c2', periodStart: '2019-04-01', periodEnd: '2019-09-30', deadlineDays: 3, checklist: [], holidayZone: 'alsace-moselle', whitMondayWorked: true },
  ];
  const states = ['sent', 'sent', 'sent', 'sent', 'failed', 'planned', 'cancelled'] as const;
  const probes: ProbeSummaryRow[] = Array.from({ length: 600 }, (_, i) => {
    const sentAt = new Date(Date.UTC(2019, 3 + Math.floor(next() * 6), 1 + Math.floor(next() * 28), Math.floor(next() * 24), Math.floor(next() * 60)));
    const later = (days: number) => new Date(sentAt.getTime() + next() * days * 86_400_000);
    return {
      orgId: `o${i % 3}`, campaignId: i % 2 ? 'c1' : 'c2', state: states[Math.floor(next() * states.length)], sentAt: next() < 0.05 ? null : sentAt,
      bounced: next() < 0.1, acknowledgedAt: next() < 0.7 ? later(2) : null, answeredAt: next() < 0.8 ? later(20) : null,
    };
  });

  it('gives, per organisation, the counts the bilan computes from each probe’s outcome', () => {
    const lean = emailCountsByOrg(probes, campaigns);
    for (const orgId of ['o0', 'o1', 'o2']) {
      const outcomes = probes.filter((p) => p.orgId === orgId).map((p) => {
        const c = campaigns.find((x) => x.campaignId === p.campaignId)!;
        const replies: ReplyFacts[] = [
          ...(p.bounced ? [{ id: 'b', replyClass: 'bounce' as const, bounceKind: 'failed' as const, receivedAt: p.sentAt ?? new Date(0), signature: null, anonymityJustified: false }] : []),
          ...(p.acknowledgedAt ? [{ id: 'a', replyClass: 'acknowledgement' as const, receivedAt: p.acknowledgedAt, signature: null, anonymityJustified: false }] : []),
          ...(p.answeredAt ? [{ id: 'r', replyClass: 'answer' as const, receivedAt: p.answeredAt, signature: null, anonymityJustified: false }] : []),
        ];
        return probeOutcome({ probeId: '', serviceKey: '', serviceName: '', toAddress: '', state: p.state, sentAt: p.sentAt, replies },
          { checklist: [], deadlineDays: c.deadlineDays, calendar: { zone: c.holidayZone as HolidayZone, whitMondayWorked: c.whitMondayWorked } });
      });
      const x = emailIndicators(outcomes, 0);
      const got = lean.get(orgId)!;
      expect([got.delivered, got.acknowledged, got.answered, got.withinDeadline]).toEqual([x.delivered, x.acknowledgements.numerator, x.answers.numerator, x.withinDeadline.numerator]);
      expect(got.delaySum / got.answered).toBeCloseTo(x.meanDelay.value!, 9);
      // The sample exercises every branch.
      expect(x.bounced).toBeGreaterThan(0);
      expect(x.withinDeadline.numerator).toBeGreaterThan(0);
      expect(x.withinDeadline.numerator).toBeLessThan(x.answers.numerator);
    }
  });
});
