/**
 * Public web links (/avis/:slug): created by a referent, anonymous (no cookie, no address
 * stored), same submission JSON as kiosks, rate-limited per visitor with a key that changes
 * every day.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { hmacKey } from '../../server/auth/tokens';
import { rateLimits, responses } from '../../server/storage/schema';
import * as kiosks from '../../server/kiosk/kiosk.service';
import * as links from '../../server/surveys/public-links.store';
import { getSurvey } from '../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite, createUser, loggedIn, type Browser } from '../helpers/factories';

let t: TestContext;
let orgId: string;
let siteId: string;
let referent: Browser;
let viewer: Browser;

const SURVEY = 'point-numerique';
const answerSet = (over: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(), survey: SURVEY, version: getSurvey(t.deps, SURVEY)!.version, locale: 'en',
  answers: { avis_global: 'tres_bien', demarche_aboutie: 'oui' }, completedAt: t.clock.now().toISOString(), ...over,
});

beforeAll(async () => {
  // Behind a reverse proxy: the visitor's address comes from X-Forwarded-For.
  t = await createTestContext({ config: { TRUST_PROXY: '1' } });
  t.clock.set('2026-06-15T09:00:00Z');
  const org = await createOrg(t.deps);
  orgId = org.id;
  siteId = (await createSite(t.deps, org.id, 'Point numérique')).id;
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
});
afterAll(() => t.close());

async function newLink() {
  const res = await referent.post('/liens-publics', { surveyId: SURVEY, siteId });
  expect(res.status).toBe(303);
  return (await links.listLinks(t.deps.db, orgId))[0];
}

describe('when a referent publishes a survey', () => {
  it('then the link is listed, and viewers see it read-only', async () => {
    const link = await newLink();
    expect((await referent.page('/liens-publics')).text).toContain(`/avis/${link.slug}`);
    const seen = await viewer.page('/liens-publics');
    expect(seen.text).toContain(`/avis/${link.slug}`);
    expect(seen.text).not.toContain('Créer le lien');
    expect((await viewer.post('/liens-publics', { surveyId: SURVEY })).status).toBe(403);
  });

  it('then it comes with a copy button, an HTML snippet and its QR code as PNG and SVG, for its organisation only', async () => {
    const link = await newLink();
    const page = (await referent.page('/liens-publics')).text;
    expect(page).toContain('data-copy="#url-0"');
    expect(page).toMatch(new RegExp(`&lt;a href=&#34;http://[^&]+/avis/${link.slug}&#34;&gt;Donnez votre avis sur notre accueil`));
    expect(page).toContain('<script src="/static/js/copy.js" defer></script>');
    const png = await viewer.agent.get(`/liens-publics/${link.id}/qr.png`).buffer(true);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = await referent.agent.get(`/liens-publics/${link.id}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(String(svg.text ?? svg.body)).toContain('<svg');
    expect((await referent.agent.get(`/liens-publics/${link.id}/qr.gif`)).status).toBe(404);
    const other = await createOrg(t.deps);
    const stranger = await loggedIn(t.app, await createUser(t.deps, other.id, 'referent'));
    expect((await stranger.agent.get(`/liens-publics/${link.id}/qr.png`)).status).toBe(404);
  });

  it('then its page renders the survey in web mode and sets no cookie, even for a signed-in visitor', async () => {
    const link = await newLink();
    const anonymous = await request(t.app).get(`/avis/${link.slug}`).set('Accept', 'text/html');
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    expect(anonymous.text).toContain('"mode":"web"');
    expect(anonymous.text).toContain(`"submitUrl":"/avis/${link.slug}/reponses"`);
    await referent.page('/liens-publics'); // consumes the pending flash message
    const signedIn = await referent.agent.get(`/avis/${link.slug}`);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['set-cookie']).toBeUndefined();
  });
});

describe('when a visitor answers through the link', () => {
  it('then the answer set is stored once, on the web channel, without any address', async () => {
    const link = await newLink();
    const body = answerSet();
    const first = await request(t.app).post(`/avis/${link.slug}/reponses`).set('X-Forwarded-For', '203.0.113.7').send(body);
    expect(first.status).toBe(201);
    expect(first.headers['set-cookie']).toBeUndefined();
    const again = await request(t.app).post(`/avis/${link.slug}/reponses`).set('X-Forwarded-For', '203.0.113.7').send(body);
    expect(again.status).toBe(200);
    const rows = await t.deps.db.select().from(responses).where(eq(responses.id, body.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orgId, siteId, kioskId: null, channel: 'web', locale: 'en' });
    const keys = (await t.deps.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
    expect(keys.some((k) => k.includes('203.0.113.7'))).toBe(false);
  });

  it('then the same refusals as kiosks apply (422 with reasons, 413)', async () => {
    const link = await newLink();
    const bad = await request(t.app).post(`/avis/${link.slug}/reponses`).send(answerSet({ answers: { avis_global: 'génial' } }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ question: 'avis_global', code: 'out_of_range' })]);
    const big = await request(t.app).post(`/avis/${link.slug}/reponses`).send(answerSet({ answers: { avis_global: 'moyen', commentaire: 'x'.repeat(17_000) } }));
    expect(big.status).toBe(413);
  });

  it('then beyond 20 answer sets an hour one address gets 429, another address does not, and the next day the key has changed', async () => {
    const link = await newLink();
    const post = (ip: string) => request(t.app).post(`/avis/${link.slug}/reponses`).set('X-Forwarded-For', ip).send(answerSet());
    for (let i = 0; i < 20; i++) expect((await post('198.51.100.23')).status).toBe(201);
    const limited = await post('198.51.100.23');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post('198.51.100.99')).status).toBe(201);

    const day1 = `web:${link.id}:${hmacKey(t.deps.secret, 'rate:2026-06-15:198.51.100.23')}`;
    const stored = (await t.deps.db.select().from(rateLimits)).filter((r) => r.key.startsWith(`web:${link.id}:`));
    expect(stored.map((r) => r.key)).toContain(day1);
    // Every request counts, the refused 21st too (the same accounting as invalid answer sets).
    expect(stored.find((r) => r.key === day1)?.hits).toBe(21);

    t.clock.set('2026-06-16T09:00:00Z');
    try {
      expect((await post('198.51.100.23')).status).toBe(201);
      const keys = (await t.deps.db.select().from(rateLimits)).filter((r) => r.key.startsWith(`web:${link.id}:`)).map((r) => r.key);
      expect(keys).toContain(`web:${link.id}:${hmacKey(t.deps.secret, 'rate:2026-06-16:198.51.100.23')}`);
    } finally {
      t.clock.set('2026-06-15T09:00:00Z');
    }
  });

  it('then a deactivated or unknown link answers 404', async () => {
    const link = await newLink();
    expect((await referent.post(`/liens-publics/${link.id}/desactiver`)).status).toBe(303);
    expect((await request(t.app).get(`/avis/${link.slug}`)).status).toBe(404);
    expect((await request(t.app).post(`/avis/${link.slug}/reponses`).send(answerSet())).status).toBe(404);
    expect((await request(t.app).get('/avis/inconnu-1234')).status).toBe(404);
    expect((await referent.post(`/liens-publics/${link.id}/activer`)).status).toBe(303);
    expect((await request(t.app).get(`/avis/${link.slug}`)).status).toBe(200);
  });

  it('then an id already stored by a kiosk is refused with 409, the kiosk’s answer untouched', async () => {
    const link = await newLink();
    const { token } = await kiosks.createKiosk(t.deps, orgId, { name: 'Borne', siteId, surveyId: SURVEY, locales: [], inactivitySeconds: 60 });
    const body = answerSet({ locale: 'fr' });
    expect((await request(t.app).post(`/kiosque/${token}/reponses`).send(body)).status).toBe(201);
    const res = await request(t.app).post(`/avis/${link.slug}/reponses`).send({ ...body, answers: { avis_global: 'pas_bien' } });
    expect(res.status).toBe(409);
    const [row] = await t.deps.db.select().from(responses).where(eq(responses.id, body.id));
    expect(row).toMatchObject({ channel: 'kiosk', answers: { avis_global: 'tres_bien', demarche_aboutie: 'oui' } });
  });
});
