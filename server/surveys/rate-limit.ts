/**
 * Rate limits of the anonymous submission endpoints, counted in the database (rate_limits)
 * so they hold across several instances:
 * - per kiosk: the key is the kiosk id (a device, not a person);
 * - per visitor of a public link: the key is HMAC(secret, day + address), so the address is
 *   never stored and the same address cannot be followed from one day to the next.
 */
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { hmacKey } from '../auth/tokens';
import * as store from './rate-limit.store';

export interface Limit {
  /** Window length in seconds. */
  windowSeconds: number;
  max: number;
}

export const KIOSK_SUBMISSIONS: Limit = { windowSeconds: 60, max: 30 };
export const KIOSK_HEARTBEATS: Limit = { windowSeconds: 60, max: 10 };
export const WEB_SUBMISSIONS: Limit = { windowSeconds: 3600, max: 20 };

export function tooManyRequests(retryAfterSeconds: number): AppError {
  return new AppError(429, 'rate_limited', 'Trop de réponses envoyées en peu de temps : réessayez dans un instant.', { retryAfter: retryAfterSeconds });
}

/** The fixed window holding the instant `nowMs`, and the seconds until the next one. */
export function windowOf(limit: Limit, nowMs: number): { start: Date; retryAfter: number } {
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(nowMs / windowMs) * windowMs;
  return { start: new Date(start), retryAfter: Math.max(1, Math.ceil((start + windowMs - nowMs) / 1000)) };
}

/** Counts one request under `key`; throws 429 (details.retryAfter in seconds) beyond the limit. */
export async function consume(ctx: Pick<Deps, 'db' | 'clock'>, key: string, limit: Limit): Promise<void> {
  const window = windowOf(limit, ctx.clock.now().getTime());
  const hits = await store.hit(ctx.db, key, window.start);
  if (hits > limit.max) throw tooManyRequests(window.retryAfter);
}

export const kioskKey = (kioskId: string, what: 'submit' | 'heartbeat') => `kiosk:${what}:${kioskId}`;

/** The key of a visitor of a public link: rotates every UTC day, address never in clear. */
export function visitorKey(ctx: Pick<Deps, 'secret' | 'clock'>, linkId: string, address: string): string {
  const day = ctx.clock.now().toISOString().slice(0, 10);
  return `web:${linkId}:${hmacKey(ctx.secret, `rate:${day}:${address}`)}`;
}

/** Windows older than a day are of no use to any limit. */
export async function purgeOldWindows(ctx: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  return store.deleteWindowsBefore(ctx.db, new Date(ctx.clock.now().getTime() - 24 * 3600_000));
}
