/**
 * A bounded, seeded fuzz of the anonymous endpoints (kiosk and public-link submissions, kiosk
 * heartbeat, their pages): malformed JSON, wrong types, unicode oddities, nesting, sizes,
 * dates, duplicate ids. No answer may be a 500, and the rows stored equal the 201s.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { eq, sql } from 'drizzle-orm';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { responses } from '../../server/storage/schema';
import * as links from '../../server/surveys/public-links.store';
import { getSurvey } from '../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite, createUser, loggedIn } from '../helpers/factories';
import { seededRandom } from '../../server/random';

const REQUESTS = 240;
const SURVEY = 'satisfaction-accueil';

let t: TestContext;
let orgId: string;
let kioskToken: string;
let slug: string;

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2026-06-15T08:00:00Z');
  orgId = (await createOrg(t.deps)).id;
  const siteId = (await createSite(t.deps, orgId)).id;
  ({ token: kioskToken } = await kiosks.createKiosk(t.deps, orgId, { name: 'Hall', siteId, surveyId: SURVEY, locales: [], inactivitySeconds: 60 }));
  const referent = await loggedIn(t.app, await createUser(t.deps, orgId, 'referent'));
  expect((await referent.post('/liens-publics', { surveyId: SURVEY, siteId })).status).toBe(303);
  slug = (await links.listLinks(t.deps.db, orgId))[0].slug;
});
afterAll(() => t.close());

/** A seeded generator, so a failure replays exactly. */
function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

const ODD_TEXT = [
  '\ud800', '\udc00', 'a\ude00\ud83db', '\u0000', 'x\u0000', '😀', '\u202eevil', 'e\u0301', '\ufeff', '\uffff', '𝕏'.repeat(300),
  '"; drop table responses; --', '<script>alert(1)</script>', '=1+1', 'x'.repeat(501), 'x'.repeat(20_000), '', ' ',
];
const ODD_VALUES: unknown[] = [null, true, 0, -1, 1e308, 'tres_bien', [], {}, ['moyen'], { a: 1 }, ...ODD_TEXT];
const ODD_DATES = ['2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z', '2026-06-15T25:00:00Z', '2026-06-15', 'hier', '', '+275760-09-13T00:00:00Z', '2026-06-15T07:59:00+02:00'];

const nest = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

it(`when ${REQUESTS} seeded random requests hit the anonymous endpoints, then none is a 500 and the rows stored equal the 201s`, async () => {
  const r = prng(20261204);
  const version = getSurvey(t.deps, SURVEY)!.version;
  const usedIds: string[] = [];
  const statuses = new Map<number, number>();
  let created = 0;
  const valid = (): Record<string, unknown> => ({
    id: crypto.randomUUID(), survey: SURVEY, version, locale: 'fr',
    answers: { avis_global: r.pick(['tres_bien', 'moyen', 'pas_bien']), commentaire: r.pick(ODD_TEXT.filter((s) => s.length <= 500 && !s.includes('\u0000'))) },
    completedAt: new Date(t.clock.now().getTime() - r.int(3_600_000)).toISOString(),
  });
  const bodies: (() => string)[] = [
    () => JSON.stringify(valid()),
    () => JSON.stringify(valid()).slice(0, r.int(80)), // truncated JSON
    () => 'not json at all',
    () => JSON.stringify(r.pick(ODD_VALUES)),
    () => JSON.stringify({ ...valid(), [r.pick(['id', 'survey', 'version', 'locale', 'answers', 'completedAt', 'queued'])]: r.pick(ODD_VALUES) }),
    () => JSON.stringify({ ...valid(), answers: { avis_global: 'moyen', [r.pick(ODD_TEXT.slice(0, 10))]: r.pick(ODD_VALUES) } }),
    () => JSON.stringify({ ...valid(), answers: { avis_global: 'moyen', commentaire: r.pick(ODD_TEXT) } }),
    () => JSON.stringify({ ...valid(), completedAt: r.pick(ODD_DATES) }),
    () => JSON.stringify(valid()).replace('"answers":', `"x":${nest(1 + r.int(6000))},"answers":`),
    () => JSON.stringify({ ...valid(), id: usedIds.length ? r.pick(usedIds) : crypto.randomUUID() }), // duplicate id
    () => JSON.stringify({ ...valid(), id: r.pick(['', 'ZZZ', crypto.randomUUID().toUpperCase(), `${crypto.randomUUID()}\u0000`]) }),
    () => JSON.stringify({ ...valid(), __proto__x: 1, constructor: { prototype: { polluted: true } } }).replace('__proto__x', '__proto__'),
  ];
  for (let i = 0; i < REQUESTS; i++) {
    const target = r.pick(['kiosk', 'kiosk', 'link', 'link', 'heartbeat', 'page', 'badpath'] as const);
    const body = r.pick(bodies)();
    let res: request.Response;
    if (target === 'page') {
      res = await request(t.app).get(r.pick([`/kiosque/${kioskToken}`, `/avis/${slug}`, '/kiosque/%ff', '/avis/%C0%AE', `/avis/${slug}%00`]));
    } else if (target === 'badpath') {
      res = await request(t.app).post(r.pick(['/kiosque/%ff/reponses', '/avis/%E0%A4%A/reponses', `/kiosque/${kioskToken}x/reponses`])).set('Content-Type', 'application/json').send(body);
    } else {
      const url = target === 'kiosk' ? `/kiosque/${kioskToken}/reponses` : target === 'link' ? `/avis/${slug}/reponses` : `/kiosque/${kioskToken}/etat`;
      res = await request(t.app).post(url).set('Content-Type', r.int(10) === 0 ? 'text/plain' : 'application/json').send(body);
    }
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) throw new Error(`request ${i} (${target}) got ${res.status}: ${body.slice(0, 200)}`);
    if (res.status === 201) {
      created++;
      usedIds.push(res.body.id);
    }
    // Stay under the per-kiosk and per-visitor limits, so most requests reach the checks.
    t.clock.advance(4 * 60_000);
  }
  const [{ n }] = (await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(responses).where(eq(responses.orgId, orgId))) as { n: number }[];
  expect(Number(n)).toBe(created);
  // The fuzz reached storage and the refusals alike.
  expect(created).toBeGreaterThan(10);
  expect(statuses.get(422) ?? 0).toBeGreaterThan(10);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}, 600_000);
