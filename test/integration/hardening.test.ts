/**
 * The security review's findings (issue « Hardening »), each as the attacker or careless user
 * tried it: text PostgreSQL cannot store, deep nesting, malformed percent-encoding, impossible
 * dates, SQL parameters in logs, the login race and the proxy lockout, CSRF on session API
 * writes and cookie tossing, invitations telling who has an account elsewhere.
 */
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { eq, sql } from 'drizzle-orm';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { createLogger } from '../../server/logger';
import { MAX_FAILURES_PER_ACCOUNT, ADDRESS_FREE_ATTEMPTS, RATE_WINDOW_MS } from '../../server/auth/auth.service';
import { responses, reports } from '../../server/storage/schema';
import * as links from '../../server/surveys/public-links.store';
import { getSurvey } from '../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { browser, createOrg, csrfFrom, createSite, createToken, createUser, loggedIn, type Browser } from '../helpers/factories';

let t: TestContext;
let org: { id: string };
let siteId: string;
let referent: Browser;
let kioskToken: string;
let slug: string;

const SURVEY = 'satisfaction-accueil';
const answerSet = (over: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(), survey: SURVEY, version: getSurvey(t.deps, SURVEY)!.version, locale: 'fr',
  answers: { avis_global: 'moyen' }, completedAt: new Date(t.clock.now().getTime() - 60_000).toISOString(), ...over,
});

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2026-06-15T10:00:00Z');
  org = await createOrg(t.deps);
  siteId = (await createSite(t.deps, org.id)).id;
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  ({ token: kioskToken } = await kiosks.createKiosk(t.deps, org.id, { name: 'Hall', siteId, surveyId: SURVEY, locales: [], inactivitySeconds: 60 }));
  expect((await referent.post('/liens-publics', { surveyId: SURVEY, siteId })).status).toBe(303);
  slug = (await links.listLinks(t.deps.db, org.id))[0].slug;
});
afterAll(() => t.close());

const stored = (id: string) => t.deps.db.select().from(responses).where(eq(responses.id, id));

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['a lone high surrogate', 'merci \ud800 beaucoup', 'merci \ufffd beaucoup'],
    ['a lone low surrogate', '\udc00fin', '\ufffdfin'],
    ['a reversed pair', 'a\ude00\ud83db', 'a\ufffd\ufffdb'],
    ['a well-formed emoji (kept)', 'top 😀', 'top 😀'],
  ])('when a kiosk and a public link send %s in a comment, then 201 and it is stored with U+FFFD', async (_c, text, expected) => {
    for (const url of [`/kiosque/${kioskToken}/reponses`, `/avis/${slug}/reponses`]) {
      const body = answerSet({ answers: { avis_global: 'moyen', commentaire: text } });
      const res = await request(t.app).post(url).set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect(res.status).toBe(201);
      const [row] = await stored(body.id);
      expect((row.answers as Record<string, string>).commentaire).toBe(expected);
    }
  });

  it('when a question key holds a lone surrogate, then 422 (unknown question), never 500', async () => {
    const body = answerSet({ answers: { avis_global: 'moyen', ['\ud800']: 'x' } });
    const res = await request(t.app).post(`/kiosque/${kioskToken}/reponses`).set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect(res.status).toBe(422);
  });

  it('when a referent saves a report comment with a lone surrogate (JSON), then it is stored with U+FFFD; with NUL, 422', async () => {
    const created = await referent.agent.post('/rapports').type('form').set('Accept', 'text/html')
      .send(`title=Bilan&periodStart=2026-06-01&periodEnd=2026-06-30&comparison=none&sections=satisfaction&_csrf=${encodeURIComponent(referent.csrf)}`);
    expect(created.status).toBe(303);
    const id = created.headers.location.split('/').pop()!;
    const page = await referent.page(`/rapports/${id}`);
    const field = /name="(comment:[^"]+)"/.exec(page.text)![1];
    const post = (text: string) => referent.agent.post(`/rapports/${id}/commentaires`).set('Content-Type', 'application/json').set('Accept', 'text/html').set('x-csrf-token', referent.csrf).send(JSON.stringify({ [field]: text }));
    expect((await post('bien \udfff vu')).status).toBe(303);
    const [row] = await t.deps.db.select().from(reports).where(eq(reports.id, id));
    expect(JSON.stringify(row)).toContain('bien \ufffd vu');
    const nul = await post('a\u0000b');
    expect(nul.status).toBe(422);
  });

  it('when an answer set is nested far deeper than anything valid (under the size cap), then 422, not a stack overflow', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const raw = JSON.stringify(answerSet()).replace('"answers":{', `"deep":${deep},"answers":{`);
    const res = await request(t.app).post(`/kiosque/${kioskToken}/reponses`).set('Content-Type', 'application/json').send(raw);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'deep', code: 'too_deep' })]);
    const api = await request(t.app).post('/api/v1/sites').set('Authorization', `Bearer ${await createToken(t.deps, org.id, 'referent')}`).set('Content-Type', 'application/json').send(`{"name":${deep}}`);
    expect(api.status).toBe(422);
  });
});

