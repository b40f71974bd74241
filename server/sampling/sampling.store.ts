/**
 * Storage of real-mail sampling: one run per (mailbox, month) and its sampled messages (keyed
 * hash of the Message-ID, dates, verdict, the referent's review). Every function takes the
 * organisation id first and filters on it. Counts use the reviewed verdict when there is one
 * and leave out the messages the referent excluded.
 */
import { and, asc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { mailSamplingRuns, mysteryMailboxes, sampledMails, users } from '../storage/schema';

export type RunRow = typeof mailSamplingRuns.$inferSelect;
export type SampledInsert = Omit<typeof sampledMails.$inferInsert, 'id' | 'orgId' | 'runId'>;
export type SampledRow = typeof sampledMails.$inferSelect;

/** The verdict that counts: the referent's when reviewed. */
const effectiveWithin = sql`coalesce(${sampledMails.reviewedWithin}, ${sampledMails.withinDeadline})`;
/** A message counts unless the referent excluded it. */
const counted = sql`${sampledMails.reviewDecision} is distinct from 'excluded'`;

const REVIEW_COLUMNS = ['reviewDecision', 'reviewedBy', 'reviewedAt', 'reviewedAnsweredAt', 'reviewedWithin', 'reviewedDelayDays'] as const;
type Review = Pick<SampledRow, (typeof REVIEW_COLUMNS)[number]>;

/**
 * Replaces the run of (mailbox, month) and its messages in one transaction: a new run of the
 * same month forgets the previous one (the mailbox is the source, read again), except the
 * referent's reviews, which follow their message (same key) into the new run.
 */
export async function replaceRun(
  db: Db, orgId: string, v: { mailboxId: string; month: string; rule: string; drawnAt?: Date | null; sampled: number; excluded: number; failed: number; ranBy: string | null; ranAt: Date },
  messages: SampledInsert[],
): Promise<RunRow> {
  return db.transaction(async (tx) => {
    const old = await tx.select({ id: mailSamplingRuns.id }).from(mailSamplingRuns)
      .where(and(eq(mailSamplingRuns.orgId, orgId), eq(mailSamplingRuns.mailboxId, v.mailboxId), eq(mailSamplingRuns.month, v.month)));
    const reviews = new Map<string, Review>();
    if (old.length) {
      const rows = await tx.select().from(sampledMails)
        .where(and(eq(sampledMails.orgId, orgId), inArray(sampledMails.runId, old.map((r) => r.id)), isNotNull(sampledMails.reviewDecision)));
      for (const r of rows) reviews.set(r.messageKey, Object.fromEntries(REVIEW_COLUMNS.map((c) => [c, r[c]])) as Review);
      await tx.delete(mailSamplingRuns).where(and(eq(mailSamplingRuns.orgId, orgId), inArray(mailSamplingRuns.id, old.map((r) => r.id))));
    }
    const [run] = await tx.insert(mailSamplingRuns).values({ ...v, orgId }).returning();
    for (let i = 0; i < messages.length; i += 500) {
      await tx.insert(sampledMails).values(messages.slice(i, i + 500).map((m) => ({ ...m, ...reviews.get(m.messageKey), orgId, runId: run.id })));
    }
    return run;
  });
}

export async function getRun(db: Db, orgId: string, id: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(mailSamplingRuns).where(and(eq(mailSamplingRuns.orgId, orgId), eq(mailSamplingRuns.id, id))).limit(1);
  return row;
}

/** A run with its mailbox's name and who asked for it (the drawer of a random week). */
export async function getRunView(db: Db, orgId: string, id: string) {
  const [row] = await db.select({ run: mailSamplingRuns, mailbox: mysteryMailboxes.displayName, ranByName: users.displayName })
    .from(mailSamplingRuns)
    .innerJoin(mysteryMailboxes, and(eq(mysteryMailboxes.id, mailSamplingRuns.mailboxId), eq(mysteryMailboxes.orgId, orgId)))
    .leftJoin(users, eq(users.id, mailSamplingRuns.ranBy))
    .where(and(eq(mailSamplingRuns.orgId, orgId), eq(mailSamplingRuns.id, id))).limit(1);
  return row;
}

/** The run's messages, oldest first, with their reviewer's name. */
export async function sampledOfRun(db: Db, orgId: string, runId: string) {
  return db.select({ mail: sampledMails, reviewer: users.displayName }).from(sampledMails)
    .leftJoin(users, eq(users.id, sampledMails.reviewedBy))
    .where(and(eq(sampledMails.orgId, orgId), eq(sampledMails.runId, runId))).orderBy(asc(sampledMails.receivedAt), asc(sampledMails.id));
}

/** One message of a run, with its reviewer's name. */
export async function getSampled(db: Db, orgId: string, runId: string, id: string) {
  const [row] = await db.select({ mail: sampledMails, reviewer: users.displayName }).from(sampledMails)
    .leftJoin(users, eq(users.id, sampledMails.reviewedBy))
    .where(and(eq(sampledMails.orgId, orgId), eq(sampledMails.runId, runId), eq(sampledMails.id, id))).limit(1);
  return row;
}

export async function recordReview(db: Db, orgId: string, runId: string, id: string, review: Review): Promise<boolean> {
  const rows = await db.update(sampledMails).set(review)
    .where(and(eq(sampledMails.orgId, orgId), eq(sampledMails.runId, runId), eq(sampledMails.id, id))).returning({ id: sampledMails.id });
  return rows.length > 0;
}

/** Per run of months `from`..`to` (first days): the mailbox's name, the rule and the counts. */
export async function monthlyTotals(db: Db, orgId: string, from: string, to: string) {
  return db.select({
    month: mailSamplingRuns.month, mailboxId: mailSamplingRuns.mailboxId, mailbox: mysteryMailboxes.displayName, rule: mailSamplingRuns.rule,
    drawnAt: mailSamplingRuns.drawnAt, ranByName: users.displayName,
    within: sql<number>`count(${sampledMails.id}) filter (where ${counted} and ${effectiveWithin})::int`,
    total: sql<number>`count(${sampledMails.id}) filter (where ${counted})::int`,
  }).from(mailSamplingRuns)
    .innerJoin(mysteryMailboxes, and(eq(mysteryMailboxes.id, mailSamplingRuns.mailboxId), eq(mysteryMailboxes.orgId, orgId)))
    .leftJoin(users, eq(users.id, mailSamplingRuns.ranBy))
    .leftJoin(sampledMails, and(eq(sampledMails.runId, mailSamplingRuns.id), eq(sampledMails.orgId, orgId)))
    .where(and(eq(mailSamplingRuns.orgId, orgId), gte(mailSamplingRuns.month, from), lte(mailSamplingRuns.month, to)))
    .groupBy(mailSamplingRuns.id, mysteryMailboxes.displayName, users.displayName)
    .orderBy(asc(mailSamplingRuns.month), asc(mysteryMailboxes.displayName));
}

/** The latest runs of the organisation, newest month first, with their counts. */
export async function listRuns(db: Db, orgId: string, limit = 24) {
  return db.select({
    id: mailSamplingRuns.id, month: mailSamplingRuns.month, mailbox: mysteryMailboxes.displayName, rule: mailSamplingRuns.rule,
    sampled: mailSamplingRuns.sampled, excluded: mailSamplingRuns.excluded, failed: mailSamplingRuns.failed, ranAt: mailSamplingRuns.ranAt,
    drawnAt: mailSamplingRuns.drawnAt,
    // Raw SQL inside a subquery: the corrected verdict and the exclusion, as effectiveWithin/counted say.
    within: sql<number>`(select count(*) from ${sampledMails} s where s.org_id = ${orgId} and s.run_id = ${mailSamplingRuns.id} and s.review_decision is distinct from 'excluded' and coalesce(s.reviewed_within, s.within_deadline))::int`,
    counted: sql<number>`(select count(*) from ${sampledMails} s where s.org_id = ${orgId} and s.run_id = ${mailSamplingRuns.id} and s.review_decision is distinct from 'excluded')::int`,
    doubtful: sql<number>`(select count(*) from ${sampledMails} s where s.org_id = ${orgId} and s.run_id = ${mailSamplingRuns.id} and s.review_decision is null and (s.method is null or s.method = 'subject'))::int`,
  }).from(mailSamplingRuns)
    .innerJoin(mysteryMailboxes, and(eq(mysteryMailboxes.id, mailSamplingRuns.mailboxId), eq(mysteryMailboxes.orgId, orgId)))
    .where(eq(mailSamplingRuns.orgId, orgId))
    .orderBy(sql`${mailSamplingRuns.month} desc`, asc(mysteryMailboxes.displayName)).limit(limit);
}
