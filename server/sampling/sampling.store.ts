/**
 * Storage of real-mail sampling: one run per (mailbox, month) and its sampled messages (keyed
 * hash of the Message-ID, dates, verdict). Every function takes the organisation id first and
 * filters on it.
 */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { mailSamplingRuns, mysteryMailboxes, sampledMails } from '../storage/schema';

export type RunRow = typeof mailSamplingRuns.$inferSelect;
export type SampledInsert = Omit<typeof sampledMails.$inferInsert, 'id' | 'orgId' | 'runId'>;

/**
 * Replaces the run of (mailbox, month) and its messages in one transaction: a new run of the
 * same month forgets the previous one (the mailbox is the source, read again).
 */
export async function replaceRun(
  db: Db, orgId: string, v: { mailboxId: string; month: string; rule: string; sampled: number; excluded: number; failed: number; ranBy: string | null; ranAt: Date },
  messages: SampledInsert[],
): Promise<RunRow> {
  return db.transaction(async (tx) => {
    await tx.delete(mailSamplingRuns).where(and(eq(mailSamplingRuns.orgId, orgId), eq(mailSamplingRuns.mailboxId, v.mailboxId), eq(mailSamplingRuns.month, v.month)));
    const [run] = await tx.insert(mailSamplingRuns).values({ ...v, orgId }).returning();
    for (let i = 0; i < messages.length; i += 500) {
      await tx.insert(sampledMails).values(messages.slice(i, i + 500).map((m) => ({ ...m, orgId, runId: run.id })));
    }
    return run;
  });
}

export async function getRun(db: Db, orgId: string, id: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(mailSamplingRuns).where(and(eq(mailSamplingRuns.orgId, orgId), eq(mailSamplingRuns.id, id))).limit(1);
  return row;
}

export async function sampledOfRun(db: Db, orgId: string, runId: string) {
  return db.select().from(sampledMails).where(and(eq(sampledMails.orgId, orgId), eq(sampledMails.runId, runId))).orderBy(asc(sampledMails.receivedAt));
}

/** Per run of months `from`..`to` (first days): the mailbox's name, the rule and the counts. */
export async function monthlyTotals(db: Db, orgId: string, from: string, to: string) {
  return db.select({
    month: mailSamplingRuns.month, mailboxId: mailSamplingRuns.mailboxId, mailbox: mysteryMailboxes.displayName, rule: mailSamplingRuns.rule,
    within: sql<number>`count(${sampledMails.id}) filter (where ${sampledMails.withinDeadline})::int`,
    total: sql<number>`count(${sampledMails.id})::int`,
  }).from(mailSamplingRuns)
    .innerJoin(mysteryMailboxes, and(eq(mysteryMailboxes.id, mailSamplingRuns.mailboxId), eq(mysteryMailboxes.orgId, orgId)))
    .leftJoin(sampledMails, and(eq(sampledMails.runId, mailSamplingRuns.id), eq(sampledMails.orgId, orgId)))
    .where(and(eq(mailSamplingRuns.orgId, orgId), gte(mailSamplingRuns.month, from), lte(mailSamplingRuns.month, to)))
    .groupBy(mailSamplingRuns.id, mysteryMailboxes.displayName)
    .orderBy(asc(mailSamplingRuns.month), asc(mysteryMailboxes.displayName));
}

/** The latest runs of the organisation, newest month first, with their counts. */
export async function listRuns(db: Db, orgId: string, limit = 24) {
  return db.select({
    id: mailSamplingRuns.id, month: mailSamplingRuns.month, mailbox: mysteryMailboxes.displayName, rule: mailSamplingRuns.rule,
    sampled: mailSamplingRuns.sampled, excluded: mailSamplingRuns.excluded, failed: mailSamplingRuns.failed, ranAt: mailSamplingRuns.ranAt,
    within: sql<number>`(select count(*) from ${sampledMails} s where s.org_id = ${orgId} and s.run_id = ${mailSamplingRuns.id} and s.within_deadline)::int`,
  }).from(mailSamplingRuns)
    .innerJoin(mysteryMailboxes, and(eq(mysteryMailboxes.id, mailSamplingRuns.mailboxId), eq(mysteryMailboxes.orgId, orgId)))
    .where(eq(mailSamplingRuns.orgId, orgId))
    .orderBy(sql`${mailSamplingRuns.month} desc`, asc(mysteryMailboxes.displayName)).limit(limit);
}
