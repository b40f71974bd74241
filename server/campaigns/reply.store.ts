/**
 * Replies read from mystery mailboxes, their raw sources and the referent's corrections.
 * Every function takes the organisation id first and filters on it. A reply is recorded once:
 * (mailbox, dedupe key) is unique and inserts ignore a conflict.
 */
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { mailCorrections, mailRawMessages, mailReplies } from '../storage/schema';

export type ReplyRow = typeof mailReplies.$inferSelect;
export type ReplyInsert = Omit<typeof mailReplies.$inferInsert, 'id' | 'orgId' | 'createdAt'>;
export type CorrectionRow = typeof mailCorrections.$inferSelect;

const RAW_BYTES_PER_STATEMENT = 16 * 1024 * 1024;

/**
 * Inserts replies and their raw sources in one transaction; messages already recorded (same
 * mailbox and dedupe key) are skipped. Returns the rows inserted.
 */
export async function insertReplies(db: Db, orgId: string, items: { reply: ReplyInsert; raw: { raw: Buffer; size: number; truncated: boolean } }[]): Promise<ReplyRow[]> {
  // A batch may hold the same message twice (a copy): keep the first.
  const seen = new Set<string>();
  const unique = items.filter((i) => !seen.has(i.reply.dedupeKey) && seen.add(i.reply.dedupeKey));
  if (!unique.length) return [];
  return db.transaction(async (tx) => {
    const rows = await tx.insert(mailReplies).values(unique.map((i) => ({ ...i.reply, orgId }))).onConflictDoNothing().returning();
    const rawOf = new Map(unique.map((i) => [i.reply.dedupeKey, i.raw]));
    let chunk: (typeof mailRawMessages.$inferInsert)[] = [];
    let bytes = 0;
    for (const r of rows) {
      const raw = rawOf.get(r.dedupeKey)!;
      if (chunk.length && bytes + raw.raw.length > RAW_BYTES_PER_STATEMENT) {
        await tx.insert(mailRawMessages).values(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push({ replyId: r.id, orgId, ...raw });
      bytes += raw.raw.length;
    }
    if (chunk.length) await tx.insert(mailRawMessages).values(chunk);
    return rows;
  });
}

/** Inserts one reply and its raw source; null when the message was already recorded. */
export async function insertReply(db: Db, orgId: string, v: ReplyInsert, raw: { raw: Buffer; size: number; truncated: boolean }): Promise<ReplyRow | null> {
  const [row] = await insertReplies(db, orgId, [{ reply: v, raw }]);
  return row ?? null;
}

/** Replies of a campaign without their texts (for figures and lists). */
export async function listCampaignReplies(db: Db, orgId: string, campaignId: string) {
  return db.select({
    id: mailReplies.id, probeId: mailReplies.probeId, replyClass: mailReplies.replyClass, detectedClass: mailReplies.detectedClass,
    receivedAt: mailReplies.receivedAt, signature: mailReplies.signature, anonymityJustified: mailReplies.anonymityJustified,
    bounceKind: mailReplies.bounceKind, bounceDiagnostic: mailReplies.bounceDiagnostic, fromAddress: mailReplies.fromAddress,
    subject: mailReplies.subject, matchMethod: mailReplies.matchMethod,
  }).from(mailReplies).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.campaignId, campaignId))).orderBy(asc(mailReplies.receivedAt));
}

/** A campaign's replies with what the outcome rules read (class, time, signature items): no sender, subject or text. */
export async function listReplyFacts(db: Db, orgId: string, campaignId: string) {
  return db.select({
    id: mailReplies.id, probeId: mailReplies.probeId, replyClass: mailReplies.replyClass, receivedAt: mailReplies.receivedAt,
    signature: mailReplies.signature, anonymityJustified: mailReplies.anonymityJustified, bounceKind: mailReplies.bounceKind,
  }).from(mailReplies).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.campaignId, campaignId))).orderBy(asc(mailReplies.receivedAt));
}

export async function listProbeReplies(db: Db, orgId: string, probeId: string): Promise<ReplyRow[]> {
  return db.select().from(mailReplies).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.probeId, probeId))).orderBy(asc(mailReplies.receivedAt));
}

