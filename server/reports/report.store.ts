/**
 * Saved reports (bilans) and the public-page publication of an organisation.
 * Tenancy: every function takes the organisation id first and filters on it; another
 * organisation's report is simply not found.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { organisations, reportPublications, reports, type ReportComparison, type ReportSection } from '../storage/schema';

export type SavedReport = typeof reports.$inferSelect;

export interface ReportInput {
  title: string;
  periodStart: string;
  periodEnd: string;
  comparison: ReportComparison;
  sections: ReportSection[];
  surveyIds: string[];
}

export async function listReports(db: Db, orgId: string): Promise<SavedReport[]> {
  return db.select().from(reports).where(eq(reports.orgId, orgId)).orderBy(desc(reports.periodEnd), desc(reports.createdAt));
}

export async function getReport(db: Db, orgId: string, id: string): Promise<SavedReport | undefined> {
  const [row] = await db.select().from(reports).where(and(eq(reports.orgId, orgId), eq(reports.id, id))).limit(1);
  return row;
}

export async function insertReport(db: Db, orgId: string, v: ReportInput & { createdBy: string | null }): Promise<SavedReport> {
  const [row] = await db.insert(reports).values({ orgId, ...v }).returning();
  return row;
}

export async function updateReport(db: Db, orgId: string, id: string, v: Partial<ReportInput> & { comments?: Record<string, string>; improvements?: string }): Promise<SavedReport | undefined> {
  const [row] = await db.update(reports).set({ ...v, updatedAt: sql`now()` }).where(and(eq(reports.orgId, orgId), eq(reports.id, id))).returning();
  return row;
}

export async function deleteReport(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.delete(reports).where(and(eq(reports.orgId, orgId), eq(reports.id, id))).returning({ id: reports.id });
  return r.length > 0;
}

// Publication ------------------------------------------------------------------------------------

export async function getPublication(db: Db, orgId: string) {
  const [row] = await db.select().from(reportPublications).where(eq(reportPublications.orgId, orgId)).limit(1);
  return row;
}

/** Publishes one of the organisation's own reports (the caller checked it exists). */
export async function publish(db: Db, orgId: string, reportId: string, userId: string | null): Promise<void> {
  await db
    .insert(reportPublications)
    .values({ orgId, reportId, publishedBy: userId })
    .onConflictDoUpdate({ target: reportPublications.orgId, set: { reportId, publishedBy: userId, publishedAt: sql`now()` } });
}

export async function unpublish(db: Db, orgId: string): Promise<void> {
  await db.delete(reportPublications).where(eq(reportPublications.orgId, orgId));
}

/** The public page of an organisation code: its organisation and published report, if it opted in. */
export async function findPublishedByCode(db: Db, code: string) {
  const [row] = await db
    .select({ org: organisations, report: reports, publishedAt: reportPublications.publishedAt })
    .from(reportPublications)
    .innerJoin(organisations, eq(organisations.id, reportPublications.orgId))
    .innerJoin(reports, and(eq(reports.id, reportPublications.reportId), eq(reports.orgId, reportPublications.orgId)))
    .where(eq(organisations.code, code))
    .limit(1);
  return row;
}
