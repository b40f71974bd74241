/**
 * Storage of committee meetings, their PDF attachments and their suggestions. Every
 * function takes the organisation id first and puts it in every WHERE. Attachment bytes are
 * read only when the dossier is assembled.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { committeeAttachments, committeeMeetings, committeeSuggestions, type MeetingKind, type ParticipantCategory } from '../storage/schema';

export type MeetingRow = typeof committeeMeetings.$inferSelect;

export interface MeetingInput {
  heldOn: string;
  kind: MeetingKind;
  participants: { category: ParticipantCategory; name: string }[];
  agenda: string[];
  periodStart: string;
  periodEnd: string;
  reportId: string | null;
}

export async function insertMeeting(db: Db, orgId: string, v: MeetingInput, createdBy: string | null): Promise<MeetingRow> {
  const [row] = await db.insert(committeeMeetings).values({ ...v, orgId, createdBy }).returning();
  return row;
}

export async function updateMeeting(db: Db, orgId: string, id: string, v: MeetingInput): Promise<MeetingRow | undefined> {
  const [row] = await db.update(committeeMeetings).set(v).where(and(eq(committeeMeetings.orgId, orgId), eq(committeeMeetings.id, id))).returning();
  return row;
}

export async function getMeeting(db: Db, orgId: string, id: string): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(committeeMeetings).where(and(eq(committeeMeetings.orgId, orgId), eq(committeeMeetings.id, id)));
  return row;
}

export async function listMeetings(db: Db, orgId: string): Promise<MeetingRow[]> {
  return db.select().from(committeeMeetings).where(eq(committeeMeetings.orgId, orgId)).orderBy(desc(committeeMeetings.heldOn), desc(committeeMeetings.createdAt)).limit(200);
}

const attachmentInfo = {
  id: committeeAttachments.id, title: committeeAttachments.title, filename: committeeAttachments.filename,
  bytes: committeeAttachments.bytes, pages: committeeAttachments.pages,
};

export async function listAttachments(db: Db, orgId: string, meetingId: string) {
  return db.select(attachmentInfo).from(committeeAttachments)
    .where(and(eq(committeeAttachments.orgId, orgId), eq(committeeAttachments.meetingId, meetingId))).orderBy(asc(committeeAttachments.createdAt));
}

export async function attachmentFiles(db: Db, orgId: string, meetingId: string) {
  return db.select({ ...attachmentInfo, data: committeeAttachments.data }).from(committeeAttachments)
    .where(and(eq(committeeAttachments.orgId, orgId), eq(committeeAttachments.meetingId, meetingId))).orderBy(asc(committeeAttachments.createdAt));
}

export async function insertAttachment(db: Db, orgId: string, meetingId: string, v: { title: string; filename: string; bytes: number; pages: number; data: Buffer }) {
  const [row] = await db.insert(committeeAttachments).values({ ...v, orgId, meetingId }).returning(attachmentInfo);
  return row;
}

export async function deleteAttachment(db: Db, orgId: string, meetingId: string, id: string): Promise<boolean> {
  const rows = await db.delete(committeeAttachments)
    .where(and(eq(committeeAttachments.orgId, orgId), eq(committeeAttachments.meetingId, meetingId), eq(committeeAttachments.id, id))).returning({ id: committeeAttachments.id });
  return rows.length > 0;
}

export async function countAttachments(db: Db, orgId: string, meetingId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(committeeAttachments)
    .where(and(eq(committeeAttachments.orgId, orgId), eq(committeeAttachments.meetingId, meetingId)));
  return Number(r?.n ?? 0);
}

export async function listSuggestions(db: Db, orgId: string, meetingId: string) {
  return db.select().from(committeeSuggestions)
    .where(and(eq(committeeSuggestions.orgId, orgId), eq(committeeSuggestions.meetingId, meetingId))).orderBy(asc(committeeSuggestions.createdAt));
}

export async function insertSuggestion(db: Db, orgId: string, meetingId: string, text: string) {
  const [row] = await db.insert(committeeSuggestions).values({ orgId, meetingId, text }).returning();
  return row;
}

export async function getSuggestion(db: Db, orgId: string, meetingId: string, id: string) {
  const [row] = await db.select().from(committeeSuggestions)
    .where(and(eq(committeeSuggestions.orgId, orgId), eq(committeeSuggestions.meetingId, meetingId), eq(committeeSuggestions.id, id)));
  return row;
}

/** Links a suggestion to its action, only if it has none yet (a double click makes one action). */
export async function linkSuggestion(db: Db, orgId: string, id: string, actionId: string): Promise<boolean> {
  const rows = await db.update(committeeSuggestions).set({ actionId })
    .where(and(eq(committeeSuggestions.orgId, orgId), eq(committeeSuggestions.id, id), sql`${committeeSuggestions.actionId} is null`)).returning({ id: committeeSuggestions.id });
  return rows.length > 0;
}
