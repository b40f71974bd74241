/**
 * Storage of the monthly board: an organisation's targets, typed and imported monthly values
 * (with their history: a new value marks the previous one replaced, never deletes it), the
 * uploaded files awaiting a decision, and the column mapping last used. Every function takes
 * the organisation id first and filters on it.
 */
import { and, asc, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import {
  indicatorImportMappings, indicatorImports, indicatorTargets, indicatorValues, users, type ImportKind, type IndicatorValueSource,
} from '../storage/schema';

export type ValueRow = typeof indicatorValues.$inferSelect;
export type ImportRow = typeof indicatorImports.$inferSelect;

// Targets -----------------------------------------------------------------------------------------

export async function listTargets(db: Db, orgId: string): Promise<Map<string, number>> {
  const rows = await db.select().from(indicatorTargets).where(eq(indicatorTargets.orgId, orgId));
  return new Map(rows.map((r) => [r.indicatorId, r.target]));
}

export async function setTarget(db: Db, orgId: string, indicatorId: string, target: number | null, userId: string | null, at: Date) {
  if (target === null) {
    await db.delete(indicatorTargets).where(and(eq(indicatorTargets.orgId, orgId), eq(indicatorTargets.indicatorId, indicatorId)));
    return;
  }
  await db.insert(indicatorTargets).values({ orgId, indicatorId, target, updatedBy: userId, updatedAt: at })
    .onConflictDoUpdate({ target: [indicatorTargets.orgId, indicatorTargets.indicatorId], set: { target, updatedBy: userId, updatedAt: at } });
}

// Values ------------------------------------------------------------------------------------------

export interface NewValue {
  indicatorId: string;
  month: string;
  breakdown: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
}

/** Stores values as the current ones; the values they replace stay, marked `replaced_at`. */
export async function replaceValues(
  db: Db, orgId: string, values: NewValue[], source: IndicatorValueSource, userId: string | null, at: Date, importId: string | null = null,
): Promise<void> {
  if (!values.length) return;
  await db.transaction(async (tx) => {
    for (const v of values) {
      await tx.update(indicatorValues).set({ replacedAt: at }).where(and(
        eq(indicatorValues.orgId, orgId), eq(indicatorValues.indicatorId, v.indicatorId), eq(indicatorValues.month, v.month),
        eq(indicatorValues.breakdown, v.breakdown), isNull(indicatorValues.replacedAt),
      ));
    }
    for (let i = 0; i < values.length; i += 500) {
      await tx.insert(indicatorValues).values(values.slice(i, i + 500).map((v) => ({ ...v, orgId, source, importId, enteredBy: userId, enteredAt: at })));
    }
  });
}

/** Current values of months `from`..`to` (first days of months, inclusive). */
export async function currentValues(db: Db, orgId: string, from: string, to: string): Promise<ValueRow[]> {
  return db.select().from(indicatorValues).where(and(
    eq(indicatorValues.orgId, orgId), gte(indicatorValues.month, from), lte(indicatorValues.month, to), isNull(indicatorValues.replacedAt),
  )).orderBy(asc(indicatorValues.month), asc(indicatorValues.indicatorId), asc(indicatorValues.breakdown));
}

/** The latest month (first day) up to `notAfter` with a current value, or null. */
export async function latestMonthWithValues(db: Db, orgId: string, notAfter: string): Promise<string | null> {
  const [row] = await db.select({ month: indicatorValues.month }).from(indicatorValues)
    .where(and(eq(indicatorValues.orgId, orgId), lte(indicatorValues.month, notAfter), isNull(indicatorValues.replacedAt)))
    .orderBy(desc(indicatorValues.month)).limit(1);
  return row?.month ?? null;
}

/** Every value ever entered for an indicator, newest first, with who entered it. */
export async function valueHistory(db: Db, orgId: string, indicatorId: string, limit = 200) {
  return db.select({ value: indicatorValues, who: users.displayName }).from(indicatorValues)
    .leftJoin(users, eq(users.id, indicatorValues.enteredBy))
    .where(and(eq(indicatorValues.orgId, orgId), eq(indicatorValues.indicatorId, indicatorId)))
    .orderBy(desc(indicatorValues.month), asc(indicatorValues.breakdown), desc(indicatorValues.enteredAt)).limit(limit);
}

// Imports -----------------------------------------------------------------------------------------

export async function insertImport(db: Db, orgId: string, v: { kind: ImportKind; fileName: string; header: string[]; rows: string[][]; lines: number[]; createdBy: string | null }): Promise<ImportRow> {
  const [row] = await db.insert(indicatorImports).values({ orgId, ...v }).returning();
  return row;
}

export async function getImport(db: Db, orgId: string, id: string): Promise<ImportRow | undefined> {
  const [row] = await db.select().from(indicatorImports).where(and(eq(indicatorImports.orgId, orgId), eq(indicatorImports.id, id)));
  return row;
}

export async function listImports(db: Db, orgId: string, limit = 20) {
  return db.select({
    id: indicatorImports.id, kind: indicatorImports.kind, fileName: indicatorImports.fileName, status: indicatorImports.status,
    storedValues: indicatorImports.storedValues, skippedLines: indicatorImports.skippedLines, createdAt: indicatorImports.createdAt,
    rowCount: sql<number>`jsonb_array_length(${indicatorImports.rows})::int`,
  }).from(indicatorImports).where(eq(indicatorImports.orgId, orgId)).orderBy(desc(indicatorImports.createdAt)).limit(limit);
}

/** Marks a preview stored; false when it was no longer a preview (stored twice, or abandoned). */
export async function markImportStored(db: Db, orgId: string, id: string, v: { mapping: Record<string, string>; storedValues: number; skippedLines: number }, at: Date): Promise<boolean> {
  const rows = await db.update(indicatorImports).set({ ...v, status: 'stored', storedAt: at, rows: [], lines: [] })
    .where(and(eq(indicatorImports.orgId, orgId), eq(indicatorImports.id, id), eq(indicatorImports.status, 'preview'))).returning({ id: indicatorImports.id });
  return rows.length === 1;
}

export async function abandonImport(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db.update(indicatorImports).set({ status: 'abandoned', rows: [], lines: [] })
    .where(and(eq(indicatorImports.orgId, orgId), eq(indicatorImports.id, id), eq(indicatorImports.status, 'preview'))).returning({ id: indicatorImports.id });
  return rows.length === 1;
}

export async function getMapping(db: Db, orgId: string, kind: ImportKind): Promise<Record<string, string> | null> {
  const [row] = await db.select().from(indicatorImportMappings).where(and(eq(indicatorImportMappings.orgId, orgId), eq(indicatorImportMappings.kind, kind)));
  return row?.mapping ?? null;
}

export async function saveMapping(db: Db, orgId: string, kind: ImportKind, mapping: Record<string, string>, at: Date) {
  await db.insert(indicatorImportMappings).values({ orgId, kind, mapping, updatedAt: at })
    .onConflictDoUpdate({ target: [indicatorImportMappings.orgId, indicatorImportMappings.kind], set: { mapping, updatedAt: at } });
}
