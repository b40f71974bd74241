/**
 * Kiosk management (/bornes) through the pages a referent and a viewer use, and the
 * `kiosk:create` CLI command.
 */
import request from 'supertest';
import { runCommand } from '../../server/cli/commands';
import * as kiosks from '../../server/kiosk/kiosk.store';
import { catalogue, getSurvey, listSurveys } from '../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite, createUser, loggedIn, type Browser } from '../helpers/factories';

let t: TestContext;
let orgId: string;
let orgCode: string;
let siteA: { id: string; name: string };
let siteB: { id: string; name: string };
let referent: Browser;
let viewer: Browser;

beforeAll(async () => {
  t = await createTestContext({ config: { PUBLIC_URL: 'http://qualimetre.example.test' } });
  const org = await createOrg(t.deps);
  orgId = org.id;
  orgCode = org.code;
  siteA = await createSite(t.deps, org.id, 'Accueil général');
  siteB = await createSite(t.deps, org.id, 'Accueil des étrangers');
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
});
afterAll(() => t.close());

const linkOf = (html: string) => /data-testid="kiosk-link">([^<]+)</.exec(html)?.[1];
const tokenOf = (url: string) => url.split('/kiosque/')[1];

async function createKiosk(form: Record<string, string | string[]>) {
  await referent.page('/bornes');
  return referent.agent.post('/bornes').type('form').set('Accept', 'text/html').send({ ...form, _csrf: referent.csrf });
}

describe('when a referent creates a kiosk', () => {
  it('then they get its link, shown once, with a QR code rendered as SVG', async () => {
    const res = await createKiosk({ name: 'Hall – entrée', siteId: siteA.id, surveyId: 'satisfaction-etrangers', locales: ['fr', 'ar'], inactivitySeconds: '90' });
    expect(res.status).toBe(201);
    const url = linkOf(res.text)!;
    expect(url).toMatch(/^http:\/\/qualimetre\.example\.test\/kiosque\/[A-Za-z0-9_-]{43}$/);
    expect(res.text).toMatch(/<svg[^>]*viewBox/);
    const page = await request(t.app).get(new URL(url).pathname);
    expect(page.status).toBe(200);
    const list = await referent.page('/bornes');
    expect(list.text).toContain('Hall – entrée');
    expect(list.text).toContain('Français, العربية');
    expect(list.text).not.toContain(tokenOf(url));
    const [row] = (await kiosks.listKiosks(t.deps.db, orgId)).filter((k) => k.name === 'Hall – entrée');
    expect(row).toMatchObject({ siteId: siteA.id, surveyId: 'satisfaction-etrangers', locales: ['fr', 'ar'], inactivitySeconds: 90, status: 'active' });
  });

  it('then without languages chosen the kiosk offers all of the survey’s', async () => {
    const res = await createKiosk({ name: 'Point numérique', siteId: siteA.id, surveyId: 'point-numerique', inactivitySeconds: '60' });
    expect(res.status).toBe(201);
    const row = (await kiosks.listKiosks(t.deps.db, orgId)).find((k) => k.name === 'Point numérique')!;
    expect(row.locales).toEqual([...getSurvey(t.deps, 'point-numerique')!.locales]);
  });

  it.each([
    ['no name', { name: '', siteId: 'SITE', surveyId: 'satisfaction-accueil' }, 'Indiquez un nom pour la borne.'],
    ['an unknown survey', { name: 'Borne', siteId: 'SITE', surveyId: 'inconnu' }, 'Choisissez un questionnaire.'],
    ['a language the survey lacks', { name: 'Borne', siteId: 'SITE', surveyId: 'satisfaction-accueil', locales: ['fr', 'ar'] }, 'pas traduit en : ar'],
    ['a delay of 5 seconds', { name: 'Borne', siteId: 'SITE', surveyId: 'satisfaction-accueil', inactivitySeconds: '5' }, 'Au moins 20 secondes.'],
    ['a site of another organisation', { name: 'Borne', siteId: 'OTHER', surveyId: 'satisfaction-accueil' }, 'Choisissez un site.'],
  ])('when the form has %s, then it is shown again with the reason (422)', async (_c, form, message) => {
    const other = await createSite(t.deps, (await createOrg(t.deps)).id);
    const filled = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v === 'SITE' ? siteA.id : v === 'OTHER' ? other.id : v]));
    const res = await createKiosk({ inactivitySeconds: '60', ...filled });
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
  });
});

