/**
 * Results of the called organisation, from grids played through the evaluator's routes.
 * Every expected figure is computed by hand in the comments (MIN_CELL_SIZE = 3 here).
 *
 * Standard (3 calls, all answered):
 *   1. perfect: form 10, substance 10, wait 12 s
 *   2. 6 rings (−1), courtesy « satisfaisante » (−0,5), no name (−1): form 7,5; partial answer: 5; wait 40 s
 *   3. 2 rings (1) + service named (1) + courtesy and listening « peu » (0,5 + 0,5) + transfer with
 *      the question repeated (0,5): form 3,5; no answer: 0; wait 20 s
 *   → answered 3/3 = 100 %, wait 24 s, form 7,0, substance 5,0, form ≥ 7: 2/3 = 67 %, substance ≥ 7: 1/3 = 33 %
 * Service des étrangers (3 calls): answering machine only, 3 attempts each → 0/3 = 0 %, no marks
 * Bureau des permis: one call perfect but picked up after 30 s with rings not counted (30 s > 20 s: no
 *   pick-up point, form 9; substance 10), one busy ×3, one never made → 2 calls < 3: withheld
 * Overall: 8 calls, 4 answered = 50 %; wait (12+40+20+30)/4 = 25,5 s; form (10+7,5+3,5+9)/4 = 7,5;
 *   substance (10+5+0+10)/4 = 6,25; form ≥ 7: 3/4 = 75 %; substance ≥ 7: 2/4 = 50 %.
 */
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import {
  BASE, GOOD_GRID, MACHINE_GRID, addNumbersAndScenarios, attempt, createProgramme, evaluatorBrowser, expectStatus, generate, nameEvaluators,
  noonOf, orgWithActors, planOf, postGrid, type OrgActors, type PlannedCallJson,
} from './phone.fixtures';

const NNBSP = '\u202f';
let t: TestContext;
let isere: OrgActors;
let hauteSavoie: OrgActors;
let pid: string;

async function play(call: PlannedCallJson, attempts: [string, number, number?][], grid: Record<string, unknown>) {
  const b = evaluatorBrowser(isere, call.evaluator.id);
  t.clock.set(noonOf(call.scheduledAt));
  for (const [outcome, wait, rings] of attempts) expectStatus(await attempt(b, call.id, outcome, wait, rings), 303);
  expectStatus(await postGrid(b, call.id, 'submit', grid), 200);
}

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000', MIN_CELL_SIZE: '3' } });
  t.clock.set('2019-06-01T08:00:00Z');
  isere = await orgWithActors(t, 'Préfecture de l’Isère', 2);
  hauteSavoie = await orgWithActors(t, 'Préfecture de la Haute-Savoie', 0);
  pid = await createProgramme(isere, [hauteSavoie], [[isere, hauteSavoie]]);
  await addNumbersAndScenarios(t, hauteSavoie, pid, ['Standard', 'Service des étrangers', 'Bureau des permis']);
  await nameEvaluators(isere, pid);
  await generate(t, isere, pid, hauteSavoie.code);
  const plan = await planOf(t, isere, pid);
  const of = (label: string) => plan.filter((c) => c.number.label === label).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const [s1, s2, s3] = of('Standard');
  await play(s1, [['personne', 12, 3]], { ...GOOD_GRID, attente_secondes: 12, sonneries: 3 });
  await play(s2, [['occupe', 2], ['personne', 40, 6]], { ...GOOD_GRID, attente_secondes: 40, sonneries: 6, courtoisie: 'satisfaisant', nom_agent: 'non', reponse_fond: 'partielle' });
  await play(s3, [['personne', 20, 2]], {
    ...GOOD_GRID, attente_secondes: 20, sonneries: 2, bonjour: 'non', nom_agent: 'non', courtoisie: 'peu_satisfaisant', ecoute: 'peu_satisfaisant',
    transfert: 'reussi', transfert_repetition: 'oui', prise_de_conge: 'non', reponse_fond: 'aucune',
  });
  for (const c of of('Service des étrangers')) await play(c, [['repondeur', 45], ['repondeur', 50], ['repondeur', 40]], MACHINE_GRID);
  const [p1, p2] = of('Bureau des permis');
  await play(p1, [['personne', 30]], { ...GOOD_GRID, attente_secondes: 30, sonneries: undefined });
  await play(p2, [['occupe', 3], ['occupe', 3], ['occupe', 4]], { decroche: 'non', motif_non_abouti: 'occupe', serveur_vocal: 'non' });
  t.clock.set('2019-07-01T08:00:00Z');
});
afterAll(() => t.close());

