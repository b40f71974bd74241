/**
 * Plan generator: every constraint checked on a table of plans (sizes, evaluators, periods,
 * seeds), plus determinism and the refusals.
 */
import { generatePlan, isMonday, MIN_GAP_MINUTES, PlanError, SLOTS, type PlanInput, type PlannedCall } from '../../../server/phone/plan-generator';

// June 2019 working days (Whit Monday, 10 June, is a holiday and is not listed).
const JUNE_2019 = ['03', '04', '05', '06', '07', '11', '12', '13', '14', '17', '18', '19', '20', '21', '24', '25', '26', '27', '28'].map((d) => `2019-06-${d}`);
const TUE_TO_THU = ['2019-06-11', '2019-06-12', '2019-06-13'];
const KEY_SLOTS = SLOTS.filter((s) => s.key).map((s) => s.id);

const numbers = (k: number, scenariosEach = 2) =>
  Array.from({ length: k }, (_, i) => ({ id: `n${i}`, scenarioIds: Array.from({ length: scenariosEach }, (_, j) => `s${i}-${j}`) }));
const evaluators = (k: number) => Array.from({ length: k }, (_, i) => `e${i}`);

const groupBy = <T>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

interface Case {
  label: string;
  input: PlanInput;
  /** Enough days for each number's calls to be on different days. */
  distinctDays: boolean;
}

const cases: Case[] = [
  { label: '3 numbers × 3 calls, 2 evaluators, June 2019', input: { numbers: numbers(3), evaluatorIds: evaluators(2), days: JUNE_2019, callsPerNumber: 3, seed: 1 }, distinctDays: true },
  { label: '6 numbers × 4 calls, 3 evaluators, June 2019', input: { numbers: numbers(6), evaluatorIds: evaluators(3), days: JUNE_2019, callsPerNumber: 4, seed: 42 }, distinctDays: true },
  { label: '10 numbers × 6 calls, 4 evaluators, June 2019', input: { numbers: numbers(10, 3), evaluatorIds: evaluators(4), days: JUNE_2019, callsPerNumber: 6, seed: 2019 }, distinctDays: true },
  { label: '2 numbers × 1 call, 1 evaluator', input: { numbers: numbers(2, 1), evaluatorIds: evaluators(1), days: JUNE_2019, callsPerNumber: 1, seed: 7 }, distinctDays: true },
  { label: '4 numbers × 3 calls, 1 evaluator, 3 days (no Monday)', input: { numbers: numbers(4), evaluatorIds: evaluators(1), days: TUE_TO_THU, callsPerNumber: 3, seed: 3 }, distinctDays: true },
  { label: '3 numbers × 5 calls, 3 evaluators, 3 days (days shared)', input: { numbers: numbers(3), evaluatorIds: evaluators(3), days: TUE_TO_THU, callsPerNumber: 5, seed: 11 }, distinctDays: false },
  { label: '2 numbers × 4 calls, 2 evaluators, 2 days (days shared)', input: { numbers: numbers(2), evaluatorIds: evaluators(2), days: ['2019-06-17', '2019-06-18'], callsPerNumber: 4, seed: 5 }, distinctDays: false },
];

