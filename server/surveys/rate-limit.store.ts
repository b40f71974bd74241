/** Fixed-window counters in rate_limits. Keys never hold an address in clear (see rate-limit.ts). */
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { rateLimits } from '../storage/schema';

/** Counts one hit in the window and returns the hits of that window, this one included. */
export async function hit(db: Db, key: string, windowStart: Date): Promise<number> {
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, hits: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { hits: sql`${rateLimits.hits} + 1` } })
    .returning({ hits: rateLimits.hits });
  return row.hits;
}

export async function deleteWindowsBefore(db: Db, before: Date): Promise<number> {
  const r = await db.delete(rateLimits).where(lt(rateLimits.windowStart, before)).returning({ key: rateLimits.key });
  return r.length;
}
