/**
 * The hall's suggestion / complaint form (surveys/reclamation.json) on a kiosk and through a
 * public link: each entry lands in the complaints register with its channel, once per client
 * id (a retry is 200 duplicate), contact details optional and erased after the retention
 * period, never stored as an answer set; a paused kiosk keeps it queued (423); another
 * organisation's id is a 409 and its register never shows the entry.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import * as kiosks from '../../server/kiosk/kiosk.service';
import * as links from '../../server/surveys/public-links.service';
import { purgeContactDetails } from '../../server/complaints/complaint.service';
import { getSurvey } from '../../server/surveys/surveys.service';
import { complaints, responses } from '../../server/storage/schema';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite, createUser, loggedIn, type Browser } from '../helpers/factories';

const SURVEY = 'reclamation';
let t: TestContext;
let orgId: string;
let kioskId: string;
let kioskToken: string;
let slug: string;
let otherToken: string;
let referent: Browser;
let otherReferent: Browser;

function form(answers: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(), survey: SURVEY, version: getSurvey(t.deps, SURVEY)!.version, locale: 'fr', answers,
    completedAt: new Date(t.clock.now().getTime() - 60_000).toISOString(), ...over,
  };
}
const rowOf = async (id: string) => (await t.deps.db.select().from(complaints).where(eq(complaints.id, id)))[0];

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-07-05T08:30:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  orgId = org.id;
  const site = await createSite(t.deps, org.id);
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  const k = await kiosks.createKiosk(t.deps, org.id, { name: 'Hall – urne', siteId: site.id, surveyId: SURVEY, locales: [], inactivitySeconds: 120 });
  kioskId = k.kiosk.id;
  kioskToken = k.token;
  expect((await referent.post('/liens-publics', { surveyId: SURVEY })).status).toBe(303);
  slug = (await links.listLinks(t.deps, org.id))[0].slug;
  const other = await createOrg(t.deps, 'Préfecture B');
  otherReferent = await loggedIn(t.app, await createUser(t.deps, other.id, 'referent'));
  otherToken = (await kiosks.createKiosk(t.deps, other.id, { name: 'Hall', siteId: (await createSite(t.deps, other.id)).id, surveyId: SURVEY, locales: [], inactivitySeconds: 60 })).token;
}, 60_000);
afterAll(async () => t?.close());

describe('when a visitor fills the form on the hall kiosk', () => {
  it('then the page opens on the form itself, without smileys', async () => {
    const res = await request(t.app).get(`/kiosque/${kioskToken}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('"kind":"complaint"');
    expect(res.text).not.toContain('qk-smiley');
  });

  it('then one entry is registered with the channel « borne », its deadline, the matricule and contact details, and a retry counts once', async () => {
    const body = form({
      nature: 'reclamation', message: 'Attente de deux heures au guichet des cartes grises.', matricule: 'A123',
      contact_nom: 'Jeanne Martin', contact_courriel: 'jeanne@example.org', contact_telephone: '06 00 00 00 00',
    });
    const first = await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: body.id, status: 'created' });
    const again = await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
    expect(await rowOf(body.id)).toMatchObject({
      orgId, channel: 'borne', kind: 'reclamation', receivedOn: '2019-07-05', deadlineOn: '2019-07-26', answeredOn: null,
      subject: 'Attente de deux heures au guichet des cartes grises.', matricule: 'A123',
      contactName: 'Jeanne Martin', contactEmail: 'jeanne@example.org', contactPhone: '06 00 00 00 00', contactAddress: null,
      submissionKey: `kiosk:${kioskId}`,
    });
    expect(await t.deps.db.select().from(complaints).where(eq(complaints.orgId, orgId))).toHaveLength(1);
    expect(await t.deps.db.select().from(responses).where(eq(responses.surveyId, SURVEY))).toHaveLength(0);
  });

  it('then a suggestion without any contact detail is registered (contact details are never required)', async () => {
    const body = form({ nature: 'suggestion', message: 'Des chaises en plus dans la salle d’attente.' });
    expect((await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body)).status).toBe(201);
    expect(await rowOf(body.id)).toMatchObject({ kind: 'suggestion', contactName: null, contactEmail: null, contactPhone: null, contactAddress: null, matricule: null });
  });

  it('then a form without its message is refused (422) and registers nothing', async () => {
    const body = form({ nature: 'reclamation', contact_nom: 'X' });
    const res = await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ question: 'message', code: 'required' })]);
    expect(await rowOf(body.id)).toBeUndefined();
  });

  it('then, the kiosk being paused, a form completed after the pause is kept on the tablet (423)', async () => {
    await kiosks.pauseKiosk(t.deps, orgId, kioskId);
    t.clock.set('2019-07-05T08:45:00Z');
    const body = form({ message: 'Après la pause' });
    expect((await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body)).status).toBe(423);
    expect(await rowOf(body.id)).toBeUndefined();
    await kiosks.resumeKiosk(t.deps, orgId, kioskId);
    expect((await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body)).status).toBe(201);
  });
});

describe('when a citizen sends the form through the public link', () => {
  it('then the entry is registered with the channel « lien public » and shows in the register', async () => {
    const body = form({ message: 'Le formulaire de rendez-vous en ligne ne fonctionne pas.', contact_courriel: 'paul@example.org' });
    const res = await request(t.app).post(`/avis/${slug}/reponses`).send(body);
    expect(res.status).toBe(201);
    expect(await rowOf(body.id)).toMatchObject({ channel: 'lien_public', contactEmail: 'paul@example.org', submissionKey: 'web' });
    const page = await referent.page('/reclamations?annee=2019');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Formulaire en ligne (lien public)');
    expect(page.text).toContain('Formulaire sur borne (hall)');
    const published = await referent.page('/liens-publics');
    expect(published.text).toMatch(new RegExp(`&lt;a href=&#34;http://[^&]+/avis/${slug}&#34;&gt;Déposer une suggestion ou une réclamation&lt;/a&gt;`));
  });
});

describe('when another organisation meets an entry of this one', () => {
  it('then reusing its id from its own kiosk is a 409 that changes nothing', async () => {
    const body = form({ message: 'Premier' });
    expect((await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(body)).status).toBe(201);
    const res = await request(t.app).post(`/kiosque/${otherToken}/reponses`).send({ ...body, answers: { message: 'Autre' } });
    expect(res.status).toBe(409);
    expect(await rowOf(body.id)).toMatchObject({ orgId, subject: 'Premier' });
  });

  it('then its register never lists it, and opening it reads as 404', async () => {
    const [entry] = await t.deps.db.select().from(complaints).where(eq(complaints.orgId, orgId)).limit(1);
    const list = await otherReferent.page('/reclamations?annee=2019');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('Formulaire sur borne (hall)');
    expect((await otherReferent.page(`/reclamations/${entry.id}`)).status).toBe(404);
  });
});

describe('when the retention period of the register has passed', () => {
  it('then the contact details of the forms are erased, the entries and their figures stay', async () => {
    t.clock.set('2021-08-01T08:00:00Z');
    expect(await purgeContactDetails({ db: t.deps.db, now: t.clock.now() }, orgId, 730)).toBeGreaterThanOrEqual(2);
    const rows = await t.deps.db.select().from(complaints).where(eq(complaints.orgId, orgId));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows) expect([r.contactName, r.contactEmail, r.contactPhone, r.contactAddress]).toEqual([null, null, null, null]);
    expect(rows.find((r) => r.matricule === 'A123')?.subject).toContain('Attente');
  });
});
