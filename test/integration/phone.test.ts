/**
 * Mystery phone calls through the app: a programme created and accepted, numbers, scenarios
 * and evaluators, the plan (working days, determinism, moving a call), the attempts rule,
 * drafts and locking, reopening.
 */
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { createService } from '../helpers/factories';
import { parisDateOf } from '../../server/campaigns/calendar/working-days';
import {
  BASE, GOOD_GRID, addNumbersAndScenarios, attempt, createProgramme, evaluatorBrowser, expectStatus, generate, nameEvaluators,
  noonOf, orgWithActors, planOf, postGrid, type OrgActors,
} from './phone.fixtures';

let t: TestContext;
let isere: OrgActors; // calls
let hauteSavoie: OrgActors; // is called
let pid: string;

beforeAll(async () => {
  // The test clock travels over June 2019: sessions must outlive the trip.
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-06-01T08:00:00Z'); // Saturday before the period
  isere = await orgWithActors(t, 'Préfecture de l’Isère');
  hauteSavoie = await orgWithActors(t, 'Préfecture de la Haute-Savoie', 1);
});
afterAll(() => t.close());

describe('when a referent creates a programme', () => {
  it('when a code is unknown or an organisation calls itself, then the form says so (422)', async () => {
    await isere.referent.page(BASE);
    const unknown = await isere.referent.post(BASE, { name: 'Essai', startsOn: '2019-06-03', endsOn: '2019-06-28', pairs: `${isere.code} > 999` });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Organisation inconnue : 999.');
    const self = await isere.referent.post(BASE, { name: 'Essai', startsOn: '2019-06-03', endsOn: '2019-06-28', pairs: `${isere.code} > ${isere.code}` });
    expect(self.status).toBe(422);
    expect(self.text).toContain('ne s’appelle pas elle-même');
    const order = await isere.referent.post(BASE, { name: 'Essai', startsOn: '2019-06-28', endsOn: '2019-06-03', pairs: `${isere.code} > ${hauteSavoie.code}` });
    expect(order.text).toContain('La fin doit suivre le début.');
  });

  it('then the called organisation sees it to accept, and cannot enter numbers before accepting', async () => {
    await isere.referent.page(BASE);
    const res = expectStatus(await isere.referent.post(BASE, {
      name: 'Appels mystères croisés, juin 2019', startsOn: '2019-06-03', endsOn: '2019-06-28', pairs: `${isere.code} > ${hauteSavoie.code}`,
    }), 303);
    pid = /([0-9a-f-]{36})/.exec(res.headers.location)![1];
    const page = await hauteSavoie.referent.page(`${BASE}/${pid}`);
    expect(page.text).toContain('Accepter l’enquête');
    expect((await hauteSavoie.referent.page(`${BASE}/${pid}/numeros`)).status).toBe(409);
    expectStatus(await hauteSavoie.referent.post(`${BASE}/${pid}/accepter`), 303);
    expect((await hauteSavoie.referent.post(`${BASE}/${pid}/accepter`)).status).toBe(409);
    const list = await request(t.app).get(`/api/v1${BASE}`).set('Authorization', `Bearer ${hauteSavoie.tokens.viewer}`);
    expect(list.body.programmes).toEqual([expect.objectContaining({ id: pid, accepted: true, startsOn: '2019-06-03', endsOn: '2019-06-28' })]);
  });

  it('then a partner that calls opens « Évaluateurs » before accepting and reads what is awaited and from whom, not a 409', async () => {
    await isere.referent.page(BASE);
    const res = expectStatus(await isere.referent.post(BASE, {
      name: 'Essai à accepter', startsOn: '2019-06-03', endsOn: '2019-06-28', pairs: `${hauteSavoie.code} > ${isere.code}`,
    }), 303);
    const other = /([0-9a-f-]{36})/.exec(res.headers.location)![1];
    const page = await hauteSavoie.referent.page(`${BASE}/${other}/evaluateurs`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('En attente de votre acceptation');
    expect(page.text).toContain('Un référent de votre organisation l’accepte sur la page de l’enquête');
    expect(page.text).not.toContain('not_accepted');
    expect((await hauteSavoie.referent.post(`${BASE}/${other}/evaluateurs`, {})).status).toBe(409);
  });
});

describe('when the called organisation lists its numbers and scenarios', () => {
  it('then a number can come from a service’s phones, and a scenario needs the citizen’s words and the expected answer', async () => {
    const service = await createService(t.deps, hauteSavoie.id, 'Bureau des étrangers');
    await hauteSavoie.referent.page(`${BASE}/${pid}/numeros`);
    expectStatus(await hauteSavoie.referent.post(`${BASE}/${pid}/numeros`, { kind: 'service', serviceId: service.id, label: '', phone: '' }), 303);
    expectStatus(await hauteSavoie.referent.post(`${BASE}/${pid}/numeros`, { kind: 'standard', label: 'Standard', phone: '04 50 33 60 00' }), 303);
    const bad = await hauteSavoie.referent.post(`${BASE}/${pid}/numeros`, { kind: 'standard', label: '', phone: '' });
    expect(bad.status).toBe(422);
    const numbers = (await request(t.app).get(`/api/v1${BASE}/${pid}/scenarios`).set('Authorization', `Bearer ${hauteSavoie.tokens.referent}`)).body.numbers;
    expect(numbers).toEqual([
      expect.objectContaining({ kind: 'service', label: 'Bureau des étrangers', phone: '04 50 00 00 00', serviceId: service.id }),
      expect.objectContaining({ kind: 'standard', label: 'Standard', phone: '04 50 33 60 00' }),
    ]);
    await hauteSavoie.referent.page(`${BASE}/${pid}/scenarios`);
    const short = await hauteSavoie.referent.post(`${BASE}/${pid}/scenarios`, { numberId: '', category: 'etrangers', question: 'Titre ?', expectedAnswer: '' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Écrivez la question telle qu’un usager la poserait.');
    expectStatus(await hauteSavoie.referent.post(`${BASE}/${pid}/scenarios`, {
      numberId: '', category: 'etrangers', question: 'Bonjour, mon titre de séjour expire dans un mois, que dois-je faire ?',
      expectedAnswer: 'Déposer la demande de renouvellement en ligne sur le site de l’ANEF, au moins deux mois avant l’expiration.',
    }), 303);
  });
});

describe('when the calling organisation names its evaluators and generates the plan', () => {
  it('then only its evaluators can be named', async () => {
    await isere.referent.page(`${BASE}/${pid}/evaluateurs`);
    const wrong = await isere.referent.post(`${BASE}/${pid}/evaluateurs`, { userIds: hauteSavoie.evaluators[0].id });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Seuls les évaluateurs actifs de votre organisation');
    await nameEvaluators(isere, pid);
  });

  it('then each number gets 3 calls on working days of June 2019 (never Whit Monday), never the same evaluator twice on a number the same day', async () => {
    await generate(t, isere, pid, hauteSavoie.code);
    const plan = await planOf(t, isere, pid);
    expect(plan).toHaveLength(6);
    const byNumber = new Map<string, typeof plan>();
    for (const c of plan) byNumber.set(c.number.label, [...(byNumber.get(c.number.label) ?? []), c]);
    expect([...byNumber.values()].map((l) => l.length)).toEqual([3, 3]);
    for (const c of plan) {
      const day = parisDateOf(new Date(c.scheduledAt));
      expect(day >= '2019-06-03' && day <= '2019-06-28').toBe(true);
      expect(day).not.toBe('2019-06-10');
      expect([1, 2, 3, 4, 5]).toContain(new Date(`${day}T12:00:00Z`).getUTCDay());
    }
    const keys = plan.map((c) => `${c.number.id}|${parisDateOf(new Date(c.scheduledAt))}|${c.evaluator.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('then generating again gives the same plan (same seed, same inputs)', async () => {
    const before = (await planOf(t, isere, pid)).map((c) => [c.scheduledAt, c.number.id, c.evaluator.id]);
    await generate(t, isere, pid, hauteSavoie.code);
    expect((await planOf(t, isere, pid)).map((c) => [c.scheduledAt, c.number.id, c.evaluator.id])).toEqual(before);
  });

  it('then a call can be moved or reassigned, but not to an evaluator already calling that number that day', async () => {
    const plan = await planOf(t, isere, pid);
    const [first, second] = plan.filter((c) => c.number.label === 'Standard');
    const firstDay = parisDateOf(new Date(first.scheduledAt));
    await isere.referent.page(`${BASE}/${pid}/plan/${second.id}`);
    const clash = await isere.referent.post(`${BASE}/${pid}/plan/${second.id}`, { date: firstDay, time: '16:30', evaluatorId: first.evaluator.id });
    expect(clash.status).toBe(422);
    expect(clash.text).toContain('Cet évaluateur appelle déjà ce numéro ce jour-là.');
    const holiday = await isere.referent.post(`${BASE}/${pid}/plan/${second.id}`, { date: '2019-06-10', time: '09:00', evaluatorId: second.evaluator.id });
    expect(holiday.text).toContain('Choisissez un jour ouvré de la période');
    const other = isere.evaluators.find((e) => e.id !== first.evaluator.id)!;
    expectStatus(await isere.referent.post(`${BASE}/${pid}/plan/${second.id}`, { date: firstDay, time: '16:30', evaluatorId: other.id }), 303);
    const moved = (await planOf(t, isere, pid)).find((c) => c.id === second.id)!;
    expect(moved.evaluator.id).toBe(other.id);
    expect(new Date(moved.scheduledAt).toISOString()).toBe(`${firstDay}T14:30:00.000Z`); // 16:30 in Paris (summer time)
  });
});

describe('when an evaluator makes a call', () => {
  let standard: Awaited<ReturnType<typeof planOf>>;

  beforeAll(async () => {
    standard = (await planOf(t, isere, pid)).filter((c) => c.number.label === 'Standard').sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  });

  it('then their home page is their calls, listing only theirs, with the scenario, and never another evaluator’s call', async () => {
    const call = standard[0];
    const b = evaluatorBrowser(isere, call.evaluator.id);
    const home = await b.page('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Mes appels du jour');
    const list = await b.page('/appels');
    expect(list.text).toContain(`/appels/${call.id}`);
    const mine = (await planOf(t, isere, pid)).filter((c) => c.evaluator.id === call.evaluator.id).map((c) => c.id);
    const listed = [...list.text.matchAll(/href="\/appels\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(mine.sort());
    const page = await b.page(`/appels/${call.id}`);
    expect(page.text).toContain('mon titre de séjour expire');
    const other = isere.evaluators.find((e) => e.id !== call.evaluator.id)!;
    expect((await other.browser.page(`/appels/${call.id}`)).status).toBe(404);
  });

  it('when the call is planned for a later day, then no attempt is accepted yet (409)', async () => {
    const call = standard[0];
    const b = evaluatorBrowser(isere, call.evaluator.id);
    t.clock.set('2019-06-01T08:00:00Z');
    expect((await attempt(b, call.id, 'occupe', 3)).status).toBe(409);
    // « Composer » is not offered before the call's day.
    const page = await b.page(`/appels/${call.id}`);
    expect(page.text).not.toContain('href="tel:');
    expect(page.text).toContain('vous pourrez le passer ce jour-là');
  });

  it('then after 3 attempts without a person the call is not answered, the grid is prefilled, and a 4th attempt is refused', async () => {
    const call = standard[0];
    const b = evaluatorBrowser(isere, call.evaluator.id);
    t.clock.set(noonOf(call.scheduledAt));
    expect((await b.page(`/appels/${call.id}`)).text).toContain('href="tel:0450336000"');
    expectStatus(await attempt(b, call.id, 'occupe', 4), 303);
    let page = await b.page(`/appels/${call.id}`);
    expect(page.text).toContain('Tentative 2 sur 3');
    expect(page.text).not.toContain('id="qm-grid-data"');
    const early = await postGrid(b, call.id, 'submit', { decroche: 'non', motif_non_abouti: 'occupe', serveur_vocal: 'non' });
    expect(early.status).toBe(409);
    expectStatus(await attempt(b, call.id, 'repondeur', 40), 303);
    const res = expectStatus(await attempt(b, call.id, 'repondeur', 35), 303);
    expect(res.headers.location).toBe(`/appels/${call.id}#grille`);
    page = await b.page(`/appels/${call.id}`);
    const data = JSON.parse(/<script type="application\/json" id="qm-grid-data">([^<]*)<\/script>/.exec(page.text)![1]);
    expect(data.data).toEqual({ decroche: 'non', motif_non_abouti: 'repondeur_seul', serveur_vocal: 'oui' });
    expect(data.survey.pages[0].name).toBe('aboutissement');
    expect((await attempt(b, call.id, 'personne', 10)).status).toBe(409);
    const wrong = await postGrid(b, call.id, 'submit', { ...GOOD_GRID });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.message).toContain('Personne n’a décroché en 3 tentatives');
    expectStatus(await postGrid(b, call.id, 'submit', { decroche: 'non', motif_non_abouti: 'repondeur_seul', serveur_vocal: 'oui', serveur_vocal_horaires: 'non' }), 200);
  });

  it('then a grid is saved as a draft, completed the same day, and locked once submitted', async () => {
    const call = standard[1];
    const b = evaluatorBrowser(isere, call.evaluator.id);
    t.clock.set(noonOf(call.scheduledAt));
    expectStatus(await attempt(b, call.id, 'personne', 25, 4), 303);
    const page = await b.page(`/appels/${call.id}`);
    expect(JSON.parse(/id="qm-grid-data">([^<]*)</.exec(page.text)![1]).data).toEqual({ decroche: 'oui', attente_secondes: 25, sonneries: 4 });

    const draft = await postGrid(b, call.id, 'draft', { decroche: 'oui', attente_secondes: 25, sonneries: 4, bonjour: 'oui' });
    expect(draft.status).toBe(200);
    expect(draft.body.status).toBe('in_progress');
    const invalid = await postGrid(b, call.id, 'draft', { decroche: 'oui', courtoisie: 'excellente' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toEqual([expect.objectContaining({ question: 'courtoisie', code: 'not_in_choices' })]);
    const unknown = await postGrid(b, call.id, 'draft', { decroche: 'oui', nom_de_l_agent: 'Martin' });
    expect(unknown.status).toBe(422);
    const reloaded = await b.page(`/appels/${call.id}`);
    expect(JSON.parse(/id="qm-grid-data">([^<]*)</.exec(reloaded.text)![1]).data).toEqual({ decroche: 'oui', attente_secondes: 25, sonneries: 4, bonjour: 'oui' });

    const incomplete = await postGrid(b, call.id, 'submit', { decroche: 'oui', attente_secondes: 25 });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error.details.map((d: { question: string }) => d.question)).toContain('courtoisie');

    t.clock.advance(3 * 3600_000); // later the same day
    const done = await postGrid(b, call.id, 'submit', { ...GOOD_GRID, attente_secondes: 25, sonneries: 4 });
    expect(done.status).toBe(200);
    expect(done.body).toEqual(expect.objectContaining({ status: 'submitted', redirect: '/appels' }));
    expect((await postGrid(b, call.id, 'draft', GOOD_GRID)).status).toBe(409);
    const locked = await b.page(`/appels/${call.id}`);
    expect(locked.text).toContain('Grille envoyée');
    expect(locked.text).not.toContain('id="qm-grid-data"');
  });

  it('then a draft left from another day is locked until the calling referent reopens it', async () => {
    const call = standard[2];
    const b = evaluatorBrowser(isere, call.evaluator.id);
    t.clock.set(noonOf(call.scheduledAt));
    expectStatus(await attempt(b, call.id, 'personne', 8, 1), 303);
    expectStatus(await postGrid(b, call.id, 'draft', { decroche: 'oui', attente_secondes: 8 }), 200);
    t.clock.advance(24 * 3600_000);
    const stale = await postGrid(b, call.id, 'submit', { ...GOOD_GRID, attente_secondes: 8, sonneries: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('demandez au référent');
    expect((await b.page(`/appels/${call.id}`)).text).toContain('Brouillon d’un autre jour');
    // The called organisation cannot reopen it; the calling referent can.
    await hauteSavoie.referent.page(`${BASE}/${pid}`);
    expect((await hauteSavoie.referent.post(`${BASE}/${pid}/plan/${call.id}/rouvrir`)).status).toBe(404);
    await isere.referent.page(`${BASE}/${pid}/plan/${call.id}`);
    expectStatus(await isere.referent.post(`${BASE}/${pid}/plan/${call.id}/rouvrir`), 303);
    expectStatus(await postGrid(b, call.id, 'submit', { ...GOOD_GRID, attente_secondes: 8, sonneries: 1 }), 200);
  });

  it('then the calling referent reopens a submitted grid, sees its answers, and the evaluator can submit it again', async () => {
    const call = standard[1];
    const view = await isere.referent.page(`${BASE}/${pid}/plan/${call.id}`);
    expect(view.text).toContain('Dit-il « bonjour » ?');
    // A mark reads "7,5/10"; ids in links may start with "10", so look for a digit before and no hex after.
    expect(view.text).not.toMatch(/\d\/10(?![0-9a-f])/); // the calling organisation never sees marks
    expectStatus(await isere.referent.post(`${BASE}/${pid}/plan/${call.id}/rouvrir`), 303);
    const b = evaluatorBrowser(isere, call.evaluator.id);
    expect((await b.page(`/appels/${call.id}`)).text).toContain('id="qm-grid-data"');
    expectStatus(await postGrid(b, call.id, 'submit', { ...GOOD_GRID, attente_secondes: 25, sonneries: 4, nom_agent: 'non' }), 200);
  });

  it('then the plan cannot be generated again once calls have started (409), and progress counts done, late and remaining', async () => {
    const page = await isere.referent.page(`${BASE}/${pid}/plan`);
    const pairId = /name="pairId" value="([0-9a-f-]{36})"/.exec(page.text)![1];
    expect((await isere.referent.post(`${BASE}/${pid}/plan`, { pairId })).status).toBe(409);
    t.clock.set('2019-06-29T08:00:00Z'); // after the period: every unsubmitted call is late
    // No working day is left for a new plan either: « calls have started » is still the answer.
    expect((await isere.referent.post(`${BASE}/${pid}/plan`, { pairId })).status).toBe(409);
    const progress = await request(t.app).get(`/api/v1${BASE}/${pid}/avancement`).set('Authorization', `Bearer ${isere.tokens.viewer}`);
    expect(progress.status).toBe(200);
    expect(progress.body.total).toEqual({ done: 3, late: 3, remaining: 0, total: 6 });
    const html = await isere.viewer.page(`${BASE}/${pid}/avancement`);
    expect(html.text).toContain('Avancement des évaluateurs');
    expect(html.text).not.toMatch(/\d\/10(?![0-9a-f])/);
  });
});

describe('when the programme’s settings differ', () => {
  it('then the not-answered rule follows the programme’s number of attempts', async () => {
    const a = await orgWithActors(t, 'Préfecture de la Savoie', 1);
    const b = await orgWithActors(t, 'Préfecture de l’Ain', 0);
    t.clock.set('2019-06-01T08:00:00Z');
    const p2 = await createProgramme(a, [b], [[a, b]], { maxAttempts: '2', callsPerNumber: '1' });
    await addNumbersAndScenarios(t, b, p2, ['Standard']);
    await nameEvaluators(a, p2);
    await generate(t, a, p2, b.code);
    const [call] = await planOf(t, a, p2);
    const ev = evaluatorBrowser(a, call.evaluator.id);
    t.clock.set(noonOf(call.scheduledAt));
    expectStatus(await attempt(ev, call.id, 'sonne_dans_le_vide', 300), 303);
    const res = expectStatus(await attempt(ev, call.id, 'occupe', 2), 303);
    expect(res.headers.location).toContain('#grille');
    const page = await ev.page(`/appels/${call.id}`);
    expect(page.text).toContain('après 2 tentatives de 5 minutes');
  });
});
