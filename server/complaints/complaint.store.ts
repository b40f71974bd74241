/**
 * Storage of the complaints register. Every function takes the organisation id first.
 * Monthly figures are summed in SQL from `delay_days` and `deadline_on`, set by the service.
 */
import { and, desc, eq, gte, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { rows as resultRows } from '../storage/db';
import { complaints, services, type ComplaintChannel, type ComplaintKind } from '../storage/schema';
import type { ComplaintFigures } from './complaint-figures';

export type ComplaintRow = typeof complaints.$inferSelect;

export interface ComplaintInput {
  channel: ComplaintChannel;
  kind: ComplaintKind;
  serviceId: string | null;
  matricule: string | null;
  receivedOn: string;
  deadlineOn: string;
  answeredOn: string | null;
  delayDays: number | null;
  subject: string;
  answerSummary: string;
  correctiveMeasure: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  contactAddress: string | null;
}

export async function insertComplaint(db: Db, orgId: string, v: ComplaintInput, createdBy: string | null): Promise<ComplaintRow> {
  const [row] = await db.insert(complaints).values({ ...v, orgId, createdBy }).returning();
  return row;
}

export async function updateComplaint(db: Db, orgId: string, id: string, v: Partial<ComplaintInput>): Promise<ComplaintRow | undefined> {
  const [row] = await db.update(complaints).set(v).where(and(eq(complaints.orgId, orgId), eq(complaints.id, id))).returning();
  return row;
}

export async function getComplaint(db: Db, orgId: string, id: string) {
  const [row] = await db.select({ c: complaints, serviceName: services.name }).from(complaints)
    .leftJoin(services, and(eq(services.id, complaints.serviceId), eq(services.orgId, orgId)))
    .where(and(eq(complaints.orgId, orgId), eq(complaints.id, id)));
  return row;
}

export async function listComplaints(db: Db, orgId: string, from: string, to: string, limit = 500) {
  return db.select({ c: complaints, serviceName: services.name }).from(complaints)
    .leftJoin(services, and(eq(services.id, complaints.serviceId), eq(services.orgId, orgId)))
    .where(and(eq(complaints.orgId, orgId), gte(complaints.receivedOn, from), lte(complaints.receivedOn, to)))
    .orderBy(desc(complaints.receivedOn), desc(complaints.createdAt)).limit(limit);
}

/** Figures per month of receipt (YYYY-MM-01), for complaints received from `from` to `to` (dates); `asOf` decides what is still pending. */
export async function monthlyFigures(db: Db, orgId: string, from: string, to: string, asOf: string): Promise<Map<string, ComplaintFigures>> {
  const result = await db.execute(sql`
    select to_char(date_trunc('month', received_on), 'YYYY-MM-01') as month,
      count(*)::int as count,
      count(answered_on)::int as answered,
      count(*) filter (where answered_on <= deadline_on)::int as within,
      count(*) filter (where answered_on is null and deadline_on >= ${asOf}::date)::int as pending,
      coalesce(sum(delay_days), 0)::int as delay_sum
    from complaints
    where org_id = ${orgId} and received_on >= ${from}::date and received_on <= ${to}::date
    group by 1`);
  const out = new Map<string, ComplaintFigures>();
  for (const r of resultRows<{ month: string; count: number; answered: number; within: number; pending: number; delay_sum: number }>(result)) {
    out.set(r.month, { count: Number(r.count), answered: Number(r.answered), withinDeadline: Number(r.within), pending: Number(r.pending), delaySum: Number(r.delay_sum) });
  }
  return out;
}

/** Erases the contact details of complaints closed (answered, else received) before `before`; the rows and figures stay. */
export async function erasePersonalData(db: Db, orgId: string, before: string, at: Date): Promise<number> {
  const rows = await db.update(complaints).set({
    contactName: null, contactEmail: null, contactPhone: null, contactAddress: null, personalDataErasedAt: at,
  }).where(and(
    eq(complaints.orgId, orgId),
    lt(sql`coalesce(${complaints.answeredOn}, ${complaints.receivedOn})`, before), isNull(complaints.personalDataErasedAt),
    or(sql`${complaints.contactName} is not null`, sql`${complaints.contactEmail} is not null`, sql`${complaints.contactPhone} is not null`, sql`${complaints.contactAddress} is not null`),
  )).returning({ id: complaints.id });
  return rows.length;
}

/**
 * Stores an entry of the hall form under the client's id, once: undefined when the id is
 * already taken (the caller then reads its owner to tell a repeat from a conflict).
 */
export async function insertSubmitted(db: Db, orgId: string, id: string, v: ComplaintInput, submissionKey: string): Promise<ComplaintRow | undefined> {
  const [row] = await db.insert(complaints).values({ ...v, id, orgId, submissionKey, createdBy: null }).onConflictDoNothing({ target: complaints.id }).returning();
  return row;
}

/** Who owns a complaint id, whatever the organisation: only to tell a repeat from a foreign id. */
export async function ownerOf(db: Db, id: string): Promise<{ orgId: string; submissionKey: string | null } | undefined> {
  const [row] = await db.select({ orgId: complaints.orgId, submissionKey: complaints.submissionKey }).from(complaints).where(eq(complaints.id, id)).limit(1);
  return row;
}
