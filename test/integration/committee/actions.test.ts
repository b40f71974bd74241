/**
 * The action plan through the pages: create, edit (with a complaint of the register as its
 * origin), delete, a review's snapshot that later edits leave untouched, the overdue alert on
 * the home page, the bilan's section, viewers reading but refused the edit pages, and another
 * organisation's actions and reviews answering 404.
 */
import { createComplaint } from '../../../server/complaints/complaint.service';
import { complaintSchema } from '../../../server/complaints/complaint.schemas';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createService, createUser, loggedIn, type Browser } from '../../helpers/factories';

let t: TestContext;
let referent: Browser;
let viewer: Browser;
let other: Browser;
let serviceId: string;
let complaintId: string;

const idFrom = (html: string, title: string) => new RegExp(`href="/plan-actions/([0-9a-f-]{36})">${title}<`).exec(html)?.[1] ?? '';
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-09-09T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture A');
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
  serviceId = (await createService(t.deps, org.id, 'Pôle accueil téléphonique')).id;
  complaintId = (await createComplaint(t.deps, org.id, null, complaintSchema.parse({ channel: 'papier', receivedOn: '2019-06-03', subject: 'Personne ne répond au service des étrangers' }))).id;
  const otherOrg = await createOrg(t.deps, 'Préfecture B');
  other = await loggedIn(t.app, await createUser(t.deps, otherOrg.id, 'referent'));
}, 60_000);
afterAll(async () => t?.close());

describe('when a referent builds the plan', () => {
  let late: string;
  let reviewId: string;

  it('then a bad form is a 422 with French field errors', async () => {
    const res = await referent.post('/plan-actions/nouvelle', { title: '', origin: 'inconnue', dueOn: '2019-02-30', status: 'realisee' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Indiquez l’intitulé de l’action.');
    expect(res.text).toContain('Choisissez l’origine.');
    expect(res.text).toContain('Date invalide.');
  });

  it('then a done action needs its date, and another organisation’s service is refused', async () => {
    expect((await referent.post('/plan-actions/nouvelle', { title: 'X', origin: 'enquete', status: 'realisee' })).text).toContain('Indiquez la date de réalisation.');
    const res = await other.post('/plan-actions/nouvelle', { title: 'X', origin: 'enquete', serviceId });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Service inconnu.');
  });

  it('then actions are created, listed with their origin and service, and the overdue one is flagged', async () => {
    expect((await referent.post('/plan-actions/nouvelle', { title: 'Permanence téléphonique des étrangers', origin: 'reclamation', complaintId, serviceId, dueOn: '2019-07-31', status: 'en_cours' })).status).toBe(303);
    expect((await referent.post('/plan-actions/nouvelle', { title: 'Ligne de confidentialité', origin: 'enquete', originNote: 'confidentialité 89 %', dueOn: '2019-12-31' })).status).toBe(303);
    const page = await viewer.page('/plan-actions');
    expect(page.status).toBe(200);
    const body = text(page.text);
    expect(body).toContain('Réclamation : reçue le 03/06/2019');
    expect(body).toContain('Pôle accueil téléphonique');
    expect(body).toContain('En cours (en retard)');
    expect(body).toContain('1 action en retard');
    expect(page.text).not.toContain('/plan-actions/nouvelle');
    late = idFrom((await referent.page('/plan-actions')).text, 'Permanence téléphonique des étrangers');
    expect(late).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('then the home page warns of the overdue action', async () => {
    const home = text((await referent.page('/')).text);
    expect(home).toContain('1 action du plan d’actions a dépassé son échéance');
  });

  it('then a review keeps the state of every action at that date, whatever happens next', async () => {
    const res = await referent.post('/plan-actions/revues', { reviewedOn: '2019-09-05', note: 'COPIL de septembre' });
    expect(res.status).toBe(303);
    reviewId = /revues\/([0-9a-f-]{36})$/.exec(res.headers.location)![1];
    expect((await referent.post(`/plan-actions/${late}`, { title: 'Permanence téléphonique des étrangers', origin: 'reclamation', complaintId, serviceId, dueOn: '2019-07-31', status: 'realisee', doneOn: '2019-09-06', comment: 'Permanence ouverte le matin' })).status).toBe(303);
    const review = text((await viewer.page(`/plan-actions/revues/${reviewId}`)).text);
    expect(review).toContain('Revue du plan d’actions du 5 septembre 2019');
    expect(review).toContain('En cours (en retard)');
    expect(review).not.toContain('Permanence ouverte le matin');
    const now = text((await viewer.page('/plan-actions')).text);
    expect(now).toContain('Réalisée');
    expect(now).toContain('Permanence ouverte le matin');
    expect(now).toContain('0 action en retard');
    expect(text((await viewer.page('/plan-actions')).text)).toContain('Revue du 5 septembre 2019 (2 actions) : COPIL de septembre');
  });

  it('then the bilan prints the plan in its own section', async () => {
    const created = await referent.post('/rapports', { title: 'Bilan 2019', periodStart: '2019-01-01', periodEnd: '2019-08-31', comparison: 'none', sections: 'actions' });
    expect(created.status).toBe(303);
    const bilan = text((await viewer.page(`${created.headers.location}/bilan`)).text);
    expect(bilan).toContain('Plan d’actions correctives');
    expect(bilan).toContain('Ligne de confidentialité');
    expect(bilan).toContain('Constat d’une enquête de satisfaction : confidentialité 89 %');
  });

  it('then a viewer is refused the edit pages (403 without an object, 404 with one)', async () => {
    for (const path of ['/plan-actions/nouvelle']) {
      const res = await viewer.page(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain('Accès réservé aux référents qualité.');
    }
    expect((await viewer.post('/plan-actions/nouvelle', { title: 'X', origin: 'enquete' })).status).toBe(403);
    expect((await viewer.post('/plan-actions/revues', { reviewedOn: '2019-09-05' })).status).toBe(403);
    expect((await viewer.page(`/plan-actions/${late}`)).status).toBe(404);
  });

  it('then another organisation gets 404 on every action and review route, and sees none of them', async () => {
    const cells: string[] = [];
    for (const [method, path] of [['GET', `/plan-actions/${late}`], ['POST', `/plan-actions/${late}`], ['POST', `/plan-actions/${late}/supprimer`], ['GET', `/plan-actions/revues/${reviewId}`]]) {
      const res = method === 'GET' ? await other.page(path) : await other.post(path, { title: 'Piratée', origin: 'enquete' });
      cells.push(`${method} ${path} → ${res.status}`);
    }
    expect(cells.every((c) => c.endsWith('→ 404'))).toBe(true);
    expect((await other.page('/plan-actions')).text).not.toContain('Permanence');
    expect(text((await referent.page('/plan-actions')).text)).not.toContain('Piratée');
  });

  it('then the referent deletes an action and the review keeps its copy', async () => {
    expect((await referent.post(`/plan-actions/${late}/supprimer`)).status).toBe(303);
    expect((await referent.page(`/plan-actions/${late}`)).status).toBe(404);
    expect(text((await viewer.page(`/plan-actions/revues/${reviewId}`)).text)).toContain('Permanence téléphonique des étrangers');
  });
});
