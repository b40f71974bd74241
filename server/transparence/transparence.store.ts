/** Storage of typed/imported Transparence values and of published quarters. orgId first in every function and WHERE. */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { organisations, transparencePublications, transparenceValues } from '../storage/schema';

export async function valuesOf(db: Db, orgId: string, quarters: string[]) {
  if (!quarters.length) return [];
  return db.select().from(transparenceValues).where(and(eq(transparenceValues.orgId, orgId), inArray(transparenceValues.quarter, quarters)));
}

export async function upsertValues(db: Db, orgId: string, rows: { quarter: string; measureId: string; value: number }[], source: 'typed' | 'imported', userId: string | null, at: Date) {
  for (const r of rows) {
    await db.insert(transparenceValues).values({ orgId, ...r, source, enteredBy: userId, enteredAt: at })
      .onConflictDoUpdate({ target: [transparenceValues.orgId, transparenceValues.quarter, transparenceValues.measureId], set: { value: r.value, source, enteredBy: userId, enteredAt: at } });
  }
}

export async function deleteValue(db: Db, orgId: string, quarter: string, measureId: string) {
  await db.delete(transparenceValues).where(and(eq(transparenceValues.orgId, orgId), eq(transparenceValues.quarter, quarter), eq(transparenceValues.measureId, measureId)));
}

export async function publish(db: Db, orgId: string, quarter: string, at: Date) {
  await db.insert(transparencePublications).values({ orgId, quarter, publishedAt: at }).onConflictDoNothing();
}

export async function unpublish(db: Db, orgId: string, quarter: string) {
  await db.delete(transparencePublications).where(and(eq(transparencePublications.orgId, orgId), eq(transparencePublications.quarter, quarter)));
}

export async function publishedQuarters(db: Db, orgId: string): Promise<string[]> {
  const rows = await db.select({ q: transparencePublications.quarter }).from(transparencePublications).where(eq(transparencePublications.orgId, orgId)).orderBy(desc(transparencePublications.quarter));
  return rows.map((r) => r.q);
}

/** The organisation of a public address (its code), if any. */
export async function orgByCode(db: Db, code: string) {
  const [row] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.code, code));
  return row;
}
