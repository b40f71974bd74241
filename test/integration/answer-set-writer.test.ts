/**
 * Group commit of answer sets (server/surveys/answer-set-writer.ts and responses.store.ts
 * storeBatch), on the real database: within one batch every answer set gets the outcome it
 * would get alone in the batch's order (repeats, foreign ids, rate limit, paused, revoked and
 * moved kiosks, kiosk contact), and a batch the database refuses is retried one by one.
 */
import crypto from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { AppError } from '../../server/errors';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { AnswerSetWriter, commitBatch, type PendingAnswerSet } from '../../server/surveys/answer-set-writer';
import { KIOSK_SUBMISSIONS, kioskKey } from '../../server/surveys/rate-limit';
import { getSurvey } from '../../server/surveys/surveys.service';
import { kiosks as kioskTable, rateLimits, responses } from '../../server/storage/schema';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const SURVEY = 'satisfaction-accueil';
// Fixed times: the rate-limit window of the batch is 10:20–10:21.
const NOW = new Date('2026-06-15T10:20:30.000Z').getTime();
const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);

async function newKiosk() {
  const org = await createOrg(t.deps);
  const site = await createSite(t.deps, org.id);
  const { kiosk, token } = await kiosks.createKiosk(t.deps, org.id, { name: 'Hall', siteId: site.id, surveyId: SURVEY, locales: [], inactivitySeconds: 60 });
  return { org, site, kiosk, token };
}

type Kiosk = Awaited<ReturnType<typeof newKiosk>>;

/** An answer set from `k` as submit() would hand it to the writer. */
function pending(k: Kiosk, over: { id?: string; completedAt?: number; queued?: number; orgId?: string } = {}): PendingAnswerSet {
  const completedAt = new Date(over.completedAt ?? NOW - 90_000);
  const orgId = over.orgId ?? k.org.id;
  return {
    sender: { orgId, siteId: k.site.id, kioskId: k.kiosk.id, channel: 'kiosk', surveyId: SURVEY },
    row: {
      id: over.id ?? crypto.randomUUID(), orgId, surveyId: SURVEY, surveyVersion: getSurvey(t.deps, SURVEY)!.version,
      siteId: k.site.id, kioskId: k.kiosk.id, channel: 'kiosk', locale: 'fr', answers: { avis_global: 'tres_bien', courtoisie: 'satisfait' },
      completedAt: minute(completedAt.getTime()), receivedAt: minute(NOW),
    },
    completedAt,
    rateKey: kioskKey(k.kiosk.id, 'submit'),
    limit: KIOSK_SUBMISSIONS,
    at: NOW,
    queued: over.queued,
  };
}

const outcome = (r: unknown) => (r instanceof AppError ? r.status : r);

async function hits(k: Kiosk) {
  const [row] = await t.deps.db.select({ hits: rateLimits.hits }).from(rateLimits).where(eq(rateLimits.key, kioskKey(k.kiosk.id, 'submit')));
  return row?.hits ?? 0;
}

describe('when one batch holds the same id more than once', () => {
  it('then the first is created, a repeat by the same kiosk is a duplicate, the same id from another kiosk is refused with 409', async () => {
    const a = await newKiosk();
    const b = await newKiosk();
    const id = crypto.randomUUID();
    const results = await commitBatch(t.deps.db, [pending(a, { id }), pending(a, { id }), pending(b, { id })]);
    expect(results.map(outcome)).toEqual(['created', 'duplicate', 409]);
    const stored = await t.deps.db.select().from(responses).where(eq(responses.id, id));
    expect(stored).toHaveLength(1);
    expect(stored[0].kioskId).toBe(a.kiosk.id);
  });

  it('then an id stored by an earlier batch is a duplicate for its kiosk', async () => {
    const a = await newKiosk();
    const first = pending(a);
    expect((await commitBatch(t.deps.db, [first])).map(outcome)).toEqual(['created']);
    expect((await commitBatch(t.deps.db, [first, pending(a)])).map(outcome)).toEqual(['duplicate', 'created']);
  });
});

describe('when one batch holds more answer sets of a kiosk than its limit allows', () => {
  it('then they are numbered in batch order after the hits already counted, and every one of them counts', async () => {
    const a = await newKiosk();
    expect((await commitBatch(t.deps.db, Array.from({ length: 10 }, () => pending(a)))).every((r) => r === 'created')).toBe(true);
    const results = await commitBatch(t.deps.db, Array.from({ length: 25 }, () => pending(a)));
    const max = KIOSK_SUBMISSIONS.max;
    expect(results.slice(0, max - 10).every((r) => r === 'created')).toBe(true);
    const refused = results.slice(max - 10);
    expect(refused).toHaveLength(35 - max);
    expect(refused.every((r) => r instanceof AppError && r.status === 429 && (r.details as { retryAfter: number }).retryAfter === 30)).toBe(true);
    expect(await hits(a)).toBe(35);
    expect(await t.deps.db.select({ id: responses.id }).from(responses).where(eq(responses.kioskId, a.kiosk.id))).toHaveLength(max);
  });
});

