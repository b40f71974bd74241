/**
 * Kiosk use cases: enrolment (a secret link, shown once, and its QR code), renaming, moving,
 * pausing, revoking, regenerating the link; and what a kiosk does with its link: submit
 * answer sets and report its state.
 *
 * Paused kiosks: an answer set completed before the pause is still accepted (it was queued on
 * the tablet); one completed after it is refused with 423 and stays queued on the tablet until
 * the kiosk is resumed. Revoked kiosks and unknown links read as 404.
 */
import QRCode from 'qrcode';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { randomToken, sha256 } from '../auth/tokens';
import * as orgSvc from '../org/org.service';
import { KIOSK_HEARTBEATS, KIOSK_SUBMISSIONS, consume, kioskKey } from '../surveys/rate-limit';
import { submit, type StoreOutcome } from '../surveys/responses.service';
import { getSurvey, kioskFormOf, surveyKind } from '../surveys/surveys.service';
import { kioskPaused } from '../surveys/answer-set-writer';
import { submitComplaintForm } from '../complaints/complaint-form.service';
import type { KioskCreate, KioskUpdate } from './kiosk.schemas';
import * as store from './kiosk.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'surveys'>;

const toMinute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

export async function requireKiosk(ctx: Ctx, orgId: string, id: string) {
  const row = await store.getKiosk(ctx.db, orgId, id);
  if (!row) throw notFound('Borne');
  return row;
}

/** The site must be the organisation's, and the languages among the survey's. */
async function checkPlacement(ctx: Ctx, orgId: string, surveyId: string, v: { siteId: string; locales: string[] }) {
  const survey = kioskFormOf(ctx, surveyId, 'kiosk');
  if (!survey) throw new ValidationError({ surveyId: 'Choisissez un questionnaire.' });
  try {
    await orgSvc.requireSite(ctx, orgId, v.siteId);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw new ValidationError({ siteId: 'Choisissez un site.' });
    throw err;
  }
  const locales = v.locales.length ? v.locales : [...survey.locales];
  const missing = locales.filter((l) => !survey.locales.includes(l));
  if (missing.length) throw new ValidationError({ locales: `Ce questionnaire n’est pas traduit en : ${missing.join(', ')}.` });
  // Keep the survey's order (French first).
  return survey.locales.filter((l) => locales.includes(l));
}

export async function createKiosk(ctx: Ctx, orgId: string, v: KioskCreate) {
  const locales = await checkPlacement(ctx, orgId, v.surveyId, v);
  const token = randomToken();
  const kiosk = await store.insertKiosk(ctx.db, orgId, {
    name: v.name, siteId: v.siteId, surveyId: v.surveyId, locales, inactivitySeconds: v.inactivitySeconds, tokenHash: sha256(token),
  });
  return { kiosk, token };
}

export async function updateKiosk(ctx: Ctx, orgId: string, id: string, v: KioskUpdate) {
  const current = await requireKiosk(ctx, orgId, id);
  const locales = await checkPlacement(ctx, orgId, current.surveyId, v);
  const row = await store.updateKiosk(ctx.db, orgId, id, { name: v.name, siteId: v.siteId, locales, inactivitySeconds: v.inactivitySeconds });
  if (!row) throw notFound('Borne');
  return row;
}

/** Status changes return false when the kiosk is not in a state that allows them. */
export async function pauseKiosk(ctx: Ctx, orgId: string, id: string): Promise<boolean> {
  await requireKiosk(ctx, orgId, id);
  return Boolean(await store.setStatus(ctx.db, orgId, id, 'paused', ctx.clock.now(), ['active']));
}

export async function resumeKiosk(ctx: Ctx, orgId: string, id: string): Promise<boolean> {
  await requireKiosk(ctx, orgId, id);
  return Boolean(await store.setStatus(ctx.db, orgId, id, 'active', null, ['paused']));
}

export async function revokeKiosk(ctx: Ctx, orgId: string, id: string): Promise<boolean> {
  await requireKiosk(ctx, orgId, id);
  forgetKiosk(ctx, id);
  return Boolean(await store.setStatus(ctx.db, orgId, id, 'revoked', null, ['active', 'paused']));
}

/** A new link; the old one stops working at once. Undefined for a revoked kiosk. */
export async function regenerateLink(ctx: Ctx, orgId: string, id: string) {
  await requireKiosk(ctx, orgId, id);
  const token = randomToken();
  forgetKiosk(ctx, id);
  const row = await store.setTokenHash(ctx.db, orgId, id, sha256(token));
  return row ? { kiosk: row, token } : undefined;
}

// Enrolment link --------------------------------------------------------------------------------

