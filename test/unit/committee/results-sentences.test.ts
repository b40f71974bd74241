/** The minutes' pre-written sentences: seed wording, polarity, target met or missed, own target, missing data. */
import { indicatorCatalogue } from '../../../server/indicators/catalogue';
import { monthWords, resultSentence, resultSentences, type IndicatorFigure } from '../../../server/committee/results-sentences';

const cat = indicatorCatalogue().indicators;
const ind = (id: string) => cat.find((i) => i.id === id)!;
const fig = (id: string, value: number | null, target: number | null = ind(id).nationalTarget, month = '2019-07'): IndicatorFigure =>
  ({ indicator: ind(id), month, value, target, source: 'valeur importée' });
const nb = (s: string) => s.replace(/\u202f/g, ' ');

describe('when a sentence is written from an indicator figure', () => {
  it.each([
    ['the seed: answered calls above the national target', fig('appels-aboutis', 94.2), '94 % des appels ont abouti en juillet, pour un objectif national de 90 %.'],
    ['answered calls below the national target', fig('appels-aboutis', 85), '85 % des appels ont abouti en juillet, en deçà de l’objectif national de 90 %.'],
    ['answered calls with the prefecture’s own target', fig('appels-aboutis', 94, 95), '94 % des appels ont abouti en juillet, en deçà de l’objectif fixé par la préfecture de 95 %.'],
    ['a connection rate (seed: 11 % for 5 %)', fig('site-taux-connexion', 11), 'Le site internet a connu un taux de connexion de 11 % en juillet, pour un objectif national de 5 %.'],
    ['a two-decimal percentage (seed: 2,75 % for 2 %)', fig('twitter-engagement', 2.75), 'Le réseau social Twitter a connu un taux d’engagement de 2,75 % en juillet, pour un objectif national de 2 %.'],
    ['lower is better, met', fig('site-maj-3j', 2), 'Le site internet a été mis à jour dans un délai de 2 jours ouvrés au plus en juillet, dans la limite de l’objectif national de 3 jours.'],
    ['lower is better, missed', fig('reclamations-delai', 16), 'Le délai moyen de réponse aux suggestions et réclamations a été de 16 jours ouvrés en juillet, au-delà de l’objectif national de 15 jours.'],
    ['a delay under two days agrees in the singular', fig('svi-maj-3j', 1), 'Le serveur vocal interactif a été mis à jour dans un délai de 1 jour ouvré au plus en juillet, dans la limite de l’objectif national de 3 jours.'],
    ['a value cumulated over the period (the seed’s complaints)', { ...fig('reclamations-15j', 85.2, null), span: { from: '2019-01-01', to: '2019-07-31' } }, '85 % des suggestions et réclamations ont été traitées dans le délai de 15 jours ouvrés du 1er janvier au 31 juillet.'],
    ['a cumulated mean delay', { ...fig('reclamations-delai', 4), span: { from: '2019-01-01', to: '2019-07-31' } }, 'Le délai moyen de réponse aux suggestions et réclamations a été de 4 jours ouvrés du 1er janvier au 31 juillet, dans la limite de l’objectif national de 15 jours.'],
    ['no polarity: no target clause', fig('point-numerique-visiteurs', 200), 'Le point numérique a accueilli 200 visiteurs en juillet.'],
    ['no target at all: no clause', fig('reclamations-15j', 85, null), '85 % des suggestions et réclamations ont été traitées dans le délai de 15 jours ouvrés en juillet.'],
    ['another year than the meeting’s: the year is said', fig('appels-aboutis', 94, 90, '2018-12'), '94 % des appels ont abouti en décembre 2018, pour un objectif national de 90 %.'],
  ])('then %s', (_case, f, expected) => {
    expect(nb(resultSentence(f, 2019)!.text)).toBe(expected);
  });

  it('then its reference names the indicator, the month, the value and the target', () => {
    expect(nb(resultSentence(fig('appels-aboutis', 94), 2019)!.reference)).toBe('Source : indicateur « Taux d’appels aboutis », juillet 2019, valeur 94 % ; objectif : 90 % (valeur importée) – tableau de suivi des indicateurs qualité.');
  });

  it('then a cumulated value’s reference names the days it covers', () => {
    expect(nb(resultSentence({ ...fig('reclamations-nombre', 27), span: { from: '2019-01-01', to: '2019-07-31' } }, 2019)!.reference)).toBe('Source : indicateur « Suggestions et réclamations reçues », du 1er janvier 2019 au 31 juillet 2019 (cumul), valeur 27 (valeur importée) – tableau de suivi des indicateurs qualité.');
  });

  it.each([[null], [Number.NaN]])('then a missing value (%s) gives no sentence', (v) => {
    expect(resultSentence(fig('appels-aboutis', v), 2019)).toBeNull();
    expect(resultSentences([fig('appels-aboutis', v), fig('point-numerique-visiteurs', 200)], 2019).map((s) => s.indicatorId)).toEqual(['point-numerique-visiteurs']);
  });

  it('then every indicator of the catalogue has its own sentence, not the fallback', () => {
    for (const i of cat) expect(resultSentence(fig(i.id, 50, i.nationalTarget), 2019)!.text).not.toContain(i.label);
  });

  it('then an indicator unknown to the sentences file uses the fallback', () => {
    const f: IndicatorFigure = { indicator: { id: 'nouveau', label: 'Nouvel indicateur', unit: 'count', polarity: 'none', nationalTarget: null }, month: '2019-07', value: 3, target: null, source: 'saisi' };
    expect(resultSentence(f, 2019)!.text).toBe('Nouvel indicateur : 3 en juillet.');
  });

  it('then months read « en juillet » in the meeting’s year', () => {
    expect(monthWords('2019-07', 2019)).toBe('en juillet');
    expect(monthWords('2019-08', 2020)).toBe('en août 2019');
  });
});
