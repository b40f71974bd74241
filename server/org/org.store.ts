/**
 * Organisations (tenants), their reception sites and their services.
 * Site and service functions take the organisation id first and filter on it: another
 * organisation's row is simply not found.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { organisations, services, sites, type SiteKind } from '../storage/schema';

export type OrgRow = typeof organisations.$inferSelect;
export type SiteRow = typeof sites.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;

export async function listOrganisations(db: Db): Promise<OrgRow[]> {
  return db.select().from(organisations).orderBy(asc(organisations.code));
}

export async function findOrgByCode(db: Db, code: string): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.code, code)).limit(1);
  return row;
}

export async function getOrg(db: Db, orgId: string): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, orgId)).limit(1);
  return row;
}

export async function insertOrganisation(db: Db, v: { code: string; name: string; holidayZone?: string }): Promise<OrgRow> {
  const [row] = await db.insert(organisations).values(v).returning();
  return row;
}

// Sites -----------------------------------------------------------------------------------------

export interface SiteInput {
  name: string;
  kind: SiteKind;
  address: string;
}

export async function listSites(db: Db, orgId: string): Promise<SiteRow[]> {
  return db.select().from(sites).where(eq(sites.orgId, orgId)).orderBy(asc(sites.name));
}

export async function getSite(db: Db, orgId: string, id: string): Promise<SiteRow | undefined> {
  const [row] = await db.select().from(sites).where(and(eq(sites.orgId, orgId), eq(sites.id, id))).limit(1);
  return row;
}

export async function insertSite(db: Db, orgId: string, v: SiteInput): Promise<SiteRow> {
  const [row] = await db.insert(sites).values({ orgId, ...v }).returning();
  return row;
}

export async function updateSite(db: Db, orgId: string, id: string, v: SiteInput): Promise<SiteRow | undefined> {
  const [row] = await db.update(sites).set(v).where(and(eq(sites.orgId, orgId), eq(sites.id, id))).returning();
  return row;
}

export async function deleteSite(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.delete(sites).where(and(eq(sites.orgId, orgId), eq(sites.id, id))).returning({ id: sites.id });
  return r.length > 0;
}

// Services --------------------------------------------------------------------------------------

export interface ServiceInput {
  name: string;
  emails: string[];
  phones: string[];
  categories?: string[];
}

export async function listServices(db: Db, orgId: string): Promise<ServiceRow[]> {
  return db.select().from(services).where(eq(services.orgId, orgId)).orderBy(asc(services.name));
}

export async function getService(db: Db, orgId: string, id: string): Promise<ServiceRow | undefined> {
  const [row] = await db.select().from(services).where(and(eq(services.orgId, orgId), eq(services.id, id))).limit(1);
  return row;
}

export async function insertService(db: Db, orgId: string, v: ServiceInput): Promise<ServiceRow> {
  const [row] = await db.insert(services).values({ orgId, ...v }).returning();
  return row;
}

export async function updateService(db: Db, orgId: string, id: string, v: ServiceInput): Promise<ServiceRow | undefined> {
  const [row] = await db.update(services).set(v).where(and(eq(services.orgId, orgId), eq(services.id, id))).returning();
  return row;
}

export async function deleteService(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.delete(services).where(and(eq(services.orgId, orgId), eq(services.id, id))).returning({ id: services.id });
  return r.length > 0;
}

// Platform administration (issue 13) --------------------------------------------------------

export async function updateOrganisation(db: Db, orgId: string, v: { name?: string; holidayZone?: string; deactivatedAt?: Date | null }): Promise<OrgRow | undefined> {
  const [row] = await db.update(organisations).set(v).where(eq(organisations.id, orgId)).returning();
  return row;
}
