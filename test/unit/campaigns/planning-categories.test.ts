import { GENERAL_CATEGORY, planProbes, questionsFor, rng, type PlanInput, type PlanTarget } from '../../../server/campaigns/planning';

const CATEGORIES = ['horaires', 'rendez-vous', 'pieces', 'associations', 'urbanisme', 'cabinet', 'sejour'];

describe('questionsFor', () => {
  it.each<[string, string[], string[], number[], boolean]>([
    ['the service handles some of the bank', ['urbanisme'], ['horaires', 'urbanisme', 'autre', 'urbanisme'], [1, 3], false],
    ['the service handles several categories', ['horaires', 'sejour'], ['horaires', 'urbanisme', 'sejour'], [0, 2], false],
    ['nothing fits but the bank has general questions', ['associations'], ['horaires', 'autre', 'urbanisme', 'autre'], [1, 3], true],
    ['the service declares nothing', [], ['horaires', 'autre'], [1], true],
    ['nothing fits and nothing is general', ['cabinet'], ['horaires', 'urbanisme'], [0, 1], true],
  ])('when %s, then the probes draw from the right questions and say whether it is a fallback', (_l, handled, bank, indices, fallback) => {
    expect(questionsFor(handled, bank)).toEqual({ indices, fallback });
  });
});

describe('planProbes matches questions to services (property)', () => {
  const base: Omit<PlanInput, 'targets' | 'questionCategories' | 'seed'> = {
    periodStart: '2019-09-02', periodEnd: '2019-10-31', probesPerTarget: 2, windowStart: 9 * 60, windowEnd: 17 * 60,
    calendar: { zone: 'metropole', whitMondayWorked: false }, variables: {}, notBefore: new Date('2019-08-01T00:00:00Z'),
  };
  const pick = <T>(rand: () => number, list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const subset = (rand: () => number, list: readonly string[]) => list.filter(() => rand() < 0.3);

  it('when banks and services are drawn at random, then no probe gets a question its service does not handle when one exists', () => {
    const rand = rng('property');
    let fitted = 0;
    let fellBack = 0;
    for (let run = 0; run < 300; run++) {
      const bank = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(rand, [...CATEGORIES, GENERAL_CATEGORY]));
      const targets: PlanTarget[] = [];
      const handledBy = new Map<string, string[]>();
      for (let s = 0; s < 1 + Math.floor(rand() * 5); s++) {
        const categories = subset(rand, CATEGORIES);
        handledBy.set(`s${s}`, categories);
        for (let a = 0; a < 1 + Math.floor(rand() * 2); a++) targets.push({ targetId: `s${s}-t${a}`, serviceKey: `s${s}`, categories });
      }
      const plan = planProbes({ ...base, targets, questionCategories: bank, seed: `run-${run}` });
      expect(plan).toHaveLength(targets.length * base.probesPerTarget);
      for (const p of plan) {
        const handled = handledBy.get(p.serviceKey)!;
        const category = bank[p.questionIndex];
        const exists = bank.some((c) => handled.includes(c));
        if (exists) {
          expect(handled).toContain(category);
          expect(p.fallback).toBe(false);
          fitted++;
        } else {
          expect(p.fallback).toBe(true);
          if (bank.includes(GENERAL_CATEGORY)) expect(category).toBe(GENERAL_CATEGORY);
          fellBack++;
        }
      }
    }
    // The draw exercised both branches.
    expect(fitted).toBeGreaterThan(100);
    expect(fellBack).toBeGreaterThan(100);
  });

  it('when a service has several fitting questions, then its probes use different ones while the bank allows', () => {
    const plan = planProbes({
      ...base, seed: 'x', questionCategories: ['urbanisme', 'horaires', 'urbanisme', 'autre'],
      targets: [{ targetId: 't', serviceKey: 's', categories: ['urbanisme'] }],
    });
    expect(plan.map((p) => p.questionIndex).sort()).toEqual([0, 2]);
  });
});
