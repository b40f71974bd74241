/**
 * Storage of the action plan and its reviews. Every function takes the organisation id first
 * and puts it in every WHERE (joins included). A review copies every action's state in one
 * INSERT … SELECT inside the review's transaction.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { actionReviewRows, actionReviews, actions, complaints, services, type ActionOrigin, type ActionStatus } from '../storage/schema';

export type ActionRow = typeof actions.$inferSelect;

export interface ActionInput {
  title: string;
  origin: ActionOrigin;
  originNote: string;
  complaintId: string | null;
  serviceId: string | null;
  dueOn: string | null;
  status: ActionStatus;
  comment: string;
  doneOn: string | null;
}

export async function insertAction(db: Db, orgId: string, v: ActionInput, createdBy: string | null): Promise<ActionRow> {
  const [row] = await db.insert(actions).values({ ...v, orgId, createdBy }).returning();
  return row;
}

export async function updateAction(db: Db, orgId: string, id: string, v: ActionInput): Promise<ActionRow | undefined> {
  const [row] = await db.update(actions).set({ ...v, updatedAt: sql`now()` }).where(and(eq(actions.orgId, orgId), eq(actions.id, id))).returning();
  return row;
}

export async function deleteAction(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db.delete(actions).where(and(eq(actions.orgId, orgId), eq(actions.id, id))).returning({ id: actions.id });
  return rows.length > 0;
}

const withNames = {
  a: actions,
  serviceName: services.name,
  complaintReceivedOn: complaints.receivedOn,
  complaintSubject: complaints.subject,
};

export async function getAction(db: Db, orgId: string, id: string) {
  const [row] = await db.select(withNames).from(actions)
    .leftJoin(services, and(eq(services.id, actions.serviceId), eq(services.orgId, orgId)))
    .leftJoin(complaints, and(eq(complaints.id, actions.complaintId), eq(complaints.orgId, orgId)))
    .where(and(eq(actions.orgId, orgId), eq(actions.id, id)));
  return row;
}

/** The whole plan (an organisation's plan holds tens of actions, not thousands). */
export async function listActions(db: Db, orgId: string, limit = 1000) {
  return db.select(withNames).from(actions)
    .leftJoin(services, and(eq(services.id, actions.serviceId), eq(services.orgId, orgId)))
    .leftJoin(complaints, and(eq(complaints.id, actions.complaintId), eq(complaints.orgId, orgId)))
    .where(eq(actions.orgId, orgId)).orderBy(asc(actions.dueOn), asc(actions.createdAt)).limit(limit);
}

/** Records a review: the review row and a copy of every action's state at that moment. */
export async function insertReview(db: Db, orgId: string, v: { reviewedOn: string; note: string }, createdBy: string | null) {
  return db.transaction(async (tx) => {
    const [review] = await tx.insert(actionReviews).values({ orgId, ...v, createdBy }).returning();
    await tx.execute(sql`
      insert into action_review_rows (org_id, review_id, action_id, title, origin, service_name, due_on, status, comment, done_on)
      select a.org_id, ${review.id}, a.id, a.title, a.origin, s.name, a.due_on, a.status, a.comment, a.done_on
      from actions a left join services s on s.id = a.service_id and s.org_id = a.org_id
      where a.org_id = ${orgId}`);
    return review;
  });
}

export async function listReviews(db: Db, orgId: string) {
  return db.select({
    id: actionReviews.id, reviewedOn: actionReviews.reviewedOn, note: actionReviews.note,
    actions: sql<number>`(select count(*)::int from action_review_rows r where r.org_id = ${orgId} and r.review_id = action_reviews.id)`,
  }).from(actionReviews).where(eq(actionReviews.orgId, orgId)).orderBy(desc(actionReviews.reviewedOn), desc(actionReviews.createdAt));
}

export async function getReview(db: Db, orgId: string, id: string) {
  const [review] = await db.select().from(actionReviews).where(and(eq(actionReviews.orgId, orgId), eq(actionReviews.id, id)));
  if (!review) return undefined;
  const rows = await db.select().from(actionReviewRows)
    .where(and(eq(actionReviewRows.orgId, orgId), eq(actionReviewRows.reviewId, id))).orderBy(asc(actionReviewRows.id));
  return { review, rows };
}
