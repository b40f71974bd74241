import { buildRow } from '../../../server/reports/metrics';
import { publicMethods, publicSections } from '../../../server/reports/public-page';
import type { ReportModel } from '../../../server/reports/report.model';

const share = (key: string, label: string, num: number, den: number) => buildRow({ key, label, kind: 'share', num, den, sansAvis: 0, previous: null }, 5);

const model = {
  minCellSize: 5,
  sections: [
    { id: 'satisfaction', title: 'Enquêtes de satisfaction', unavailable: null, methods: [], blocks: [{
      key: 'satisfaction:s', title: 'Questionnaire', subtitle: '212 questionnaires', trendLabel: null, trend: [], charts: { bars: null, trend: null }, bySite: [], findings: null, comment: '',
      rows: [share('courtoisie', 'Courtoisie', 204, 212), share('attente', 'Temps d’attente', 48, 100), share('point_numerique', 'Point numérique', 3, 4)],
    }] },
    { id: 'phone', title: 'Téléphone', unavailable: null, methods: [], blocks: [{
      key: 'phone', title: 'Appels', subtitle: null, trendLabel: null, trend: [], charts: { bars: null, trend: null }, bySite: [], findings: null, comment: '',
      rows: [share('appels_aboutis', 'Appels aboutis', 45, 50)],
    }] },
  ],
} as unknown as ReportModel;

describe('publicSections', () => {
  const [satisfaction, phone] = publicSections(model);
  it('when an item has enough answers, then it reads « 96 % des 212 usagers interrogés se disent satisfaits » with the uncertainty in words', () => {
    expect(satisfaction.blocks[0].lines[0]).toEqual({
      label: 'Courtoisie', figure: '96\u202f%', text: 'des 212\u00a0usagers interrogés se disent satisfaits', withheld: false,
      note: 'Compte tenu du nombre de réponses, la valeur exacte se situe très probablement entre 93\u202f% et 98\u202f%.',
    });
  });
  it('when an item is weak, then it is listed like the others', () => {
    expect(satisfaction.blocks[0].lines[1]).toMatchObject({ label: 'Temps d’attente', figure: '48\u202f%', withheld: false });
  });
  it('when an item has too few answers, then it is listed as not published, with why', () => {
    expect(satisfaction.blocks[0].lines[2]).toMatchObject({ label: 'Point numérique', figure: 'Résultat non publié', withheld: true, note: 'Trop peu de réponses (4\u00a0réponses, il en faut au moins 5) pour publier un résultat fiable.' });
  });
  it('when the figure is not a satisfaction, then it says what it rests on', () => {
    expect(phone.blocks[0].lines[0]).toMatchObject({ figure: '90\u202f%', text: 'sur 50\u00a0appels' });
  });
  it('then no line speaks statisticians’ jargon', () => {
    expect(JSON.stringify([publicSections(model), publicMethods(model)])).not.toMatch(/IC 95|Wilson|\bn\b =|effectif/);
  });
});