export function kioskPath(token: string): string {
  return `/kiosque/${token}`;
}

export async function qrCodeSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 256 });
}

// The device side -----------------------------------------------------------------------------

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The kiosk of an enrolment link, unless unknown or revoked. */
export async function kioskByToken(ctx: Ctx, token: string): Promise<store.KioskRow | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const row = await store.findByTokenHash(ctx.db, sha256(token));
  return row && row.status !== 'revoked' ? row : undefined;
}

export async function requireKioskByToken(ctx: Ctx, token: string): Promise<store.KioskRow> {
  const row = await kioskByToken(ctx, token);
  if (!row) throw notFound('Borne');
  return row;
}

// What a link says about its kiosk that never changes (a new link gets a new hash), so that a
// submission can be checked before its batch re-reads the kiosk's state under a lock. Kept a
// minute at most; a revoked or regenerated link is forgotten at once in this process, and in
// any process its batch answers 404.
interface KioskIdentity {
  id: string;
  orgId: string;
  surveyId: string;
  expires: number;
}
const IDENTITY_TTL_MS = 60_000;
const MAX_IDENTITIES = 10_000;
const identities = new WeakMap<Deps['db'], Map<string, KioskIdentity>>();

function identityCache(ctx: Ctx): Map<string, KioskIdentity> {
  let cache = identities.get(ctx.db);
  if (!cache) identities.set(ctx.db, (cache = new Map()));
  return cache;
}

function forgetKiosk(ctx: Ctx, id: string): void {
  const cache = identityCache(ctx);
  for (const [hash, k] of cache) if (k.id === id) cache.delete(hash);
}

async function kioskIdentity(ctx: Ctx, token: string): Promise<KioskIdentity> {
  if (!TOKEN.test(token)) throw notFound('Borne');
  const hash = sha256(token);
  const cache = identityCache(ctx);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.expires > now) return hit;
  cache.delete(hash);
  const row = await requireKioskByToken(ctx, token);
  if (cache.size >= MAX_IDENTITIES) cache.delete(cache.keys().next().value!);
  const identity = { id: row.id, orgId: row.orgId, surveyId: row.surveyId, expires: now + IDENTITY_TTL_MS };
  cache.set(hash, identity);
  return identity;
}

/**
 * One answer set sent by a kiosk: the survey's checks, then the kiosk's current state (revoked:
 * 404; paused: 423 for what was completed after the pause), the rate limit and the store, in
 * one statement shared with the other answer sets of the moment.
 */
export async function submitFromKiosk(ctx: Ctx, token: string, body: unknown): Promise<StoreOutcome> {
  const kiosk = await kioskIdentity(ctx, token);
  const entry = getSurvey(ctx, kiosk.surveyId);
  if (entry && surveyKind(entry) === 'complaint') {
    // The hall's complaint form: into the complaints register (few a day: the kiosk's state is
    // read here rather than in the answer sets' group commit).
    return submitComplaintForm(ctx, {
      sender: { orgId: kiosk.orgId, siteId: null, kioskId: kiosk.id, channel: 'kiosk', surveyId: kiosk.surveyId },
      submissionKey: `kiosk:${kiosk.id}`,
      body,
      rateKey: kioskKey(kiosk.id, 'submit'),
      limit: KIOSK_SUBMISSIONS,
      checkSender: async (completedAt) => {
        const row = await requireKioskByToken(ctx, token);
        if (row.status === 'paused' && row.pausedAt && completedAt > row.pausedAt) throw kioskPaused();
        await store.recordContact(ctx.db, row.id, { seenAt: toMinute(ctx.clock.now()), answerAt: toMinute(ctx.clock.now()) });
      },
    });
  }
  return submit(ctx, {
    // The site is the kiosk's current one, read by the batch that stores the answer set.
    sender: { orgId: kiosk.orgId, siteId: null, kioskId: kiosk.id, channel: 'kiosk', surveyId: kiosk.surveyId },
    body,
    rateKey: kioskKey(kiosk.id, 'submit'),
    limit: KIOSK_SUBMISSIONS,
  });
}

/** A kiosk reports how many answer sets it holds; it learns its status in return. */
export async function heartbeat(ctx: Ctx, token: string, counts: { queued?: number; parked?: number }) {
  const kiosk = await requireKioskByToken(ctx, token);
  await consume(ctx, kioskKey(kiosk.id, 'heartbeat'), KIOSK_HEARTBEATS);
  await store.recordContact(ctx.db, kiosk.id, { seenAt: toMinute(ctx.clock.now()), queued: counts.queued, parked: counts.parked });
  return kiosk;
}