describe('when the called organisation reads its results', () => {
  it('then the JSON gives every figure with its n, withholding those below the minimum cell size', async () => {
    const res = await request(t.app).get(`/api/v1${BASE}/${pid}/resultats`).set('Authorization', `Bearer ${hauteSavoie.tokens.viewer}`);
    expect(res.status).toBe(200);
    const { overall, numbers, settings } = res.body;
    expect(settings).toEqual(expect.objectContaining({ passMark: 7, maxAttempts: 3, attemptWaitSeconds: 300, minCellSize: 3, answeredRateTarget: 0.9 }));
    expect(settings.weights.length).toBeGreaterThan(5);
    expect(overall.calls).toBe(8);
    expect(overall.answeredRate).toEqual({ value: 0.5, n: 8, answered: 4, insufficient: false });
    expect(overall.meanWaitSeconds).toEqual({ value: 25.5, n: 4, insufficient: false });
    expect(overall.formMark).toEqual({ value: 7.5, n: 4, insufficient: false });
    expect(overall.substanceMark).toEqual({ value: 6.25, n: 4, insufficient: false });
    expect(overall.formPassRate).toEqual({ value: 0.75, n: 4, insufficient: false });
    expect(overall.substancePassRate).toEqual({ value: 0.5, n: 4, insufficient: false });

    const [standard, etrangers, permis] = numbers;
    expect(standard).toEqual(expect.objectContaining({ label: 'Standard', kind: 'standard', calls: 3 }));
    expect(standard.answeredRate).toEqual({ value: 1, n: 3, answered: 3, insufficient: false });
    expect(standard.meanWaitSeconds.value).toBe(24);
    expect(standard.formMark.value).toBe(7);
    expect(standard.substanceMark.value).toBe(5);
    expect(standard.formPassRate.value).toBeCloseTo(2 / 3, 10);
    expect(standard.substancePassRate.value).toBeCloseTo(1 / 3, 10);
    expect(etrangers.answeredRate).toEqual({ value: 0, n: 3, answered: 0, insufficient: false });
    expect(etrangers.formMark).toEqual({ value: null, n: 0, insufficient: true });
    expect(permis.calls).toBe(2);
    expect(permis.answeredRate).toEqual({ value: null, n: 2, answered: 1, insufficient: true });
    expect(permis.formMark).toEqual({ value: null, n: 1, insufficient: true });

    expect(res.body.findings).toEqual([
      'Service des étrangers : absence de permanence téléphonique et renvoi systématique vers un répondeur (3 appels sur 3).',
      `Taux d’appels aboutis de 50${NNBSP}%, inférieur à l’objectif national de 90${NNBSP}%.`,
      'Professionnalisme et courtoisie de l’accueil téléphonique : note de forme de 7,5/10, qui atteint le seuil de réussite (7/10).',
      'Qualité des réponses sur le fond insuffisante : note de 6,3/10, sous le seuil de réussite (7/10).',
    ]);
  });

  it('then the page prints French figures, « effectif insuffisant », the weights and the settings, and no evaluator name', async () => {
    const page = await hauteSavoie.viewer.page(`${BASE}/${pid}/resultats`);
    expect(page.status).toBe(200);
    const text = page.text;
    for (const s of [`100${NNBSP}%`, '24 s', '7,0/10', '5,0/10', `67${NNBSP}%`, `33${NNBSP}%`, `0${NNBSP}%`, `50${NNBSP}%`, '26 s', '7,5/10', '6,3/10', `75${NNBSP}%`]) {
      expect(text).toContain(s);
    }
    expect(text).toContain('effectif insuffisant');
    expect(text).toContain('n = 2');
    expect(text).toContain('renvoi systématique vers un répondeur');
    expect(text).toContain('Un chiffre calculé sur moins de 3 appels n’est pas publié');
    expect(text).toContain('3 tentatives de 5 minutes');
    expect(text).toContain('Prise de congé courtoise');
    for (const e of isere.evaluators) expect(text).not.toContain(e.displayName);
  });

  it('then the calling organisation cannot read them (404), but sees its progress without marks', async () => {
    expect((await isere.referent.page(`${BASE}/${pid}/resultats`)).status).toBe(404);
    const api = await request(t.app).get(`/api/v1${BASE}/${pid}/resultats`).set('Authorization', `Bearer ${isere.tokens.referent}`);
    expect(api.status).toBe(404);
    const progress = await request(t.app).get(`/api/v1${BASE}/${pid}/avancement`).set('Authorization', `Bearer ${isere.tokens.referent}`);
    expect(progress.body.total).toEqual({ done: 8, late: 1, remaining: 0, total: 9 });
    expect(JSON.stringify(progress.body)).not.toMatch(/mark|note/i);
  });
});
