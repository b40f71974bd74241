/**
 * Public web links to a survey (/avis/:slug). Management functions take the organisation id
 * first; the public page finds a link by its slug.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { publicLinks, sites } from '../storage/schema';

export type PublicLinkRow = typeof publicLinks.$inferSelect;

export async function listLinks(db: Db, orgId: string) {
  return db
    .select({ id: publicLinks.id, surveyId: publicLinks.surveyId, siteId: publicLinks.siteId, siteName: sites.name, slug: publicLinks.slug, active: publicLinks.active, createdAt: publicLinks.createdAt })
    .from(publicLinks)
    .leftJoin(sites, eq(sites.id, publicLinks.siteId))
    .where(eq(publicLinks.orgId, orgId))
    .orderBy(desc(publicLinks.createdAt));
}

export async function insertLink(db: Db, orgId: string, v: { surveyId: string; siteId: string | null; slug: string }): Promise<PublicLinkRow> {
  const [row] = await db.insert(publicLinks).values({ orgId, ...v }).returning();
  return row;
}

export async function setActive(db: Db, orgId: string, id: string, active: boolean): Promise<PublicLinkRow | undefined> {
  const [row] = await db.update(publicLinks).set({ active }).where(and(eq(publicLinks.orgId, orgId), eq(publicLinks.id, id))).returning();
  return row;
}

export async function findBySlug(db: Db, slug: string): Promise<PublicLinkRow | undefined> {
  const [row] = await db.select().from(publicLinks).where(eq(publicLinks.slug, slug)).limit(1);
  return row;
}
