/** Scoring of phone grids: hand-computed marks for typical grids (table-driven). */
import { callFacts, formMark, substanceMark, summarise, type CallFacts } from '../../../server/phone/scoring';

const perfect = {
  decroche: 'oui', attente_secondes: 12, sonneries: 3, serveur_vocal: 'non', annonce_service: 'oui', bonjour: 'oui', nom_agent: 'oui',
  courtoisie: 'tres_satisfaisant', ecoute: 'tres_satisfaisant', transfert: 'sans_objet', reponse_fond: 'complete', prise_de_conge: 'oui',
  impression_globale: 'tres_bonne',
};

describe('formMark', () => {
  it.each([
    ['a perfect call', {}, 10],
    ['5 rings before pick-up', { sonneries: 5 }, 9],
    ['rings not counted, 20 s of waiting', { sonneries: undefined, attente_secondes: 20 }, 10],
    ['rings not counted, 21 s of waiting', { sonneries: undefined, attente_secondes: 21 }, 9],
    ['no « bonjour », no name given', { bonjour: 'non', nom_agent: 'non' }, 8],
    ['courtesy satisfactory (1,5) and listening little satisfactory (0,5)', { courtoisie: 'satisfaisant', ecoute: 'peu_satisfaisant' }, 8],
    ['courtesy and listening not satisfactory', { courtoisie: 'pas_satisfaisant', ecoute: 'pas_satisfaisant' }, 6],
    ['transfer that worked', { transfert: 'reussi', transfert_repetition: 'non' }, 10],
    ['transfer that worked but the question had to be repeated', { transfert: 'reussi', transfert_repetition: 'oui' }, 9.5],
    ['transfer that failed', { transfert: 'echoue' }, 9],
    ['no polite closing, service not named', { prise_de_conge: 'non', annonce_service: 'non' }, 8],
    [
      'everything wrong',
      { sonneries: 9, annonce_service: 'non', bonjour: 'non', nom_agent: 'non', courtoisie: 'pas_satisfaisant', ecoute: 'pas_satisfaisant', transfert: 'echoue', prise_de_conge: 'non' },
      0,
    ],
  ])('when %s, then the form mark is %p', (_label, change, expected) => {
    expect(formMark({ ...perfect, ...change })).toBe(expected);
  });
});

describe('substanceMark', () => {
  it.each([['complete', 10], ['partielle', 5], ['aucune', 0], [undefined, 0]])('when the answer is %p, then the mark is %p', (value, expected) => {
    expect(substanceMark({ ...perfect, reponse_fond: value })).toBe(expected);
  });
});

describe('callFacts', () => {
  it('when the call was answered, then it carries both marks and the waiting time', () => {
    expect(callFacts(perfect)).toEqual({ answered: true, waitSeconds: 12, form: 10, substance: 10, machineOnly: false });
  });
  it('when only an answering machine replied, then it is not answered, machine only, without marks', () => {
    expect(callFacts({ decroche: 'non', motif_non_abouti: 'repondeur_seul', serveur_vocal: 'oui' })).toEqual({
      answered: false, waitSeconds: null, form: null, substance: null, machineOnly: true,
    });
  });
  it('when the line was busy, then it is not answered and not machine only', () => {
    expect(callFacts({ decroche: 'non', motif_non_abouti: 'occupe' }).machineOnly).toBe(false);
  });
});

describe('summarise', () => {
  const answered = (form: number, substance: number, wait: number): CallFacts => ({ answered: true, waitSeconds: wait, form, substance, machineOnly: false });
  const machine: CallFacts = { answered: false, waitSeconds: null, form: null, substance: null, machineOnly: true };

  it('when there are no calls, then rates and means are null with n = 0', () => {
    const s = summarise([], 7);
    expect(s.calls).toBe(0);
    expect(s.answered).toEqual({ rate: null, count: 0, n: 0 });
    expect(s.form).toEqual({ mean: null, n: 0 });
    expect(s.formPass).toEqual({ rate: null, count: 0, n: 0 });
  });

  it('when 3 of 4 calls were answered, then the rate is 3/4 and marks average the 3 answered ones', () => {
    const s = summarise([answered(10, 10, 10), answered(7, 5, 20), answered(4, 0, 60), machine], 7);
    expect(s.calls).toBe(4);
    expect(s.answered).toEqual({ rate: 0.75, count: 3, n: 4 });
    expect(s.wait).toEqual({ mean: 30, n: 3 });
    expect(s.form).toEqual({ mean: 7, n: 3 });
    expect(s.substance.mean).toBeCloseTo(5, 10);
    // A mark equal to the pass mark passes: 10 and 7 pass for form, only 10 for substance.
    expect(s.formPass).toEqual({ rate: 2 / 3, count: 2, n: 3 });
    expect(s.substancePass).toEqual({ rate: 1 / 3, count: 1, n: 3 });
    expect(s.machineOnly).toBe(1);
  });

  it('when the pass mark is 5, then a substance mark of 5 passes', () => {
    const s = summarise([answered(10, 5, 10), answered(2, 0, 10)], 5);
    expect(s.substancePass).toEqual({ rate: 0.5, count: 1, n: 2 });
  });
});