describe('when a referent picks a survey', () => {
  it('then only visitor forms (satisfaction surveys, the counter and the complaint form) are offered or accepted', async () => {
    const list = await referent.page('/bornes');
    const offered = [...list.text.matchAll(/<option value="([a-z0-9-]+)"/g)].map((m) => m[1]);
    const visitor = [...listSurveys(t.deps).map((s) => s.id), 'point-numerique-comptage', 'reclamation'];
    expect(visitor).not.toContain('mystere-telephone');
    expect(offered).toEqual(expect.arrayContaining(visitor));
    for (const entry of catalogue(t.deps).values()) {
      if (visitor.includes(entry.id)) continue;
      expect(offered).not.toContain(entry.id);
      const res = await createKiosk({ name: 'Borne', siteId: siteA.id, surveyId: entry.id, inactivitySeconds: '60' });
      expect([entry.id, res.status]).toEqual([entry.id, 422]);
    }
  });
});

describe('when a referent manages a kiosk', () => {
  let id: string;
  let token: string;
  beforeAll(async () => {
    const res = await createKiosk({ name: 'À gérer', siteId: siteA.id, surveyId: 'satisfaction-accueil', inactivitySeconds: '60' });
    token = tokenOf(linkOf(res.text)!);
    id = (await kiosks.listKiosks(t.deps.db, orgId)).find((k) => k.name === 'À gérer')!.id;
  });

  it('then they can rename it and move it to another site', async () => {
    expect((await referent.page(`/bornes/${id}`)).status).toBe(200);
    const res = await referent.post(`/bornes/${id}`, { name: 'Renommée', siteId: siteB.id, locales: 'fr', inactivitySeconds: '120' });
    expect(res.status).toBe(303);
    const row = await kiosks.getKiosk(t.deps.db, orgId, id);
    expect(row).toMatchObject({ name: 'Renommée', siteId: siteB.id, siteName: siteB.name, locales: ['fr'], inactivitySeconds: 120 });
  });

  it('then they can pause it, resume it, give it a new link and finally revoke it', async () => {
    expect((await referent.post(`/bornes/${id}/pause`)).status).toBe(303);
    expect((await kiosks.getKiosk(t.deps.db, orgId, id))?.status).toBe('paused');
    expect((await referent.page('/bornes')).text).toContain('En pause');
    expect((await referent.post(`/bornes/${id}/reprendre`)).status).toBe(303);
    expect((await kiosks.getKiosk(t.deps.db, orgId, id))?.status).toBe('active');

    const renewed = await referent.post(`/bornes/${id}/lien`, { confirme: '1' });
    expect(renewed.status).toBe(200);
    const newToken = tokenOf(linkOf(renewed.text)!);
    expect(newToken).not.toBe(token);
    expect((await request(t.app).get(`/kiosque/${token}`)).status).toBe(404);
    expect((await request(t.app).get(`/kiosque/${newToken}`)).status).toBe(200);

    expect((await referent.post(`/bornes/${id}/revoquer`, { confirme: '1' })).status).toBe(303);
    expect((await request(t.app).get(`/kiosque/${newToken}`)).status).toBe(404);
    const again = await referent.post(`/bornes/${id}/lien`, { confirme: '1' });
    expect(again.status).toBe(303);
    expect((await kiosks.getKiosk(t.deps.db, orgId, id))?.status).toBe('revoked');
    expect((await referent.page('/bornes')).text).toContain('Révoquée');
  });
});

