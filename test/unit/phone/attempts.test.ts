/** The attempts rule: answered, pending, not answered after the programme's number of attempts. */
import { attemptsProgress, gridConsistencyError, gridPrefill, type Attempt } from '../../../server/phone/attempts';

const a = (n: number, outcome: Attempt['outcome'], waitSeconds = 300, rings: number | null = null): Attempt => ({ n, outcome, waitSeconds, rings });

describe('attemptsProgress', () => {
  it.each<[string, Attempt[], number, string, number]>([
    ['no attempt yet', [], 3, 'pending', 3],
    ['one attempt rang out', [a(1, 'sonne_dans_le_vide')], 3, 'pending', 2],
    ['a person picked up on the first attempt', [a(1, 'personne', 15, 3)], 3, 'answered', 0],
    ['a person picked up on the third attempt', [a(1, 'occupe', 5), a(2, 'repondeur', 40), a(3, 'personne', 30)], 3, 'answered', 0],
    ['three attempts without a person', [a(1, 'occupe', 5), a(2, 'sonne_dans_le_vide'), a(3, 'repondeur', 40)], 3, 'not_answered', 0],
    ['two attempts when the programme allows two', [a(1, 'raccroche', 20), a(2, 'sonne_dans_le_vide')], 2, 'not_answered', 0],
    ['three attempts when the programme allows five', [a(1, 'occupe'), a(2, 'occupe'), a(3, 'occupe')], 5, 'pending', 2],
  ])('when %s, then the call is %s', (_label, attempts, max, state, left) => {
    const p = attemptsProgress(attempts, max);
    expect(p.state).toBe(state);
    expect(p.left).toBe(left);
  });
});

describe('gridPrefill', () => {
  it('when a person picked up, then the grid starts answered with that attempt’s waiting time and rings', () => {
    expect(gridPrefill([a(1, 'occupe', 4), a(2, 'personne', 35, 6)], 3)).toEqual({ decroche: 'oui', attente_secondes: 35, sonneries: 6 });
  });
  it('when rings were not counted, then they are left to the evaluator', () => {
    expect(gridPrefill([a(1, 'personne', 35)], 3)).toEqual({ decroche: 'oui', attente_secondes: 35 });
  });
  it('when only machines answered, then the reason is « répondeur seul » and a machine is noted', () => {
    expect(gridPrefill([a(1, 'repondeur'), a(2, 'repondeur'), a(3, 'occupe')], 3)).toEqual({ decroche: 'non', motif_non_abouti: 'repondeur_seul', serveur_vocal: 'oui' });
  });
  it('when reasons tie, then the latest one wins', () => {
    expect(gridPrefill([a(1, 'occupe'), a(2, 'sonne_dans_le_vide')], 2)).toEqual({ decroche: 'non', motif_non_abouti: 'sonne_dans_le_vide' });
  });
  it('when the call is still pending, then nothing is prefilled', () => {
    expect(gridPrefill([a(1, 'occupe')], 3)).toEqual({});
  });
});

describe('gridConsistencyError', () => {
  it('when attempts remain, then the grid cannot be submitted', () => {
    expect(gridConsistencyError({ decroche: 'non' }, [a(1, 'occupe')], 3)).toMatch(/1 sur 3/);
  });
  it('when a person picked up but the grid says not answered, then it is refused', () => {
    expect(gridConsistencyError({ decroche: 'non' }, [a(1, 'personne')], 3)).toMatch(/a abouti/);
  });
  it('when no one picked up in 3 attempts but the grid says answered, then it is refused', () => {
    expect(gridConsistencyError({ decroche: 'oui' }, [a(1, 'occupe'), a(2, 'occupe'), a(3, 'occupe')], 3)).toMatch(/pas abouti/);
  });
  it('when grid and attempts agree, then there is no error', () => {
    expect(gridConsistencyError({ decroche: 'oui' }, [a(1, 'personne')], 3)).toBeNull();
  });
});
