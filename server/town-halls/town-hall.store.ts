/**
 * Storage of the town halls an organisation checks and of their quarterly mystery checks.
 * Every function takes the organisation id first and filters on it.
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { organisations, townHallChecks, townHalls, type TownHallChannel, type TownHallCoordSource } from '../storage/schema';

export type TownHallRow = typeof townHalls.$inferSelect;
export type CheckRow = typeof townHallChecks.$inferSelect;

export interface NewTownHall {
  inseeCode: string | null;
  name: string;
  departmentCode: string;
  arrondissementCode: string | null;
  lat: number | null;
  lon: number | null;
  coordSource: TownHallCoordSource | null;
}

export async function listTownHalls(db: Db, orgId: string): Promise<TownHallRow[]> {
  return db.select().from(townHalls).where(eq(townHalls.orgId, orgId)).orderBy(asc(townHalls.name));
}

export async function getTownHall(db: Db, orgId: string, id: string): Promise<TownHallRow | undefined> {
  const [row] = await db.select().from(townHalls).where(and(eq(townHalls.orgId, orgId), eq(townHalls.id, id)));
  return row;
}

/** Inserts town halls, skipping those already listed (same department and name); returns how many were new. */
export async function insertTownHalls(db: Db, orgId: string, rows: NewTownHall[]): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await db.insert(townHalls).values(rows.map((r) => ({ ...r, orgId }))).onConflictDoNothing().returning({ id: townHalls.id });
  return inserted.length;
}

export async function setPosition(db: Db, orgId: string, id: string, lat: number | null, lon: number | null): Promise<boolean> {
  const rows = await db.update(townHalls).set({ lat, lon, coordSource: lat === null ? null : 'manual' })
    .where(and(eq(townHalls.orgId, orgId), eq(townHalls.id, id))).returning({ id: townHalls.id });
  return rows.length === 1;
}

export async function deleteTownHall(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db.delete(townHalls).where(and(eq(townHalls.orgId, orgId), eq(townHalls.id, id))).returning({ id: townHalls.id });
  return rows.length === 1;
}

export async function insertCheck(db: Db, orgId: string, v: { townHallId: string; checkedOn: string; channel: TownHallChannel; firstSlotOn: string | null; createdBy: string | null }): Promise<CheckRow> {
  const [row] = await db.insert(townHallChecks).values({ ...v, orgId }).returning();
  return row;
}

export async function deleteCheck(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db.delete(townHallChecks).where(and(eq(townHallChecks.orgId, orgId), eq(townHallChecks.id, id))).returning({ id: townHallChecks.id });
  return rows.length === 1;
}

/** Checks done between two days (inclusive), oldest first. */
export async function listChecks(db: Db, orgId: string, from: string, to: string): Promise<CheckRow[]> {
  return db.select().from(townHallChecks)
    .where(and(eq(townHallChecks.orgId, orgId), gte(townHallChecks.checkedOn, from), lte(townHallChecks.checkedOn, to)))
    .orderBy(asc(townHallChecks.checkedOn), asc(townHallChecks.createdAt));
}

export async function getOrganisation(db: Db, orgId: string) {
  const [row] = await db.select({ code: organisations.code, name: organisations.name, departmentCode: organisations.departmentCode })
    .from(organisations).where(eq(organisations.id, orgId));
  return row;
}

export async function setDepartment(db: Db, orgId: string, code: string): Promise<void> {
  await db.update(organisations).set({ departmentCode: code }).where(eq(organisations.id, orgId));
}