/** Replies of a mailbox matched to no probe (the referent may attach them by hand). */
export async function listUnmatchedReplies(db: Db, orgId: string, mailboxId: string, since: Date, limit = 200) {
  return db.select({
    id: mailReplies.id, receivedAt: mailReplies.receivedAt, fromAddress: mailReplies.fromAddress, subject: mailReplies.subject,
    replyClass: mailReplies.replyClass,
  }).from(mailReplies)
    .where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.mailboxId, mailboxId), isNull(mailReplies.probeId), sql`${mailReplies.receivedAt} >= ${since.toISOString()}::timestamptz`))
    .orderBy(desc(mailReplies.receivedAt)).limit(limit);
}

export async function getReply(db: Db, orgId: string, id: string): Promise<ReplyRow | undefined> {
  const [row] = await db.select().from(mailReplies).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.id, id))).limit(1);
  return row;
}

export async function countReplies(db: Db, orgId: string, mailboxId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(mailReplies).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.mailboxId, mailboxId)));
  return Number(row?.n ?? 0);
}

/** Applies a correction to the reply and keeps it (who, when, before, after) in one transaction. */
export async function correctReply(
  db: Db, orgId: string, replyId: string,
  change: { field: string; before: unknown; after: unknown; set: Partial<ReplyInsert> },
  who: { userId: string | null; userName: string }, at: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.update(mailReplies).set(change.set).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.id, replyId))).returning({ id: mailReplies.id });
    if (!r.length) return false;
    await tx.insert(mailCorrections).values({
      orgId, replyId, field: change.field, before: change.before ?? null, after: change.after ?? null, userId: who.userId, userName: who.userName, createdAt: at,
    });
    return true;
  });
}

export async function listCorrections(db: Db, orgId: string, replyIds: string[]): Promise<CorrectionRow[]> {
  if (!replyIds.length) return [];
  return db.select().from(mailCorrections).where(and(eq(mailCorrections.orgId, orgId), inArray(mailCorrections.replyId, replyIds))).orderBy(asc(mailCorrections.createdAt), asc(mailCorrections.id));
}

export async function getRaw(db: Db, orgId: string, replyId: string) {
  const [row] = await db.select().from(mailRawMessages).where(and(eq(mailRawMessages.orgId, orgId), eq(mailRawMessages.replyId, replyId))).limit(1);
  return row;
}

/** Deletes raw sources and texts of a campaign's replies (retention period over). */
export async function purgeCampaignReplies(db: Db, orgId: string, campaignId: string, at: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = (await tx.select({ id: mailReplies.id }).from(mailReplies).where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.campaignId, campaignId)))).map((r) => r.id);
    if (!ids.length) return 0;
    await tx.delete(mailRawMessages).where(and(eq(mailRawMessages.orgId, orgId), inArray(mailRawMessages.replyId, ids)));
    await tx.update(mailReplies).set({ text: null, fullText: null, purgedAt: at }).where(and(eq(mailReplies.orgId, orgId), inArray(mailReplies.id, ids)));
    return ids.length;
  });
}

/** Replies linked to no campaign are kept for the default retention period, from their receipt. */
export async function purgeUnlinkedRepliesForWorker(db: Db, before: Date, at: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = (await tx.select({ id: mailReplies.id }).from(mailReplies)
      .where(and(isNull(mailReplies.campaignId), isNull(mailReplies.purgedAt), lt(mailReplies.receivedAt, before)))).map((r) => r.id);
    if (!ids.length) return 0;
    await tx.delete(mailRawMessages).where(inArray(mailRawMessages.replyId, ids));
    await tx.update(mailReplies).set({ text: null, fullText: null, subject: null, purgedAt: at }).where(inArray(mailReplies.id, ids));
    return ids.length;
  });
}

/** Rewrites what was detected for a reply nobody has corrected yet (re-matching). */
export async function updateDetection(db: Db, orgId: string, replyId: string, v: Partial<ReplyInsert>): Promise<boolean> {
  const r = await db.update(mailReplies).set(v)
    .where(and(eq(mailReplies.orgId, orgId), eq(mailReplies.id, replyId),
      sql`not exists (select 1 from ${mailCorrections} c where c.reply_id = ${mailReplies.id})`))
    .returning({ id: mailReplies.id });
  return r.length > 0;
}
