/**
 * Kiosks: tablets enrolled for one site and one survey. Management functions take the
 * organisation id first and filter on it; the device endpoints find a kiosk by the hash of
 * the secret in its enrolment link (the link is the credential).
 */
import { and, asc, eq, getTableColumns, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { kiosks, sites, type KioskStatus } from '../storage/schema';

export type KioskRow = typeof kiosks.$inferSelect;
export type KioskWithSite = KioskRow & { siteName: string };

export interface KioskInput {
  name: string;
  siteId: string;
  locales: string[];
  inactivitySeconds: number;
}

const withSite = { ...getTableColumns(kiosks), siteName: sites.name };

export async function listKiosks(db: Db, orgId: string): Promise<KioskWithSite[]> {
  return db
    .select(withSite)
    .from(kiosks)
    .innerJoin(sites, eq(sites.id, kiosks.siteId))
    .where(eq(kiosks.orgId, orgId))
    .orderBy(sql`${kiosks.status} = 'revoked'`, asc(sites.name), asc(kiosks.name));
}

export async function getKiosk(db: Db, orgId: string, id: string): Promise<KioskWithSite | undefined> {
  const [row] = await db
    .select(withSite)
    .from(kiosks)
    .innerJoin(sites, eq(sites.id, kiosks.siteId))
    .where(and(eq(kiosks.orgId, orgId), eq(kiosks.id, id)))
    .limit(1);
  return row;
}

export async function insertKiosk(db: Db, orgId: string, v: KioskInput & { surveyId: string; tokenHash: string }): Promise<KioskRow> {
  const [row] = await db.insert(kiosks).values({ orgId, ...v }).returning();
  return row;
}

export async function updateKiosk(db: Db, orgId: string, id: string, v: KioskInput): Promise<KioskRow | undefined> {
  const [row] = await db.update(kiosks).set(v).where(and(eq(kiosks.orgId, orgId), eq(kiosks.id, id))).returning();
  return row;
}

/** Changes the status; `from` lists the statuses the change may start from. */
export async function setStatus(db: Db, orgId: string, id: string, status: KioskStatus, pausedAt: Date | null, from: KioskStatus[]): Promise<KioskRow | undefined> {
  const [row] = await db
    .update(kiosks)
    .set({ status, pausedAt })
    .where(and(eq(kiosks.orgId, orgId), eq(kiosks.id, id), inArray(kiosks.status, from)))
    .returning();
  return row;
}

export async function setTokenHash(db: Db, orgId: string, id: string, tokenHash: string): Promise<KioskRow | undefined> {
  const [row] = await db
    .update(kiosks)
    .set({ tokenHash })
    .where(and(eq(kiosks.orgId, orgId), eq(kiosks.id, id), ne(kiosks.status, 'revoked')))
    .returning();
  return row;
}

/** The kiosk holding an enrolment link, whatever its organisation (the link is the credential). */
export async function findByTokenHash(db: Db, tokenHash: string): Promise<KioskRow | undefined> {
  const [row] = await db.select().from(kiosks).where(eq(kiosks.tokenHash, tokenHash)).limit(1);
  return row;
}

/** What a kiosk reports on each submission or heartbeat. */
export async function recordContact(db: Db, id: string, v: { seenAt: Date; answerAt?: Date; queued?: number; parked?: number }): Promise<void> {
  await db
    .update(kiosks)
    .set({
      lastSeenAt: v.seenAt,
      ...(v.answerAt ? { lastAnswerAt: v.answerAt } : {}),
      ...(v.queued !== undefined ? { queuedReported: v.queued } : {}),
      ...(v.parked !== undefined ? { parkedReported: v.parked } : {}),
    })
    .where(eq(kiosks.id, id));
}