describe('malformed percent-encoding in a path', () => {
  it.each(['/kiosque/%ff', '/kiosque/%ff/reponses', '/avis/%C0%AE', '/avis/%E0%A4%A', '/rapports/%ff', '/api/v1/sites/%ff'])('when %s is asked, then 400 or 404, never 500', async (path) => {
    const res = path.endsWith('/reponses')
      ? await request(t.app).post(path).set('Content-Type', 'application/json').send('{}')
      : await referent.agent.get(path).set('Accept', 'text/html');
    expect([400, 404]).toContain(res.status);
  });
});

describe('impossible calendar dates', () => {
  it.each(['2026-02-30', '0000-01-01', '2026-13-01', '2025-02-29'])('when the results API gets %s, then 422 with a French message', async (day) => {
    const token = await createToken(t.deps, org.id, 'viewer');
    const res = await request(t.app).get(`/api/v1/resultats/satisfaction?survey=${SURVEY}&from=${day}&to=2026-12-31`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.details)).toMatch(/date/i);
  });

  it('when the report form gets 2026-02-30, then it comes back with 422', async () => {
    const res = await referent.post('/rapports', { title: 'Bilan', periodStart: '2026-02-30', periodEnd: '2026-03-31', sections: 'satisfaction' });
    expect(res.status).toBe(422);
  });
});

describe('logs', () => {
  it('when a statement fails, then the logged error holds its code and statement, never its parameters', async () => {
    let out = '';
    const logger = createLogger('error', new Writable({ write(c, _e, cb) { out += c; cb(); } }) as never);
    const secret = 'commentaire-très-personnel-0612345678';
    const err = await t.deps.db.execute(sql`select ${secret}::int as n`).then(() => undefined, (e: unknown) => e);
    expect(err).toBeDefined();
    logger.error({ err }, 'unhandled error');
    expect(out).toContain('22P02');
    expect(out).toContain('select $1::int');
    expect(out).not.toContain(secret);
  });
});

