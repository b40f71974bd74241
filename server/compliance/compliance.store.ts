/** Compliance settings, accessibility statement versions, the rights-request log and retention runs. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { accessibilityStatements, complianceSettings, retentionRuns, rightsActions } from '../storage/schema';

export type SettingsRow = typeof complianceSettings.$inferSelect;
export type StatementRow = typeof accessibilityStatements.$inferSelect;
export type RightsActionRow = typeof rightsActions.$inferSelect;

export async function getSettings(db: Db, orgId: string): Promise<SettingsRow | null> {
  const [row] = await db.select().from(complianceSettings).where(eq(complianceSettings.orgId, orgId));
  return row ?? null;
}

export async function saveSettings(db: Db, orgId: string, v: Omit<typeof complianceSettings.$inferInsert, 'orgId'>): Promise<void> {
  await db.insert(complianceSettings).values({ ...v, orgId })
    .onConflictDoUpdate({ target: complianceSettings.orgId, set: { ...v, updatedAt: sql`now()` } });
}

export async function latestStatement(db: Db, orgId: string): Promise<StatementRow | null> {
  const [row] = await db.select().from(accessibilityStatements).where(eq(accessibilityStatements.orgId, orgId))
    .orderBy(desc(accessibilityStatements.version)).limit(1);
  return row ?? null;
}

export async function listStatements(db: Db, orgId: string): Promise<StatementRow[]> {
  return db.select().from(accessibilityStatements).where(eq(accessibilityStatements.orgId, orgId)).orderBy(desc(accessibilityStatements.version));
}

export async function getStatementVersion(db: Db, orgId: string, version: number): Promise<StatementRow | null> {
  const [row] = await db.select().from(accessibilityStatements)
    .where(and(eq(accessibilityStatements.orgId, orgId), eq(accessibilityStatements.version, version)));
  return row ?? null;
}

/** A new version (the previous ones stay readable). Two saves at once: the unique index refuses one. */
export async function insertStatement(db: Db, orgId: string, v: Omit<typeof accessibilityStatements.$inferInsert, 'orgId' | 'version'>): Promise<StatementRow> {
  const [row] = await db.insert(accessibilityStatements).values({
    ...v, orgId,
    version: sql`(select coalesce(max(version), 0) + 1 from accessibility_statements where org_id = ${orgId})`,
  }).returning();
  return row;
}

export async function recordRightsAction(db: Db, orgId: string, v: Omit<typeof rightsActions.$inferInsert, 'orgId'>): Promise<void> {
  await db.insert(rightsActions).values({ ...v, orgId });
}

export async function listRightsActions(db: Db, orgId: string, limit = 50): Promise<RightsActionRow[]> {
  return db.select().from(rightsActions).where(eq(rightsActions.orgId, orgId)).orderBy(desc(rightsActions.createdAt)).limit(limit);
}

export async function recordRetentionRun(db: Db, orgId: string | null, kind: string, purged: number, ranAt: Date): Promise<void> {
  await db.insert(retentionRuns).values({ orgId, kind, purged, ranAt });
}

export async function lastRetentionRuns(db: Db, orgId: string): Promise<{ kind: string; purged: number; ranAt: Date }[]> {
  return db.select({ kind: retentionRuns.kind, purged: retentionRuns.purged, ranAt: retentionRuns.ranAt }).from(retentionRuns)
    .where(eq(retentionRuns.orgId, orgId)).orderBy(desc(retentionRuns.ranAt)).limit(20);
}
