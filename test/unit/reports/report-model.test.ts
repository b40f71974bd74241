/** Poster selection, public model and flat tables from one report model. */
import { buildRow } from '../../../server/reports/metrics';
import { posterModel } from '../../../server/reports/poster';
import { publicModel } from '../../../server/reports/public.routes';
import type { ReportModel } from '../../../server/reports/report.model';
import { reportJson, reportTableRows, TABLE_COLUMNS } from '../../../server/reports/report-tables';

const row = (key: string, label: string, num: number, den: number, prev?: [number, number]) =>
  buildRow({ key, label, kind: 'share', num, den, sansAvis: 4, previous: prev ? { num: prev[0], den: prev[1] } : null }, 5);

function model(): ReportModel {
  const p = { from: '2018-10-01', to: '2018-11-30' };
  return {
    id: 'r1', title: 'Bilan', org: { id: 'o', code: '74', name: 'Préfecture de la Haute-Savoie', holidayZone: 'metropole', holidayZoneLabel: 'métropole' },
    period: p, periodLabel: 'du 1er octobre 2018 au 30 novembre 2018', periodShort: 'oct.–nov. 2018',
    comparison: { kind: 'previous', label: 'période précédente', period: { from: '2018-08-01', to: '2018-09-30' }, periodLabel: '…', periodShort: 'août–sept. 2018' },
    producedAt: '2019-09-09T08:00:00.000Z', producedAtLabel: '9 septembre 2019', minCellSize: 5,
    sections: [{
      id: 'satisfaction', title: 'Enquêtes de satisfaction', unavailable: null, methods: [],
      blocks: [{
        key: 'satisfaction:s', title: 'Questionnaire', subtitle: '100 questionnaires', trendLabel: null, trend: [],
        charts: { bars: '<svg/>', trend: null }, findings: { title: 'x', items: ['y'] }, comment: 'Commentaire interne',
        rows: [row('courtoisie', 'Courtoisie', 96, 100, [90, 100]), row('temps_attente', 'Temps d’attente', 70, 100), row('point_numerique', 'Point numérique', 3, 4), row('accueil_global', 'Accueil global', 93, 100)],
        bySite: [{ siteId: 's1', siteName: 'Accueil général', rows: [row('courtoisie', 'Courtoisie', 50, 52)] }],
      }],
    }],
    improvements: ['Ligne de confidentialité', 'Accueil sur rendez-vous'], methods: [],
  };
}

describe('posterModel', () => {
  it('then every item is shown in the survey’s order, the overall question first, weak and withheld ones included, each with its n', () => {
    const p = posterModel(model());
    expect(p.title).toBe('Vos avis nous font progresser');
    expect(p.blocMarque).toEqual(['Préfet', 'de la Haute-Savoie']);
    expect(p.overall).toMatchObject({ label: 'Accueil global', display: '93\u202f%', basis: 'sur 100\u00a0réponses' });
    expect(p.figures.map((f) => [f.label, f.display, f.basis, f.insufficient])).toEqual([
      ['Courtoisie', '96\u202f%', 'sur 100\u00a0réponses', false],
      ['Temps d’attente', '70\u202f%', 'sur 100\u00a0réponses', false],
      ['Point numérique', 'effectif insuffisant', '4\u00a0réponses : moins de 5, résultat non publié', true],
    ]);
    expect(p.scope).toContain('Les 4 questions du questionnaire « Questionnaire »');
    expect(p.periodLabel).toBe('du 1er octobre 2018 au 30 novembre 2018');
    expect(p.improvements).toEqual(['Ligne de confidentialité', 'Accueil sur rendez-vous']);
    expect(JSON.stringify(p)).not.toContain('Commentaire interne');
  });
});

describe('posterModel with mystery campaigns', () => {
  it('then the e-mail and phone headline figures come with their n, beside every satisfaction item', () => {
    const m = model();
    const block = (id: 'email' | 'phone', key: string, label: string, num: number, den: number, target?: number) => ({
      id, title: id, unavailable: null, methods: [],
      blocks: [{ ...m.sections[0].blocks[0], key: id, rows: [buildRow({ key, label, kind: 'share', num, den, target }, 5)], bySite: [] }],
    });
    m.sections.push(block('email', 'reponses_dans_delai', 'Réponses dans les 5 jours ouvrés', 28, 30), block('phone', 'appels_aboutis', 'Taux d’appels aboutis', 3, 4, 0.9));
    const p = posterModel(m);
    expect(p.figures).toHaveLength(3);
    expect(p.mystery.map((f) => [f.display, f.basis])).toEqual([['93\u202f%', 'sur 30\u00a0courriels envoyés'], ['effectif insuffisant', '4\u00a0appels : moins de 5, résultat non publié']]);
    expect(p.mystery[1].label).toBe('aboutissent (objectif national 90\u202f%)');
  });
});

describe('publicModel', () => {
  it('then the referent’s comments and internal findings are removed, the figures kept', () => {
    const m = publicModel(model());
    expect(m.sections[0].blocks[0].comment).toBe('');
    expect(m.sections[0].blocks[0].findings).toBeNull();
    expect(m.sections[0].blocks[0].rows[0].display).toBe('96\u202f%');
  });
});

describe('reportTableRows', () => {
  it('then there is one line per figure, all sites then per site, with the printed numbers', () => {
    const lines = reportTableRows(model());
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toHaveLength(TABLE_COLUMNS.length);
    expect(lines[0].slice(0, 8)).toEqual(['Enquêtes de satisfaction', 'Questionnaire', 'Tous les sites', 'Courtoisie', 96, '%', 100, 4]);
    expect(lines[0].slice(11, 14)).toEqual([90, 100, 6]);
    expect(lines[2][4]).toBe('effectif insuffisant');
    expect(lines[4][2]).toBe('Accueil général');
  });
  it('then the JSON carries the same figures and no SVG', () => {
    const j = reportJson(model());
    expect(JSON.stringify(j)).not.toContain('<svg');
    expect(j.sections[0].blocks[0].rows[0]).toMatchObject({ value: 0.96, printed: 96, display: '96\u202f%', n: 100 });
  });
});
