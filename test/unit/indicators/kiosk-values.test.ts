/**
 * Kiosk figures of the board (pure parts): the satisfaction share under the catalogue's rule,
 * withheld below the minimum of answers, and the counted visits per month.
 */
import { indicatorCatalogue, type Indicator } from '../../../server/indicators/catalogue';
import { ruleText, satisfactionValues, visitValues, SATISFACTION_INDICATOR } from '../../../server/indicators/kiosk-values';

const shipped = indicatorCatalogue().byId.get(SATISFACTION_INDICATOR)!;
const withRule = (satisfied: string[], excluded: string[]): Indicator => ({ ...shipped, rule: { question: 'accueil_global', satisfied, excluded } });

describe('satisfactionValues', () => {
  const rows = [
    { month: '2019-07-01', value: 'tres_bien', n: 47 }, { month: '2019-07-01', value: 'moyen', n: 2 }, { month: '2019-07-01', value: 'pas_bien', n: 1 },
    { month: '2019-06-01', value: 'tres_bien', n: 3 }, { month: '2019-06-01', value: 'pas_bien', n: 1 },
  ];
  it.each([
    ['the shipped rule (« très bien » only), 47 of 50 in July; June below 5 answers is withheld', shipped, rows, [['2019-07-01', 94, 47, 50]]],
    ['« très bien » and « moyen » satisfied', withRule(['tres_bien', 'moyen'], []), rows, [['2019-07-01', 98, 49, 50]]],
    ['a top-2-box with « sans avis » left out (the seed’s « Accueil global 93 % »)', withRule(['tres_satisfait', 'satisfait'], ['sans_avis']), [
      { month: '2019-07-01', value: 'tres_satisfait', n: 60 }, { month: '2019-07-01', value: 'satisfait', n: 33 }, { month: '2019-07-01', value: 'peu_satisfait', n: 5 },
      { month: '2019-07-01', value: 'pas_du_tout_satisfait', n: 2 }, { month: '2019-07-01', value: 'sans_avis', n: 40 },
    ], [['2019-07-01', 93, 93, 100]]],
  ] as const)('when %s', (_name, indicator, input, expected) => {
    const out = satisfactionValues(indicator as Indicator, [...input], 5).map((v) => [v.month, Math.round(v.value), v.numerator, v.denominator]);
    expect(out).toEqual(expected);
  });

  it('when the indicator has no rule, then nothing is computed', () => {
    expect(satisfactionValues({ ...shipped, rule: undefined }, rows, 5)).toEqual([]);
  });
});

describe('ruleText', () => {
  it('when the shipped rule is printed, then it names the question, the satisfied and excluded answers and the minimum', () => {
    expect(ruleText(shipped, 5)).toBe('Règle en vigueur (réglage du catalogue des indicateurs) : question « avis_global » ; réponses comptées satisfaites : « tres_bien » ; réponses exclues du calcul : aucune ; taux non publié en dessous de 5 réponses.');
  });
});

describe('visitValues', () => {
  it('when taps are counted per reason, then each month is their sum, computed, organisation-wide', () => {
    const counts = new Map([['2019-07-01', new Map([['ants', 118], ['rendez_vous', 52], ['autre_demarche', 18], ['aide_usage', 12]])]]);
    expect(visitValues(counts)).toEqual([{ indicatorId: 'point-numerique-visiteurs', month: '2019-07-01', breakdown: '', value: 200, numerator: null, denominator: null, source: 'computed' }]);
  });
});
