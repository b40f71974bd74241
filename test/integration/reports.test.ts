/**
 * The report builder and its outputs: roles and tenancy, comment boxes, the hall poster, the
 * public results page (opt-in), the print view when Chromium is missing, and the e-mail and
 * phone sections fed by their sources.
 */
import request from 'supertest';
import { buildReport } from '../../server/reports/report.service';
import * as reportStore from '../../server/reports/report.store';
import type { EmailIndicators, PhoneIndicators, ReportSources } from '../../server/reports/sources';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite, createToken, createUser, loggedIn, type Browser } from '../helpers/factories';
import { SEED_2018, insertAnswerSets, seedAnswerSets } from './reports.fixtures';

let t: TestContext;
let org: { id: string; code: string; name: string };
let referent: Browser;
let reportId: string;
const NNBSP = '\u202f';
const FORM = { title: 'Bilan automne 2018', periodStart: '2018-10-01', periodEnd: '2018-11-30', comparison: 'previous', sections: ['satisfaction', 'email', 'phone'] };

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-09-09T08:00:00Z');
  org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const site = await createSite(t.deps, org.id, 'Accueil général');
  await insertAnswerSets(t.deps, org.id, seedAnswerSets({ siteId: site.id, start: new Date('2018-10-01T07:00:00Z'), comment: (i) => (i < 3 ? `Commentaire libre ${i} : agent très aimable` : undefined) }));
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  await referent.page('/rapports');
  const res = await referent.agent.post('/rapports').type('form').set('Accept', 'text/html').send(`title=${encodeURIComponent(FORM.title)}&periodStart=2018-10-01&periodEnd=2018-11-30&comparison=previous&sections=satisfaction&sections=email&sections=phone&_csrf=${encodeURIComponent(referent.csrf)}`);
  expect(res.status).toBe(303);
  reportId = res.headers.location.split('/').pop()!;
});
afterAll(() => t?.close());