describe('when a viewer opens the kiosks', () => {
  it('then they see the list read-only; a form page answers 403 « réservé aux référents », a kiosk’s actions 404', async () => {
    const list = await viewer.page('/bornes');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Renommée');
    expect(list.text).not.toContain('Ajouter une borne');
    expect(list.text).not.toContain('/revoquer');
    const id = (await kiosks.listKiosks(t.deps.db, orgId))[0].id;
    expect((await viewer.page(`/bornes/${id}`)).status).toBe(404);
    const denied = await viewer.post('/bornes', { name: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('Accès réservé aux référents qualité.');
    expect(denied.text).not.toContain('forbidden');
    for (const path of ['/bornes', `/bornes/${id}`, `/bornes/${id}/pause`, `/bornes/${id}/revoquer`, `/bornes/${id}/lien`]) {
      expect([path, (await viewer.post(path, { name: 'x', siteId: siteA.id, surveyId: 'satisfaction-accueil' })).status]).toEqual([path, path === '/bornes' ? 403 : 404]);
    }
  });

  it('then without a session the page redirects to the login', async () => {
    const res = await request(t.app).get('/bornes').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('/connexion');
  });
});

describe('when an administrator runs kiosk:create', () => {
  it('then the kiosk is created for the named site and its URL printed', async () => {
    const out = await runCommand(t.deps, ['kiosk:create', '--org', orgCode, '--site', 'accueil général', '--survey', 'satisfaction-accueil', '--locales', 'fr,en']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const url = /http:\/\/qualimetre\.example\.test\/kiosque\/([A-Za-z0-9_-]+)/.exec(out.stdout);
    expect(url).not.toBeNull();
    expect((await request(t.app).get(`/kiosque/${url![1]}`)).status).toBe(200);
    const row = (await kiosks.listKiosks(t.deps.db, orgId)).find((k) => k.name === 'Borne Accueil général')!;
    expect(row).toMatchObject({ siteId: siteA.id, locales: ['fr', 'en'] });
  });

  it.each([
    [['--site', 'Nulle part', '--survey', 'satisfaction-accueil'], 'No site "Nulle part"'],
    [['--site', 'Accueil général', '--survey', 'inconnu'], 'Choisissez un questionnaire.'],
    [['--site', 'Accueil général', '--survey', 'satisfaction-accueil', '--locales', 'fr,tr'], 'pas traduit en : tr'],
    [['--survey', 'satisfaction-accueil'], '--site <name or id> is required'],
  ])('when given %p, then it fails with a usage message', async (args, message) => {
    const out = await runCommand(t.deps, ['kiosk:create', '--org', orgCode, ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
  });
});

describe('when a tablet reports answer sets the server refused (parked on the tablet)', () => {
  it('then the kiosk list shows how many are parked, and the next report replaces the figure', async () => {
    const res = await createKiosk({ name: 'Hall parqué', siteId: siteA.id, surveyId: 'satisfaction-accueil', inactivitySeconds: '60' });
    const token = tokenOf(linkOf(res.text)!);
    const cell = (html: string) => /Hall parqué<\/td>.*?<td>(\d+)<\/td><td data-parked="(true|false)">(?:<p[^>]*>)?(\d+)/s.exec(html);
    expect(cell((await referent.page('/bornes')).text)?.slice(1)).toEqual(['0', 'false', '0']);
    expect((await request(t.app).post(`/kiosque/${token}/etat`).send({ queued: 3, parked: 2 })).status).toBe(200);
    expect(cell((await referent.page('/bornes')).text)?.slice(1)).toEqual(['3', 'true', '2']);
    expect((await request(t.app).post(`/kiosque/${token}/etat`).send({ queued: 0, parked: 0 })).status).toBe(200);
    expect(cell((await referent.page('/bornes')).text)?.slice(1)).toEqual(['0', 'false', '0']);
  });
});
