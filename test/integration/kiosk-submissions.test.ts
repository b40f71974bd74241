/**
 * The kiosk submission endpoint, POST /kiosque/:token/reponses, and the kiosk page: every
 * refusal (422 per reason, 413, 415, 404, 423, 429, 409), the idempotent repeat (200),
 * anonymity (no cookie, no address, times to the minute) and older survey versions.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { surveyVersion } from '../../server/surveys/catalogue';
import * as versionsStore from '../../server/surveys/survey-versions.store';
import { getSurvey } from '../../server/surveys/surveys.service';
import { kiosks as kioskTable, rateLimits, responses } from '../../server/storage/schema';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2026-06-15T10:20:30.456Z');
});
afterAll(() => t.close());

const SURVEY = 'satisfaction-accueil';
const version = () => getSurvey(t.deps, SURVEY)!.version;

async function newKiosk(opts: { surveyId?: string; locales?: string[] } = {}) {
  const org = await createOrg(t.deps);
  const site = await createSite(t.deps, org.id);
  const { kiosk, token } = await kiosks.createKiosk(t.deps, org.id, {
    name: 'Hall', siteId: site.id, surveyId: opts.surveyId ?? SURVEY, locales: opts.locales ?? [], inactivitySeconds: 60,
  });
  return { org, site, kiosk, token };
}

function answerSet(over: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    survey: SURVEY,
    version: version(),
    locale: 'fr',
    answers: { avis_global: 'tres_bien', courtoisie: 'satisfait' },
    completedAt: new Date(t.clock.now().getTime() - 90_000).toISOString(),
    ...over,
  };
}

const submit = (token: string, body: unknown) => request(t.app).post(`/kiosque/${token}/reponses`).send(body as object);

async function storedRows(id: string) {
  return t.deps.db.select().from(responses).where(eq(responses.id, id));
}

describe('when a kiosk sends a valid answer set', () => {
  it('then it is stored once with its survey version, 201 the first time and 200 on a repeat', async () => {
    const { org, site, kiosk, token } = await newKiosk();
    const body = answerSet({ queued: 3 });
    const first = await submit(token, body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: body.id, status: 'created' });
    const again = await submit(token, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: body.id, status: 'duplicate' });

    const rows = await storedRows(body.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      orgId: org.id, siteId: site.id, kioskId: kiosk.id, channel: 'kiosk', surveyId: SURVEY, surveyVersion: version(), locale: 'fr',
      answers: { avis_global: 'tres_bien', courtoisie: 'satisfait' },
    });
    const recorded = await versionsStore.getDefinition(t.deps.db, SURVEY, version());
    expect(recorded).toEqual(getSurvey(t.deps, SURVEY)!.json);
  });

  it('then nothing identifies the visitor: no cookie set, no address stored, times truncated to the minute', async () => {
    const { token } = await newKiosk();
    const body = answerSet({ completedAt: '2026-06-15T10:18:47.123+02:00' });
    const res = await submit(token, body).set('User-Agent', 'Mozilla/5.0 (Tablet) test').set('Cookie', 'tracker=abc');
    expect(res.status).toBe(201);
    expect(res.headers['set-cookie']).toBeUndefined();
    const [row] = await storedRows(body.id);
    expect(row.completedAt.toISOString()).toBe('2026-06-15T08:18:00.000Z');
    expect(row.receivedAt.toISOString()).toBe('2026-06-15T10:20:00.000Z');
    expect(Object.keys(row).sort()).toEqual(['answers', 'channel', 'completedAt', 'id', 'kioskId', 'locale', 'orgId', 'receivedAt', 'siteId', 'surveyId', 'surveyVersion']);
    expect(JSON.stringify(row)).not.toMatch(/127\.0\.0\.1|Mozilla|tracker/);
  });

  it('then the kiosk list shows when it last sent an answer and how many it still holds', async () => {
    const { org, kiosk, token } = await newKiosk();
    expect((await submit(token, answerSet({ queued: 4 }))).status).toBe(201);
    const [row] = await t.deps.db.select().from(kioskTable).where(eq(kioskTable.id, kiosk.id));
    expect(row.lastAnswerAt?.toISOString()).toBe('2026-06-15T10:20:00.000Z');
    expect(row.lastSeenAt?.toISOString()).toBe('2026-06-15T10:20:00.000Z');
    expect(row.queuedReported).toBe(4);
    expect(row.orgId).toBe(org.id);
  });

  it('then a visitor who stopped after the first question counts too', async () => {
    const { token } = await newKiosk();
    const body = answerSet({ answers: { avis_global: 'pas_bien' } });
    expect((await submit(token, body)).status).toBe(201);
  });
});

describe('when the answer set is refused', () => {
  let token: string;
  beforeAll(async () => {
    ({ token } = await newKiosk());
  });

  it.each([
    ['the id is missing', { id: undefined }, 'id', 'missing'],
    ['the id is not a UUID', { id: 'not-a-uuid' }, 'id', 'invalid'],
    ['the survey is missing', { survey: undefined }, 'survey', 'missing'],
    ['the survey is not the kiosk’s', { survey: 'point-numerique' }, 'survey', 'wrong_survey'],
    ['the locale is not offered by the survey', { locale: 'de' }, 'locale', 'unsupported_locale'],
    ['the locale is malformed', { locale: 'français' }, 'locale', 'invalid'],
    ['the version was never recorded', { version: 'ffffffffffffffff' }, 'version', 'unknown_version'],
    ['the version is malformed', { version: 'v2' }, 'version', 'invalid'],
    ['completedAt is in the future beyond the tolerated skew', { completedAt: '2026-06-15T10:30:00Z' }, 'completedAt', 'completed_at_future'],
    ['completedAt is absurdly old', { completedAt: '2025-01-01T00:00:00Z' }, 'completedAt', 'completed_at_too_old'],
    ['completedAt is not a date', { completedAt: 'hier' }, 'completedAt', 'invalid'],
    ['completedAt has no time zone', { completedAt: '2026-06-15T10:00:00' }, 'completedAt', 'invalid'],
    ['the answers are not an object', { answers: ['tres_bien'] }, 'answers', 'invalid'],
    ['a text holds a NUL character (jsonb cannot store it)', { answers: { avis_global: 'moyen', commentaire: 'a\u0000b' } }, 'answers', 'nul_character'],
  ])('when %s, then 422 names the field and the reason', async (_case, over, field, code) => {
    const body = answerSet(over);
    const res = await submit(token, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_submission');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    if (typeof body.id === 'string') expect(await storedRows(body.id.toLowerCase()).catch(() => [])).toHaveLength(0);
  });

  it.each([
    ['the required overall question is missing', { courtoisie: 'satisfait' }, 'avis_global', 'required'],
    ['a question does not exist', { avis_global: 'moyen', inconnue: 'x' }, 'inconnue', 'unknown_question'],
    ['a value is not among the choices', { avis_global: 'moyen', courtoisie: 'enchanté' }, 'courtoisie', 'not_in_choices'],
    ['a value has the wrong type', { avis_global: 'moyen', courtoisie: ['satisfait'] }, 'courtoisie', 'wrong_type'],
    ['the free text is over 500 characters', { avis_global: 'moyen', commentaire: 'x'.repeat(501) }, 'commentaire', 'too_long'],
  ])('when %s, then 422 gives the reason per question', async (_case, answers, question, code) => {
    const body = answerSet({ answers });
    const res = await submit(token, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_answers');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ question, code })]));
    expect(await storedRows(body.id)).toHaveLength(0);
  });

  it('when a hidden question is answered, then 422 says so', async () => {
    const { token: t2 } = await newKiosk({ surveyId: 'satisfaction-etrangers' });
    const body = answerSet({
      survey: 'satisfaction-etrangers', version: getSurvey(t.deps, 'satisfaction-etrangers')!.version,
      answers: { avis_global: 'moyen', a_rendez_vous: 'non', prise_rendez_vous: 'satisfait' },
    });
    const res = await submit(t2, body);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ question: 'prise_rendez_vous', code: 'hidden_question' })]);
  });

  it('when the body is over 16 kB, then 413 (under the app’s 64 kB limit too)', async () => {
    const body = answerSet({ answers: { avis_global: 'moyen', commentaire: 'x'.repeat(20_000) } });
    const res = await submit(token, body);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const huge = await submit(token, answerSet({ answers: { avis_global: 'moyen', commentaire: 'x'.repeat(70_000) } }));
    expect(huge.status).toBe(413);
  });

  it('when the body is not JSON, then 415; when it is broken JSON, then 400', async () => {
    const text = await request(t.app).post(`/kiosque/${token}/reponses`).type('text/plain').send('avis=tres_bien');
    expect(text.status).toBe(415);
    const broken = await request(t.app).post(`/kiosque/${token}/reponses`).type('application/json').send('{"id":');
    expect(broken.status).toBe(400);
  });
});

describe('when the kiosk link is unknown, revoked or paused', () => {
  it('then an unknown link answers 404 to the page, the worker and submissions', async () => {
    const fake = crypto.randomBytes(32).toString('base64url');
    expect((await request(t.app).get(`/kiosque/${fake}`)).status).toBe(404);
    expect((await request(t.app).get(`/kiosque/${fake}/sw.js`)).status).toBe(404);
    const res = await submit(fake, answerSet());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await submit('x', answerSet())).status).toBe(404);
  });

  it('then a revoked kiosk answers 404 and stores nothing', async () => {
    const { org, kiosk, token } = await newKiosk();
    expect(await kiosks.revokeKiosk(t.deps, org.id, kiosk.id)).toBe(true);
    const body = answerSet();
    expect((await submit(token, body)).status).toBe(404);
    expect((await request(t.app).get(`/kiosque/${token}`)).status).toBe(404);
    expect(await storedRows(body.id)).toHaveLength(0);
  });

  it('then a paused kiosk still accepts what was completed before the pause and refuses the rest with 423', async () => {
    const { org, kiosk, token } = await newKiosk();
    const before = answerSet({ completedAt: new Date(t.clock.now().getTime() - 60_000).toISOString() });
    expect(await kiosks.pauseKiosk(t.deps, org.id, kiosk.id)).toBe(true);
    expect((await submit(token, before)).status).toBe(201);
    const after = answerSet({ completedAt: new Date(t.clock.now().getTime() + 1_000).toISOString() });
    const refused = await submit(token, after);
    expect(refused.status).toBe(423);
    expect(refused.body.error.code).toBe('kiosk_paused');
    const page = await request(t.app).get(`/kiosque/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('"status":"paused"');
    expect(await kiosks.resumeKiosk(t.deps, org.id, kiosk.id)).toBe(true);
    expect((await submit(token, after)).status).toBe(201);
  });

  it('then a regenerated link replaces the old one', async () => {
    const { org, kiosk, token } = await newKiosk();
    const fresh = await kiosks.regenerateLink(t.deps, org.id, kiosk.id);
    expect((await submit(token, answerSet())).status).toBe(404);
    expect((await submit(fresh!.token, answerSet())).status).toBe(201);
  });
});

describe('when an id is already used by someone else', () => {
  it('then 409, and the stored answer set is neither revealed nor overwritten (other kiosk, other organisation)', async () => {
    const a = await newKiosk();
    const sameOrgSite = await createSite(t.deps, a.org.id, 'Autre hall');
    const sameOrg = await kiosks.createKiosk(t.deps, a.org.id, { name: 'Autre', siteId: sameOrgSite.id, surveyId: SURVEY, locales: [], inactivitySeconds: 60 });
    const other = await newKiosk();
    const body = answerSet();
    expect((await submit(a.token, body)).status).toBe(201);
    for (const token of [sameOrg.token, other.token]) {
      const res = await submit(token, { ...body, answers: { avis_global: 'pas_bien' } });
      expect(res.status).toBe(409);
      expect(JSON.stringify(res.body)).not.toContain('tres_bien');
    }
    const [row] = await storedRows(body.id);
    expect(row).toMatchObject({ orgId: a.org.id, kioskId: a.kiosk.id, answers: { avis_global: 'tres_bien', courtoisie: 'satisfait' } });
  });
});

describe('when a kiosk sends too many answer sets', () => {
  it('then beyond 30 a minute it gets 429 with Retry-After, and the next minute it may send again', async () => {
    const { token } = await newKiosk();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await submit(token, answerSet())).status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const limited = await submit(token, answerSet());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another kiosk is not affected.
    const { token: other } = await newKiosk();
    expect((await submit(other, answerSet())).status).toBe(201);
    t.clock.advance(60_000);
    try {
      expect((await submit(token, answerSet())).status).toBe(201);
    } finally {
      t.clock.set('2026-06-15T10:20:30.456Z');
    }
    const keys = await t.deps.db.select({ key: rateLimits.key }).from(rateLimits);
    expect(keys.every((k) => !k.key.includes('127.0.0.1'))).toBe(true);
  });
});

describe('when a tablet still runs an older version of the survey', () => {
  it('then answers valid for that recorded version are accepted, and answers that only fit the new one are refused', async () => {
    const current = getSurvey(t.deps, SURVEY)!;
    // The older version had no free-text question.
    const old = structuredClone(current.json) as { pages: { elements: { name: string }[] }[] };
    old.pages = old.pages.filter((p) => !p.elements.some((e) => e.name === 'commentaire'));
    const oldVersion = surveyVersion(old);
    expect(oldVersion).not.toBe(current.version);
    await versionsStore.insertVersionIfMissing(t.deps.db, SURVEY, oldVersion, old);

    const { token } = await newKiosk();
    const accepted = answerSet({ version: oldVersion, answers: { avis_global: 'moyen', courtoisie: 'peu_satisfait' } });
    expect((await submit(token, accepted)).status).toBe(201);
    expect((await storedRows(accepted.id))[0].surveyVersion).toBe(oldVersion);

    const refused = await submit(token, answerSet({ version: oldVersion, answers: { avis_global: 'moyen', commentaire: 'Très bien' } }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ question: 'commentaire', code: 'unknown_question' })]);
  });
});

describe('when a kiosk reports its state', () => {
  it('then the heartbeat records the queue length and returns the status and page version', async () => {
    const { org, kiosk, token } = await newKiosk();
    const res = await request(t.app).post(`/kiosque/${token}/etat`).send({ queued: 7 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'active', pageVersion: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(res.headers['set-cookie']).toBeUndefined();
    const [row] = await t.deps.db.select().from(kioskTable).where(eq(kioskTable.id, kiosk.id));
    expect(row.queuedReported).toBe(7);
    expect(row.lastSeenAt?.toISOString()).toBe('2026-06-15T10:20:00.000Z');
    expect(row.lastAnswerAt).toBeNull();
    await kiosks.pauseKiosk(t.deps, org.id, kiosk.id);
    expect((await request(t.app).post(`/kiosque/${token}/etat`).send({ queued: 0 })).body.status).toBe('paused');
  });
});

describe('when a tablet opens its kiosk page', () => {
  it('then the page carries the survey config in a JSON block, sets no cookie and loads only local scripts', async () => {
    const { token, kiosk } = await newKiosk({ surveyId: 'satisfaction-etrangers', locales: ['fr', 'ar', 'en'] });
    const res = await request(t.app).get(`/kiosque/${token}`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const config = JSON.parse(/<script type="application\/json" id="qk-config">([\s\S]*?)<\/script>/.exec(res.text)![1]);
    expect(config).toMatchObject({
      mode: 'kiosk', queueScope: kiosk.id, submitUrl: `/kiosque/${token}/reponses`,
      survey: { id: 'satisfaction-etrangers', version: getSurvey(t.deps, 'satisfaction-etrangers')!.version },
      serviceWorker: { url: `/kiosque/${token}/sw.js`, scope: `/kiosque/${token}` },
    });
    // French first, then the survey's order; each language by its own name.
    expect(config.locales.map((l: { code: string; name: string; dir: string }) => [l.code, l.name, l.dir])).toEqual([
      ['fr', 'Français', 'ltr'], ['en', 'English', 'ltr'], ['ar', 'العربية', 'rtl'],
    ]);
    expect(res.text).toContain('lang="ar" dir="rtl"');
    // No inline script and no link leaving the survey.
    expect(res.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*(src=|type="application\/json"))[^>]*>/);
    expect(res.text).not.toMatch(/<a\s/);
    for (const src of res.text.matchAll(/<script src="([^"]+)"/g)) {
      expect((await request(t.app).get(src[1])).status).toBe(200);
    }
  });

  it('then its service worker is served with a scope covering the page and a precache list', async () => {
    const { token } = await newKiosk();
    const res = await request(t.app).get(`/kiosque/${token}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['service-worker-allowed']).toBe(`/kiosque/${token}`);
    const list = JSON.parse(/const QM_PRECACHE = (.*);/.exec(res.text)![1]) as string[];
    expect(list[0]).toBe(`/kiosque/${token}`);
    for (const url of list) expect([url, (await request(t.app).get(url)).status]).toEqual([url, 200]);
  });
});