describe('when the kiosk changed after its link was looked up', () => {
  it('then a paused kiosk keeps what was completed before the pause, refuses the rest with 423, and both count', async () => {
    const a = await newKiosk();
    await kiosks.pauseKiosk({ ...t.deps, clock: { now: () => new Date(NOW - 60_000) } }, a.org.id, a.kiosk.id);
    const results = await commitBatch(t.deps.db, [pending(a, { completedAt: NOW - 61_000 }), pending(a, { completedAt: NOW - 59_000 })]);
    expect(results.map(outcome)).toEqual(['created', 423]);
    expect(await hits(a)).toBe(2);
  });

  it('then a revoked kiosk stores nothing, answers 404 and is not counted, while the rest of the batch goes through', async () => {
    const a = await newKiosk();
    const b = await newKiosk();
    await kiosks.revokeKiosk(t.deps, a.org.id, a.kiosk.id);
    const gone = pending(a);
    const results = await commitBatch(t.deps.db, [gone, pending(b)]);
    expect(results.map(outcome)).toEqual([404, 'created']);
    expect(await t.deps.db.select().from(responses).where(eq(responses.id, gone.row.id))).toHaveLength(0);
    expect(await hits(a)).toBe(0);
  });

  it('then a kiosk moved to another site has its answer set counted at its new site', async () => {
    const a = await newKiosk();
    const other = await createSite(t.deps, a.org.id, 'Accueil des étrangers');
    await kiosks.updateKiosk(t.deps, a.org.id, a.kiosk.id, { name: 'Hall', siteId: other.id, locales: [], inactivitySeconds: 60 });
    const item = pending(a);
    expect((await commitBatch(t.deps.db, [item])).map(outcome)).toEqual(['created']);
    const [row] = await t.deps.db.select().from(responses).where(eq(responses.id, item.row.id));
    expect(row.siteId).toBe(other.id);
  });
});

describe('when a batch is stored', () => {
  it('then each kiosk records its last contact, its last answer and the queue length it reported last', async () => {
    const a = await newKiosk();
    const b = await newKiosk();
    const repeat = pending(b);
    await commitBatch(t.deps.db, [repeat]);
    await t.deps.db.update(kioskTable).set({ lastAnswerAt: null, lastSeenAt: null }).where(eq(kioskTable.id, b.kiosk.id));
    await commitBatch(t.deps.db, [pending(a, { queued: 5 }), pending(a, { queued: 4 }), pending(a), repeat]);
    const rows = await t.deps.db.select().from(kioskTable).where(inArray(kioskTable.id, [a.kiosk.id, b.kiosk.id]));
    const ka = rows.find((r) => r.id === a.kiosk.id)!;
    const kb = rows.find((r) => r.id === b.kiosk.id)!;
    expect(ka.lastSeenAt?.toISOString()).toBe(minute(NOW).toISOString());
    expect(ka.lastAnswerAt?.toISOString()).toBe(minute(NOW).toISOString());
    expect(ka.queuedReported).toBe(4);
    // A repeat is a contact, not a new answer.
    expect(kb.lastSeenAt?.toISOString()).toBe(minute(NOW).toISOString());
    expect(kb.lastAnswerAt).toBeNull();
  });
});

describe('when answer sets arrive together at the writer', () => {
  it('then they share batches, and each gets its own outcome', async () => {
    const a = await newKiosk();
    const writer = new AnswerSetWriter(t.deps.db);
    const id = crypto.randomUUID();
    const items = [pending(a, { id }), pending(a, { id }), ...Array.from({ length: 18 }, () => pending(a))];
    const results = await Promise.all(items.map((it) => writer.write(it)));
    expect(results.filter((r) => r === 'created')).toHaveLength(19);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(1);
    expect(writer.stats).toEqual({ batches: 1, answerSets: 20 });
  });

  it('then a row the database refuses fails alone: the batch is retried one by one and the others are stored', async () => {
    const a = await newKiosk();
    const writer = new AnswerSetWriter(t.deps.db);
    // An organisation that does not exist: the foreign key refuses the row, and with it the batch.
    const bad = pending(a, { orgId: crypto.randomUUID() });
    const good = [pending(a), pending(a)];
    const settled = await Promise.allSettled([good[0], bad, good[1]].map((it) => writer.write(it)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).not.toBeInstanceOf(AppError);
    const stored = await t.deps.db.select({ id: responses.id }).from(responses).where(inArray(responses.id, [bad.row.id, ...good.map((g) => g.row.id)]));
    expect(stored.map((r) => r.id).sort()).toEqual(good.map((g) => g.row.id).sort());
    expect(writer.stats).toEqual({ batches: 4, answerSets: 3 });
  });
});