describe('login', () => {
  // Every request of this file comes from one loopback address: start each login test in a new
  // rate window (the test clock moves, no real time passes), so earlier tests' attempts do not
  // make this one wait up to 8 s per attempt.
  beforeEach(() => t.clock.advance(RATE_WINDOW_MS + 60_000));

  it('when 14 wrong passwords for one account arrive in parallel, then at most the allowed number are checked', async () => {
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    await b.page('/connexion');
    const results = await Promise.all(Array.from({ length: 14 }, () => b.post('/connexion', { email: user.email, password: 'wrong-wrong' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(14 - MAX_FAILURES_PER_ACCOUNT);
  });

  it('when one address (a prefecture proxy) failed more than the free attempts, then a colleague behind it can still log in', async () => {
    const b = await browser(t.app);
    await b.page('/connexion');
    // Spread over accounts so that no account reaches its own limit.
    for (let i = 0; i <= ADDRESS_FREE_ATTEMPTS; i++) {
      const res = await b.post('/connexion', { email: `absent-${i % 7}-${crypto.randomUUID()}@example.test`, password: 'wrong-wrong' });
      expect(res.status).toBe(401);
    }
    const colleague = await createUser(t.deps, org.id, 'viewer');
    expect((await b.post('/connexion', { email: colleague.email, password: colleague.password })).status).toBe(303);
  });
});

describe('CSRF', () => {
  beforeEach(() => t.clock.advance(RATE_WINDOW_MS + 60_000));
  const site = { name: 'Sous-préfecture', kind: 'accueil_general', address: '' };

  it('when a session-authenticated API write comes from another origin without the token, then 403', async () => {
    const res = await referent.agent.post('/api/v1/sites').set('Origin', 'http://evil.test').send(site);
    expect(res.status).toBe(403);
    const noOrigin = await referent.agent.post('/api/v1/sites').send(site);
    expect(noOrigin.status).toBe(403);
  });

  it('when it carries the token or comes from our own origin, or is authenticated by a Bearer token, then 201', async () => {
    expect((await referent.agent.post('/api/v1/sites').set('x-csrf-token', referent.csrf).send(site)).status).toBe(201);
    const own = await referent.agent.post('/api/v1/sites').set('Host', 'qualimetre.test').set('Origin', 'http://qualimetre.test').send(site);
    expect(own.status).toBe(201);
    const bearer = await request(t.app).post('/api/v1/sites').set('Authorization', `Bearer ${await createToken(t.deps, org.id, 'referent')}`).set('Origin', 'http://evil.test').send(site);
    expect(bearer.status).toBe(201);
  });

  it('when an attacker tosses their own CSRF cookie and token into the victim’s session, then the form is refused', async () => {
    // The attacker's own visit: a qm_csrf cookie and the token its page shows.
    const visit = await request(t.app).get('/connexion').set('Accept', 'text/html');
    const seed = /qm_csrf=([^;]+)/.exec(String(visit.headers['set-cookie']))![1];
    const token = csrfFrom(visit.text)!;
    // The pair is valid where it was made (no session): the login form accepts it (401, not 403).
    const own = await request(t.app).post('/connexion').type('form').set('Accept', 'text/html').set('Cookie', `qm_csrf=${seed}`).send({ email: 'x@example.test', password: 'wrong-wrong', _csrf: token });
    expect(own.status).toBe(401);
    // Tossed into a victim's browser (a sibling subdomain can set cookies), with the victim's session.
    const victim = await createUser(t.deps, org.id, 'referent');
    const login = await request(t.app).post('/connexion').type('form').set('Accept', 'text/html').set('Cookie', `qm_csrf=${seed}`).send({ email: victim.email, password: victim.password, _csrf: token });
    expect(login.status).toBe(303);
    const session = /qm_session=([^;]+)/.exec(String(login.headers['set-cookie']))![1];
    const forged = await request(t.app).post('/organisation/sites').type('form').set('Accept', 'text/html')
      .set('Cookie', `qm_csrf=${seed}; qm_session=${session}`).send({ ...site, _csrf: token });
    expect(forged.status).toBe(403);
  });
});

describe('invitations', () => {
  it('when a referent invites an address that has an account in another organisation, then the outcome is the same as for an unknown address', async () => {
    const other = await createOrg(t.deps);
    const elsewhere = await createUser(t.deps, other.id, 'referent');
    const known = await referent.post('/organisation/utilisateurs', { email: elsewhere.email, role: 'viewer' });
    const unknown = await referent.post('/organisation/utilisateurs', { email: `nobody-${crypto.randomUUID()}@example.test`, role: 'viewer' });
    expect(known.status).toBe(unknown.status);
    expect(known.text).not.toContain('existe déjà');
    expect(known.text).toContain('/invitation/');
  });
});
