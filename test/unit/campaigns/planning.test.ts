import { MIN_GAP_MINUTES, PlanningError, planProbes, renderTemplate, rng, sendingDates, type PlanInput } from '../../../server/campaigns/planning';

const parisDay = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(d);
const parisMinute = (d: Date) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]));
  return Number(p.hour) * 60 + Number(p.minute);
};

const base: PlanInput = {
  periodStart: '2019-05-27', periodEnd: '2019-06-14',
  targets: [
    { targetId: 't1', serviceKey: 's1' }, { targetId: 't2', serviceKey: 's1' }, { targetId: 't3', serviceKey: 's2' }, { targetId: 't4', serviceKey: 's3' },
  ],
  probesPerTarget: 3, windowStart: 9 * 60, windowEnd: 17 * 60, seed: 'seed', questionCategories: ['horaires', 'rendez-vous', 'pieces', 'urbanisme'],
  calendar: { zone: 'metropole', whitMondayWorked: false }, variables: { commune: ['Annecy', 'Thonon'] }, notBefore: new Date('2019-05-01T00:00:00Z'),
};

describe('sendingDates', () => {
  it.each<[string, Partial<PlanInput>, string[]]>([
    ['a week with Ascension', { periodStart: '2019-05-27', periodEnd: '2019-06-02' }, ['2019-05-27', '2019-05-28', '2019-05-29', '2019-05-31']],
    ['Whit Monday not worked', { periodStart: '2019-06-08', periodEnd: '2019-06-11' }, ['2019-06-11']],
    ['Whit Monday worked', { periodStart: '2019-06-08', periodEnd: '2019-06-11', calendar: { zone: 'metropole', whitMondayWorked: true } }, ['2019-06-10', '2019-06-11']],
    ['launched after the window closed today', { periodStart: '2019-05-27', periodEnd: '2019-05-28', notBefore: new Date('2019-05-27T15:00:00Z') }, ['2019-05-28']],
  ])('when %s, then the sending days are the working days left', (_l, over, expected) => {
    expect(sendingDates({ ...base, ...over })).toEqual(expected);
  });
});

describe('planProbes', () => {
  const plan = planProbes(base);

  it('when planned, then every probe has a working day in the window, in the period', () => {
    expect(plan).toHaveLength(12);
    const days = new Set(sendingDates(base));
    for (const p of plan) {
      expect(days.has(parisDay(p.at))).toBe(true);
      expect(parisMinute(p.at)).toBeGreaterThanOrEqual(base.windowStart);
      expect(parisMinute(p.at)).toBeLessThan(base.windowEnd);
    }
  });

  it('when a service has several addresses, then it still never gets two probes the same day', () => {
    for (const key of ['s1', 's2', 's3']) {
      const days = plan.filter((p) => p.serviceKey === key).map((p) => parisDay(p.at));
      expect(new Set(days).size).toBe(days.length);
    }
  });

  it('when two probes leave the same day, then they are at least the minimum gap apart', () => {
    const sorted = [...plan].sort((a, b) => a.at.getTime() - b.at.getTime());
    for (let i = 1; i < sorted.length; i++) {
      if (parisDay(sorted[i].at) === parisDay(sorted[i - 1].at)) expect(sorted[i].at.getTime() - sorted[i - 1].at.getTime()).toBeGreaterThanOrEqual((MIN_GAP_MINUTES - 1) * 60_000);
    }
  });

  it('when the same seed is used, then the plan is the same; another seed gives another plan', () => {
    expect(planProbes(base)).toEqual(plan);
    expect(planProbes({ ...base, seed: 'other' }).map((p) => p.at.getTime())).not.toEqual(plan.map((p) => p.at.getTime()));
  });

  it('when a service gets several probes, then they use different questions while the bank allows', () => {
    const s1 = plan.filter((p) => p.serviceKey === 's1').map((p) => p.questionIndex);
    expect(new Set(s1).size).toBe(4);
    for (const p of plan) expect(['Annecy', 'Thonon']).toContain(p.values.commune);
  });

  it.each<[string, Partial<PlanInput>, RegExp]>([
    ['more probes per service than working days', { periodStart: '2019-06-07', periodEnd: '2019-06-11' }, /2 jour\(s\) ouvré\(s\).*6 messages/],
    ['a window shorter than 30 minutes', { windowStart: 600, windowEnd: 620 }, /30 minutes/],
    ['an empty bank', { questionCategories: [] }, /au moins une question/],
  ])('when %s, then planning refuses with a French reason', (_l, over, re) => {
    expect(() => planProbes({ ...base, ...over })).toThrow(PlanningError);
    expect(() => planProbes({ ...base, ...over })).toThrow(re);
  });
});

describe('renderTemplate and rng', () => {
  it.each([
    ['Bonjour, je suis {{prenom}} {{nom}}.', 'Bonjour, je suis Camille Martin.'],
    ['À {{ commune }} : {{reference}}', 'À Annecy : k7f3qa2b'],
    ['{{inconnue}} reste', '{{inconnue}} reste'],
  ])('when %j is rendered, then %j', (input, expected) => {
    expect(renderTemplate(input, { prenom: 'Camille', nom: 'Martin', commune: 'Annecy', reference: 'k7f3qa2b' })).toBe(expected);
  });

  it('when seeded alike, then the generator repeats itself within [0, 1)', () => {
    const a = rng('x');
    const b = rng('x');
    const xs = Array.from({ length: 50 }, () => a());
    expect(xs).toEqual(Array.from({ length: 50 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