describe('the builder', () => {
  it('when the form is invalid, then it comes back with 422 and the reasons', async () => {
    await referent.page('/rapports');
    const res = await referent.post('/rapports', { title: 'x', periodStart: '2018-11-30', periodEnd: '2018-10-01' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Indiquez un titre');
    expect(res.text).toContain('La date de fin doit suivre la date de début.');
    expect(res.text).toContain('Choisissez au moins une rubrique.');
  });

  it('when a survey is unknown, then the form says so', async () => {
    await referent.page('/rapports');
    const res = await referent.post('/rapports', { ...FORM, sections: 'satisfaction', surveyIds: 'inconnu' } as unknown as Record<string, string>);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Questionnaire inconnu.');
  });

  it('when no survey is chosen, then every survey with answers in the period is included', async () => {
    const page = await referent.page(`/rapports/${reportId}`);
    expect(page.text).toContain('Votre avis sur l&#39;accueil de la préfecture');
    expect(page.text).toContain('107 questionnaires sur la période');
  });

  it('when the referent lists the reports, then the default form proposes the last full quarter', async () => {
    const page = await referent.page('/rapports');
    expect(page.text).toContain('Bilan automne 2018');
    expect(page.text).toContain('value="2019-04-01"');
    expect(page.text).toContain('value="2019-06-30"');
  });

  it('when a viewer opens a report, then they read it but cannot change it; an evaluator gets 403 on the list, 404 on a report', async () => {
    const viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
    const page = await viewer.page(`/rapports/${reportId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Enregistrer les commentaires');
    expect((await viewer.post('/rapports', { ...FORM, sections: 'satisfaction' })).status).toBe(403);
    expect((await viewer.post(`/rapports/${reportId}/publier`)).status).toBe(404);
    expect((await viewer.page(`/rapports/${reportId}/bilan`)).status).toBe(200);
    const evaluator = await loggedIn(t.app, await createUser(t.deps, org.id, 'evaluator'));
    expect((await evaluator.page(`/rapports/${reportId}`)).status).toBe(404);
    expect((await evaluator.page('/rapports')).status).toBe(403);
  });

  it('when another organisation asks for the report, then it does not exist for them (404), pages and API alike', async () => {
    const other = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, other.id, 'referent'));
    for (const path of ['', '/bilan', '/bilan.pdf', '/affiche', '/tableaux.csv', '/parametres']) {
      expect((await b.page(`/rapports/${reportId}${path}`)).status).toBe(404);
    }
    expect((await b.post(`/rapports/${reportId}/commentaires`, { improvements: 'x' })).status).toBe(404);
    expect((await b.post(`/rapports/${reportId}/supprimer`)).status).toBe(404);
    expect((await b.post(`/rapports/${reportId}/publier`)).status).toBe(404);
    const token = await createToken(t.deps, other.id, 'referent');
    expect((await request(t.app).get(`/api/v1/rapports/${reportId}`).set('Authorization', `Bearer ${token}`)).status).toBe(404);
    expect(await reportStore.getReport(t.deps.db, other.id, reportId)).toBeUndefined();
  });

  it('when the settings change, then the report follows', async () => {
    const created = await referent.post('/rapports', { ...FORM, title: 'À modifier', sections: 'satisfaction' });
    const id = created.headers.location.split('/').pop()!;
    await referent.page(`/rapports/${id}/parametres`);
    const res = await referent.post(`/rapports/${id}/parametres`, { ...FORM, title: 'Modifié', comparison: 'last_year', sections: 'satisfaction' });
    expect(res.status).toBe(303);
    const page = await referent.page(`/rapports/${id}`);
    expect(page.text).toContain('Modifié');
    expect(page.text).toContain('même période de l’année précédente');
    expect((await referent.post(`/rapports/${id}/supprimer`, { confirme: '1' })).status).toBe(303);
    expect((await referent.page(`/rapports/${id}`)).status).toBe(404);
  });
});

describe('comment boxes and improvements', () => {
  it('when the referent comments a table, then the comment prints under it; unknown boxes are ignored', async () => {
    await referent.page(`/rapports/${reportId}`);
    const res = await referent.post(`/rapports/${reportId}/commentaires`, {
      'comment:satisfaction:satisfaction-accueil': 'Le temps d’attente reste le point faible <b>malgré</b> l’accueil sur rendez-vous.',
      'comment:inconnu': 'ignoré',
      improvements: '✓ Accueil sur rendez-vous généralisé\n- Ligne de confidentialité installée\n\nPoint numérique dans un espace fermé',
    });
    expect(res.status).toBe(303);
    const print = await referent.page(`/rapports/${reportId}/bilan`);
    expect(print.text).toContain('Le temps d’attente reste le point faible &lt;b&gt;malgré&lt;/b&gt;');
    expect(print.text).toContain('<li>Accueil sur rendez-vous généralisé</li>');
    expect(print.text).toContain('<li>Ligne de confidentialité installée</li>');
    const row = await reportStore.getReport(t.deps.db, org.id, reportId);
    expect(row!.comments).toEqual({ 'satisfaction:satisfaction-accueil': 'Le temps d’attente reste le point faible <b>malgré</b> l’accueil sur rendez-vous.' });
  });

  it('when a comment is too long, then the form comes back with 422', async () => {
    await referent.page(`/rapports/${reportId}`);
    const res = await referent.post(`/rapports/${reportId}/commentaires`, { 'comment:satisfaction:satisfaction-accueil': 'x'.repeat(1001) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Un commentaire ne peut dépasser 1000 caractères.');
  });
});

describe('the hall poster', () => {
  it.each(['a4', 'a3'])('when printed in %s, then it shows every item with its n, the overall question first, and the bloc-marque, never free text', async (format) => {
    const res = await referent.page(`/rapports/${reportId}/affiche?format=${format}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Vos avis nous font progresser');
    expect(res.text).toContain(`<span class="qm-big">93${NNBSP}%</span>`);
    expect((res.text.match(/class="qm-big"/g) ?? []).length).toBe(1);
    expect(res.text).toContain(`<span class="qm-mid">97${NNBSP}%</span>`);
    expect(res.text).toContain('Point numérique dans un espace fermé');
    expect(res.text).toMatch(/sur \d+\u00a0réponses/);
    expect(res.text).toContain('toutes affichées, y compris celles où nous devons progresser');
    expect(res.text).toContain('<p class="fr-logo fr-logo--lg">Préfet<br>de la Haute-Savoie');
    expect(res.text).not.toContain('Commentaire libre');
    expect(res.text).not.toContain('point faible');
    expect(res.text.includes('poster-a3.css')).toBe(format === 'a3');
  });

  it('when the referent selects some items, then the poster prints « Sélection du référent : N items sur M » and only those, the overall question kept (issue 14)', async () => {
    const all = (await referent.page(`/rapports/${reportId}/affiche`)).text;
    const keys = [...all.matchAll(/name="items" value="([^"]+)" checked/g)].map((x) => x[1]);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const total = keys.length + 1;
    const res = await referent.page(`/rapports/${reportId}/affiche?format=a4&items=${keys.slice(0, 2).join(',')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Sélection du référent : 3 items sur ${total} du questionnaire`);
    expect(res.text).not.toContain('toutes affichées');
    expect((res.text.match(/class="qm-big"/g) ?? []).length).toBe(1);
    expect((res.text.match(/name="items" value="[^"]+" checked/g) ?? []).length).toBe(2);
    expect(res.text).toContain(`affiche.pdf?format=a4&amp;items=${encodeURIComponent(keys.slice(0, 2).join(','))}`);
    // Selecting everything is no selection.
    const full = await referent.page(`/rapports/${reportId}/affiche?items=${keys.join(',')}`);
    expect(full.text).toContain('toutes affichées');
  });

  it('when the bloc-marque stylesheet is asked for, then it is served without a session', async () => {
    const res = await request(t.app).get('/static/reports/bloc-marque.css');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/css');
    expect(res.text).toContain('.fr-logo:before{');
  });
});

describe('the public results page', () => {
  it('when the organisation has not opted in, then there is no page', async () => {
    expect((await request(t.app).get(`/nos-resultats/${org.code}`)).status).toBe(404);
  });

  it('when the referent publishes the report, then anyone reads its figures at a stable address, without comments or free text', async () => {
    await referent.page(`/rapports/${reportId}`);
    expect((await referent.post(`/rapports/${reportId}/publier`, { confirme: '1' })).status).toBe(303);
    const res = await request(t.app).get(`/nos-resultats/${org.code}`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    // Every item, said for the public: « 96 % des 140 usagers interrogés se disent satisfaits ».
    for (const [, , percent] of SEED_2018) expect(res.text).toMatch(new RegExp(`<strong>${percent}\u202f%</strong> des \\d+\u00a0usagers interrogés se disent satisfaits`));
    expect((res.text.match(/class="qm-public-label"/g) ?? []).length).toBe(SEED_2018.length);
    expect(res.text).toContain('la valeur exacte se situe très probablement entre');
    expect(res.text).not.toMatch(/IC 95|<th[^>]*>n<\/th>/);
    expect(res.text).toContain('Point numérique dans un espace fermé');
    expect(res.text).not.toContain('point faible');
    expect(res.text).not.toContain('Commentaire libre');
    expect(res.text).not.toContain('Enregistrer');
    expect((await request(t.app).get('/nos-resultats/999')).status).toBe(404);
    expect((await request(t.app).get('/nos-resultats/..%2F')).status).toBe(404);
  });

  it('when the page is embedded, then only its embed route may be framed by another site (issue 14)', async () => {
    const embed = await request(t.app).get(`/nos-resultats/${org.code}/integre`).set('Accept', 'text/html');
    expect(embed.status).toBe(200);
    expect(embed.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(embed.headers['content-security-policy']).not.toContain("frame-ancestors 'none'");
    expect(embed.headers['content-security-policy']).toContain("script-src 'self'");
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect(embed.text).toMatch(/des \d+\u00a0usagers interrogés se disent satisfaits/);
    // The rest stays unframeable: the public page itself, the pages behind the login.
    const own = await request(t.app).get(`/nos-resultats/${org.code}`);
    expect(own.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(own.headers['x-frame-options']).toBe('SAMEORIGIN');
    const list = await referent.page('/rapports');
    expect(list.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(list.text).toContain(`&lt;iframe src=&#34;/nos-resultats/${org.code}/integre&#34;`);
    expect((await request(t.app).get('/nos-resultats/999/integre')).status).toBe(404);
  });

  it('when the referent withdraws it, then the page is gone', async () => {
    await referent.page(`/rapports/${reportId}`);
    expect((await referent.post(`/rapports/${reportId}/depublier`, { confirme: '1' })).status).toBe(303);
    expect((await request(t.app).get(`/nos-resultats/${org.code}`)).status).toBe(404);
    expect((await request(t.app).get(`/nos-resultats/${org.code}/integre`)).status).toBe(404);
  });
});

describe('when Chromium is missing on the server', () => {
  it('then the PDF button says so, the PDF answers 503, and the print view still works', async () => {
    const t2 = await createTestContext({ config: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    try {
      const o = await createOrg(t2.deps);
      const b = await loggedIn(t2.app, await createUser(t2.deps, o.id, 'referent'));
      await b.page('/rapports');
      const id = (await b.post('/rapports', { ...FORM, sections: 'satisfaction' })).headers.location.split('/').pop();
      const page = await b.page(`/rapports/${id}`);
      expect(page.text).toContain('PDF indisponible');
      expect(page.text).toContain('Chromium n’est pas installé sur le serveur');
      const pdf = await b.page(`/rapports/${id}/bilan.pdf`);
      expect(pdf.status).toBe(503);
      expect(pdf.text).toContain('Chromium n’est pas installé');
      const print = await b.page(`/rapports/${id}/bilan`);
      expect(print.status).toBe(200);
      expect(print.text).toContain('PDF indisponible sur ce serveur');
    } finally {
      await t2.close();
    }
  });
});

describe('the e-mail and phone sections', () => {
  const email = (delivered: number, ack: number, answered: number, sig: number, within: number, delay: number | null): EmailIndicators => ({
    delivered, acknowledged: ack, answered, signatureAssessed: answered, signatureCompliant: sig, withinDeadline: within, meanDelayDays: delay,
    bounces: [{ service: 'Bureau du séjour', address: 'sejour@exemple.test' }],
    settings: { deadlineDays: 5, signatureChecklist: ['firstName', 'lastName', 'function', 'service', 'address', 'phone'], holidayZone: 'metropole', whitMondayWorked: false },
  });
  const phone = (calls: number, answered: number): PhoneIndicators => ({
    calls, answered, form: { n: answered, mean: 7.44, passed: answered - 1 }, substance: { n: answered, mean: 6.2, passed: 2 },
    correctAnswers: null, pickupBefore5thRing: null, settings: { passMark: 7, maxAttempts: 3, attemptWaitSeconds: 300 },
  });
  const sources: ReportSources = {
    // The seed's campaign (15 May – 30 June 2019): 90 %, 75 %, 93 %, 93 %, 1,5 jours.
    email: { indicators: async (_o, p) => (p.from === '2018-10-01' ? email(40, 36, 30, 28, 28, 1.5) : p.from === '2018-08-01' ? email(40, 30, 28, 20, 25, 2.4) : null) },
    phone: { indicators: async (_o, p) => (p.from === '2018-10-01' ? phone(50, 47) : p.from === '2018-08-01' ? phone(4, 3) : null) },
  };

  it('then the e-mail lines reproduce the seed’s indicators, with bounces listed and the change in points', async () => {
    const row = (await reportStore.getReport(t.deps.db, org.id, reportId))!;
    const m = await buildReport(t.deps, org.id, row, sources);
    const s = m.sections.find((x) => x.id === 'email')!;
    expect(s.blocks[0].rows.map((r) => [r.label, r.display, r.n])).toEqual([
      ['Accusés de réception reçus', `90${NNBSP}%`, 40],
      ['Réponses', `75${NNBSP}%`, 40],
      ['Signatures conformes', `93${NNBSP}%`, 30],
      ['Réponses dans les 5 jours ouvrés', `93${NNBSP}%`, 30],
      ['Délai moyen de réponse', `1,5${NNBSP}jour`, 30],
    ]);
    expect(s.blocks[0].rows[4].comparison).toMatchObject({ display: `2,4${NNBSP}jours`, change: -0.9, changeDisplay: `\u22120,9${NNBSP}jour` });
    expect(s.blocks[0].findings!.items).toEqual(['Bureau du séjour : sejour@exemple.test']);
    expect(s.methods.join(' ')).toContain('zone métropole');
    expect(s.methods.join(' ')).toContain('prénom, nom, qualité, service, adresse administrative, téléphone');
  });

  it('then the phone lines carry the national target of answered calls, and a small comparison period is withheld', async () => {
    const row = (await reportStore.getReport(t.deps.db, org.id, reportId))!;
    const m = await buildReport(t.deps, org.id, row, sources);
    const s = m.sections.find((x) => x.id === 'phone')!;
    const answered = s.blocks[0].rows[0];
    expect(answered).toMatchObject({ label: 'Taux d’appels aboutis', display: `94${NNBSP}%`, n: 50, target: { value: 0.9, display: `90${NNBSP}%` } });
    expect(answered.comparison).toMatchObject({ display: 'effectif insuffisant', change: null });
    expect(s.blocks[0].rows[1]).toMatchObject({ label: 'Note moyenne sur la forme', display: `7,4${NNBSP}/${NNBSP}10` });
    expect(s.blocks[0].charts.bars).toContain('objectif national');
    expect(s.methods.join(' ')).toContain('seuil de réussite : 7/10');
  });

  it('when there is no campaign nor programme in the period, then the sections say so and the rest prints', async () => {
    const page = await referent.page(`/rapports/${reportId}`);
    expect(page.text).toContain('Aucun courriel mystère envoyé sur la période.');
    expect(page.text).toContain('Aucun appel mystère reçu sur la période.');
    const row = (await reportStore.getReport(t.deps.db, org.id, reportId))!;
    const m = await buildReport(t.deps, org.id, row, { email: null, phone: null });
    expect(m.sections.find((x) => x.id === 'email')!.unavailable).toContain('pas encore disponibles');
  });
});
