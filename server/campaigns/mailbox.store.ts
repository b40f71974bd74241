/**
 * Mystery mailboxes and their folder cursors. Every function takes the organisation id first
 * and filters on it, except the few named `…ForWorker`, used by jobs that start from an id.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { mailCampaigns, mailboxCursors, mysteryMailboxes } from '../storage/schema';

export type MailboxRow = typeof mysteryMailboxes.$inferSelect;
export type MailboxInsert = Omit<typeof mysteryMailboxes.$inferInsert, 'id' | 'orgId' | 'createdAt'>;

export async function listMailboxes(db: Db, orgId: string): Promise<MailboxRow[]> {
  return db.select().from(mysteryMailboxes).where(eq(mysteryMailboxes.orgId, orgId)).orderBy(asc(mysteryMailboxes.address));
}

export async function getMailbox(db: Db, orgId: string, id: string): Promise<MailboxRow | undefined> {
  const [row] = await db.select().from(mysteryMailboxes).where(and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id))).limit(1);
  return row;
}

export async function getMailboxForWorker(db: Db, id: string): Promise<MailboxRow | undefined> {
  const [row] = await db.select().from(mysteryMailboxes).where(eq(mysteryMailboxes.id, id)).limit(1);
  return row;
}

export async function insertMailbox(db: Db, orgId: string, v: MailboxInsert & { id?: string }): Promise<MailboxRow> {
  const [row] = await db.insert(mysteryMailboxes).values({ ...v, orgId }).returning();
  return row;
}

export async function updateMailbox(db: Db, orgId: string, id: string, v: Partial<MailboxInsert>): Promise<MailboxRow | undefined> {
  const [row] = await db.update(mysteryMailboxes).set(v).where(and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id))).returning();
  return row;
}

export async function deleteMailbox(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.delete(mysteryMailboxes).where(and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id))).returning({ id: mysteryMailboxes.id });
  return r.length > 0;
}

export async function countCampaignsOfMailbox(db: Db, orgId: string, mailboxId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(mailCampaigns).where(and(eq(mailCampaigns.orgId, orgId), eq(mailCampaigns.mailboxId, mailboxId)));
  return Number(row?.n ?? 0);
}

export async function recordCheck(db: Db, orgId: string, id: string, v: { ok: boolean; message: string; at: Date; imapEncrypted?: boolean | null; certificates?: MailboxRow['lastCheckCertificates']; plusAddressing?: boolean | null }) {
  await db.update(mysteryMailboxes).set({
    lastCheckAt: v.at, lastCheckOk: v.ok, lastCheckMessage: v.message, lastCheckImapEncrypted: v.imapEncrypted ?? null,
    lastCheckCertificates: v.certificates?.length ? v.certificates : null, lastCheckPlusAddressing: v.plusAddressing ?? null,
  })
    .where(and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id)));
}

/** Mailboxes with a running campaign: the ones the tracker must watch. */
export async function mailboxesToTrackForWorker(db: Db): Promise<MailboxRow[]> {
  // A mailbox whose reading was stopped after failing too long waits for a successful test.
  return db.select().from(mysteryMailboxes).where(sql`${mysteryMailboxes.syncStoppedAt} is null and exists (select 1 from ${mailCampaigns} c where c.mailbox_id = ${mysteryMailboxes.id} and c.status = 'running')`);
}

// Cursors ---------------------------------------------------------------------------------------

export async function getCursor(db: Db, orgId: string, mailboxId: string, folder: string) {
  const [row] = await db.select().from(mailboxCursors)
    .where(and(eq(mailboxCursors.orgId, orgId), eq(mailboxCursors.mailboxId, mailboxId), eq(mailboxCursors.folder, folder))).limit(1);
  return row ? { uidValidity: row.uidValidity, lastUid: Number(row.lastUid) } : null;
}

export async function saveCursor(db: Db, orgId: string, mailboxId: string, folder: string, c: { uidValidity: string; lastUid: number }, at: Date) {
  await db.insert(mailboxCursors).values({ orgId, mailboxId, folder, uidValidity: c.uidValidity, lastUid: c.lastUid, lastSyncAt: at })
    .onConflictDoUpdate({ target: [mailboxCursors.mailboxId, mailboxCursors.folder], set: { uidValidity: c.uidValidity, lastUid: c.lastUid, lastSyncAt: at } });
}

// Reading outcomes (issue 13) ------------------------------------------------------------------

/**
 * Records the outcome of one reading pass. A success clears the failure streak; a failure
 * counts it, keeps when the streak began, and stops reading (sync_stopped_at) once the streak
 * began before `giveUpBefore`. One statement, so concurrent passes cannot lose a count.
 */
export async function recordSyncOutcome(db: Db, orgId: string, id: string, v: { ok: true; at: Date } | { ok: false; at: Date; message: string; giveUpBefore: Date }) {
  const where = and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id));
  if (v.ok) {
    await db.update(mysteryMailboxes).set({ syncOkAt: v.at, syncFailures: 0, syncFailingSince: null, syncStoppedAt: null }).where(where);
    return;
  }
  await db.update(mysteryMailboxes).set({
    syncErrorAt: v.at, syncErrorMessage: v.message.slice(0, 500),
    syncFailures: sql`${mysteryMailboxes.syncFailures} + 1`,
    syncFailingSince: sql`coalesce(${mysteryMailboxes.syncFailingSince}, ${v.at.toISOString()}::timestamptz)`,
    syncStoppedAt: sql`case when coalesce(${mysteryMailboxes.syncFailingSince}, ${v.at.toISOString()}::timestamptz) <= ${v.giveUpBefore.toISOString()}::timestamptz then coalesce(${mysteryMailboxes.syncStoppedAt}, ${v.at.toISOString()}::timestamptz) else null end`,
  }).where(where);
}

/** Sending failed for a reason of the mailbox's settings (or succeeded again: null). */
export async function recordSendError(db: Db, orgId: string, id: string, v: { at: Date; message: string } | null) {
  await db.update(mysteryMailboxes).set(v ? { sendErrorAt: v.at, sendErrorMessage: v.message.slice(0, 500) } : { sendErrorAt: null, sendErrorMessage: null })
    .where(and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id)));
}

/** A successful connection test resumes a reading that was stopped after failing too long. */
export async function resumeSync(db: Db, orgId: string, id: string) {
  await db.update(mysteryMailboxes).set({ syncStoppedAt: null, syncFailures: 0, syncFailingSince: null })
    .where(and(eq(mysteryMailboxes.orgId, orgId), eq(mysteryMailboxes.id, id)));
}