describe.each(cases)('generatePlan: $label', ({ input, distinctDays }) => {
  const plan: PlannedCall[] = generatePlan(input);
  const perNumber = groupBy(plan, (c) => c.numberId);

  it('then each number gets exactly the calls asked, with one of its scenarios', () => {
    expect([...perNumber.keys()].sort()).toEqual(input.numbers.map((n) => n.id).sort());
    for (const n of input.numbers) {
      const calls = perNumber.get(n.id)!;
      expect(calls).toHaveLength(input.callsPerNumber);
      for (const c of calls) expect(n.scenarioIds).toContain(c.scenarioId);
    }
  });

  it('then every call is on a working day of the period, in a slot, on a 5-minute step', () => {
    for (const c of plan) {
      expect(input.days).toContain(c.date);
      const slot = SLOTS.find((s) => s.id === c.slot)!;
      expect(c.minutes).toBeGreaterThanOrEqual(slot.start);
      expect(c.minutes).toBeLessThan(slot.end);
      expect(c.minutes % 5).toBe(0);
      expect(input.evaluatorIds).toContain(c.evaluatorId);
    }
  });

  it('then no evaluator calls the same number twice the same day, nor twice in one slot of a day', () => {
    const seen = new Set<string>();
    const slotSeen = new Set<string>();
    for (const c of plan) {
      const k = `${c.numberId}|${c.date}|${c.evaluatorId}`;
      expect(seen.has(k)).toBe(false);
      seen.add(k);
      const s = `${c.numberId}|${c.date}|${c.slot}`;
      expect(slotSeen.has(s)).toBe(false);
      slotSeen.add(s);
    }
  });

  it('then an evaluator’s calls of a day are at least 15 minutes apart', () => {
    for (const calls of groupBy(plan, (c) => `${c.evaluatorId}|${c.date}`).values()) {
      const mins = calls.map((c) => c.minutes).sort((a, b) => a - b);
      for (let i = 1; i < mins.length; i++) expect(mins[i] - mins[i - 1]).toBeGreaterThanOrEqual(MIN_GAP_MINUTES);
    }
  });

  it('then each number’s first calls cover the key slots (opening, lunch, late afternoon)', () => {
    for (const calls of perNumber.values()) {
      const slots = new Set(calls.map((c) => c.slot));
      const keyCovered = KEY_SLOTS.filter((k) => slots.has(k)).length;
      expect(keyCovered).toBe(Math.min(input.callsPerNumber, KEY_SLOTS.length));
    }
  });

  it('then each number with 2 calls or more is called on a Monday when the period has one', () => {
    const hasMonday = input.days.some(isMonday);
    for (const calls of perNumber.values()) {
      if (input.callsPerNumber >= 2 && hasMonday) expect(calls.some((c) => isMonday(c.date))).toBe(true);
    }
  });

  if (distinctDays) {
    it('then a number’s calls fall on different days, one per equal share of the period', () => {
      const sortedDays = [...input.days].sort();
      for (const calls of perNumber.values()) {
        const idx = calls.map((c) => sortedDays.indexOf(c.date)).sort((a, b) => a - b);
        expect(new Set(idx).size).toBe(idx.length);
        idx.forEach((d, k) => {
          expect(d).toBeGreaterThanOrEqual(Math.floor((k * sortedDays.length) / input.callsPerNumber));
          expect(d).toBeLessThan(Math.floor(((k + 1) * sortedDays.length) / input.callsPerNumber));
        });
      }
    });

    it('then the evaluators’ loads differ by one call at most', () => {
      const loads = input.evaluatorIds.map((e) => plan.filter((c) => c.evaluatorId === e).length);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    });
  }

  it('then the same inputs and seed give the same plan, whatever the order of the inputs', () => {
    const again = generatePlan({ ...input, numbers: [...input.numbers].reverse(), evaluatorIds: [...input.evaluatorIds].reverse(), days: [...input.days].reverse() });
    expect(again).toEqual(plan);
  });
});

describe('generatePlan: seeds', () => {
  it('when the seed changes, then the plan changes', () => {
    const input = cases[1].input;
    expect(generatePlan({ ...input, seed: 43 })).not.toEqual(generatePlan(input));
  });

  it('when the same seed is used twice, then the plan is identical (a fixed example)', () => {
    const plan = generatePlan({ numbers: numbers(1, 1), evaluatorIds: ['e0'], days: ['2019-06-17'], callsPerNumber: 1, seed: 1 });
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ numberId: 'n0', scenarioId: 's0-0', evaluatorId: 'e0', date: '2019-06-17' });
    expect(generatePlan({ numbers: numbers(1, 1), evaluatorIds: ['e0'], days: ['2019-06-17'], callsPerNumber: 1, seed: 1 })).toEqual(plan);
  });
});

describe('generatePlan: refusals', () => {
  const base: PlanInput = { numbers: numbers(2), evaluatorIds: evaluators(2), days: JUNE_2019, callsPerNumber: 3, seed: 1 };
  it.each<[string, Partial<PlanInput>, RegExp]>([
    ['no evaluator', { evaluatorIds: [] }, /évaluateur/],
    ['no number', { numbers: [] }, /numéro/],
    ['no working day left', { days: [] }, /jour ouvré/],
    ['a number without scenario', { numbers: [{ id: 'n0', scenarioIds: [] }] }, /scénario/],
    ['one evaluator, one day, three calls per number', { evaluatorIds: ['e0'], days: ['2019-06-17'] }, /deux fois le même numéro le même jour/],
    ['zero calls per number', { callsPerNumber: 0 }, /entier positif/],
  ])('when there is %s, then a PlanError explains it in French', (_label, change, message) => {
    expect(() => generatePlan({ ...base, ...change })).toThrow(PlanError);
    expect(() => generatePlan({ ...base, ...change })).toThrow(message);
  });
});
