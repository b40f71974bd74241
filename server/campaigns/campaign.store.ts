/**
 * Campaigns, their question bank, their targets and their probes. Every function takes the
 * organisation id first and filters on it, except those named `…ForWorker` (jobs start from an
 * id and then continue with the organisation id they read).
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { mailCampaignQuestions, mailCampaignTargets, mailCampaigns, mailProbes, type CampaignStatus } from '../storage/schema';

export type CampaignRow = typeof mailCampaigns.$inferSelect;
export type CampaignInsert = Omit<typeof mailCampaigns.$inferInsert, 'id' | 'orgId' | 'createdAt'>;
export type QuestionRow = typeof mailCampaignQuestions.$inferSelect;
export type TargetRow = typeof mailCampaignTargets.$inferSelect;
export type ProbeRow = typeof mailProbes.$inferSelect;
export type ProbeInsert = Omit<typeof mailProbes.$inferInsert, 'id' | 'orgId' | 'createdAt'>;

export async function listCampaigns(db: Db, orgId: string): Promise<CampaignRow[]> {
  return db.select().from(mailCampaigns).where(eq(mailCampaigns.orgId, orgId)).orderBy(desc(mailCampaigns.periodStart), asc(mailCampaigns.name));
}

export async function getCampaign(db: Db, orgId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(mailCampaigns).where(and(eq(mailCampaigns.orgId, orgId), eq(mailCampaigns.id, id))).limit(1);
  return row;
}

export async function getCampaignForWorker(db: Db, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(mailCampaigns).where(eq(mailCampaigns.id, id)).limit(1);
  return row;
}

export async function insertCampaign(db: Db, orgId: string, v: CampaignInsert, targets: { serviceId: string | null; serviceName: string; address: string }[]) {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(mailCampaigns).values({ ...v, orgId }).returning();
    if (targets.length) await tx.insert(mailCampaignTargets).values(targets.map((t) => ({ ...t, orgId, campaignId: row.id })));
    return row;
  });
}

export async function updateCampaign(db: Db, orgId: string, id: string, v: Partial<CampaignInsert>): Promise<CampaignRow | undefined> {
  const [row] = await db.update(mailCampaigns).set(v).where(and(eq(mailCampaigns.orgId, orgId), eq(mailCampaigns.id, id))).returning();
  return row;
}

/** Changes the status only from the expected one (two clicks on « lancer » launch once). */
export async function transitionCampaign(db: Db, orgId: string, id: string, from: CampaignStatus, v: Partial<CampaignInsert> & { status: CampaignStatus }) {
  const [row] = await db.update(mailCampaigns).set(v)
    .where(and(eq(mailCampaigns.orgId, orgId), eq(mailCampaigns.id, id), eq(mailCampaigns.status, from))).returning();
  return row;
}

export async function deleteCampaign(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.delete(mailCampaigns).where(and(eq(mailCampaigns.orgId, orgId), eq(mailCampaigns.id, id))).returning({ id: mailCampaigns.id });
  return r.length > 0;
}

export async function runningCampaignsOfMailbox(db: Db, orgId: string, mailboxId: string): Promise<CampaignRow[]> {
  return db.select().from(mailCampaigns)
    .where(and(eq(mailCampaigns.orgId, orgId), eq(mailCampaigns.mailboxId, mailboxId), eq(mailCampaigns.status, 'running')));
}

/** Campaigns whose raw messages are due for deletion. */
export async function campaignsToPurgeForWorker(db: Db, now: Date): Promise<CampaignRow[]> {
  return db.select().from(mailCampaigns).where(sql`${mailCampaigns.purgedAt} is null and ${mailCampaigns.status} <> 'draft'
    and (${mailCampaigns.periodEnd}::timestamptz + make_interval(days => ${mailCampaigns.retentionDays} + 1)) <= ${now.toISOString()}::timestamptz`);
}

// Questions -------------------------------------------------------------------------------------

export async function listQuestions(db: Db, orgId: string, campaignId: string): Promise<QuestionRow[]> {
  return db.select().from(mailCampaignQuestions)
    .where(and(eq(mailCampaignQuestions.orgId, orgId), eq(mailCampaignQuestions.campaignId, campaignId)))
    .orderBy(asc(mailCampaignQuestions.createdAt), asc(mailCampaignQuestions.id));
}

export async function insertQuestions(db: Db, orgId: string, campaignId: string, list: { category: string; subject: string; body: string }[]) {
  if (!list.length) return;
  // One statement gives every row the same now(): a microsecond apart, the bank keeps the
  // list's order (the plan assigns questions by position, so its order must not vary).
  await db.insert(mailCampaignQuestions).values(list.map((q, i) => ({ ...q, orgId, campaignId, createdAt: sql`now() + ${i} * interval '1 microsecond'` })));
}

export async function getQuestion(db: Db, orgId: string, campaignId: string, id: string): Promise<QuestionRow | undefined> {
  const [row] = await db.select().from(mailCampaignQuestions)
    .where(and(eq(mailCampaignQuestions.orgId, orgId), eq(mailCampaignQuestions.campaignId, campaignId), eq(mailCampaignQuestions.id, id))).limit(1);
  return row;
}

/** Changes a question's words in place: its position in the bank (createdAt) is kept. */
export async function updateQuestion(db: Db, orgId: string, campaignId: string, id: string, v: { category: string; subject: string; body: string }): Promise<boolean> {
  const r = await db.update(mailCampaignQuestions).set(v)
    .where(and(eq(mailCampaignQuestions.orgId, orgId), eq(mailCampaignQuestions.campaignId, campaignId), eq(mailCampaignQuestions.id, id)))
    .returning({ id: mailCampaignQuestions.id });
  return r.length > 0;
}

export async function deleteQuestion(db: Db, orgId: string, campaignId: string, id: string): Promise<boolean> {
  const r = await db.delete(mailCampaignQuestions)
    .where(and(eq(mailCampaignQuestions.orgId, orgId), eq(mailCampaignQuestions.campaignId, campaignId), eq(mailCampaignQuestions.id, id)))
    .returning({ id: mailCampaignQuestions.id });
  return r.length > 0;
}

// Targets ---------------------------------------------------------------------------------------

export async function listTargets(db: Db, orgId: string, campaignId: string): Promise<TargetRow[]> {
  return db.select().from(mailCampaignTargets)
    .where(and(eq(mailCampaignTargets.orgId, orgId), eq(mailCampaignTargets.campaignId, campaignId)))
    .orderBy(asc(mailCampaignTargets.serviceName), asc(mailCampaignTargets.address));
}

/** Targets of every campaign of a mailbox. */
export async function targetsOfMailbox(db: Db, orgId: string, mailboxId: string): Promise<TargetRow[]> {
  return db.select({ id: mailCampaignTargets.id, orgId: mailCampaignTargets.orgId, campaignId: mailCampaignTargets.campaignId, serviceId: mailCampaignTargets.serviceId, serviceName: mailCampaignTargets.serviceName, address: mailCampaignTargets.address })
    .from(mailCampaignTargets).innerJoin(mailCampaigns, eq(mailCampaigns.id, mailCampaignTargets.campaignId))
    .where(and(eq(mailCampaignTargets.orgId, orgId), eq(mailCampaigns.mailboxId, mailboxId)));
}

// Probes ----------------------------------------------------------------------------------------

export async function insertProbes(db: Db, orgId: string, list: ProbeInsert[]): Promise<ProbeRow[]> {
  if (!list.length) return [];
  return db.insert(mailProbes).values(list.map((p) => ({ ...p, orgId }))).onConflictDoNothing().returning();
}

/** Clears the sent messages' bytes once the campaign's retention period is over (issue 14). */
export async function clearSentRaw(db: Db, orgId: string, campaignId: string) {
  await db.update(mailProbes).set({ sentRaw: null }).where(and(eq(mailProbes.orgId, orgId), eq(mailProbes.campaignId, campaignId)));
}

export async function listProbes(db: Db, orgId: string, campaignId: string): Promise<ProbeRow[]> {
  return db.select().from(mailProbes).where(and(eq(mailProbes.orgId, orgId), eq(mailProbes.campaignId, campaignId)))
    .orderBy(asc(sql`coalesce(${mailProbes.sentAt}, ${mailProbes.plannedAt})`), asc(mailProbes.id));
}

/** The probes of a campaign with what the outcome rules read (no subject, body or raw message). */
export async function listProbeFacts(db: Db, orgId: string, campaignId: string) {
  return db.select({ id: mailProbes.id, targetId: mailProbes.targetId, toAddress: mailProbes.toAddress, state: mailProbes.state, sentAt: mailProbes.sentAt })
    .from(mailProbes).where(and(eq(mailProbes.orgId, orgId), eq(mailProbes.campaignId, campaignId)))
    .orderBy(asc(sql`coalesce(${mailProbes.sentAt}, ${mailProbes.plannedAt})`), asc(mailProbes.id));
}

export async function getProbe(db: Db, orgId: string, campaignId: string, id: string): Promise<ProbeRow | undefined> {
  const [row] = await db.select().from(mailProbes)
    .where(and(eq(mailProbes.orgId, orgId), eq(mailProbes.campaignId, campaignId), eq(mailProbes.id, id))).limit(1);
  return row;
}

export async function getProbeForWorker(db: Db, id: string): Promise<ProbeRow | undefined> {
  const [row] = await db.select().from(mailProbes).where(eq(mailProbes.id, id)).limit(1);
  return row;
}

/** Sent probes of every campaign of a mailbox, the candidates a reply may answer. */
export async function sentProbesOfMailbox(db: Db, orgId: string, mailboxId: string) {
  return db.select({
    id: mailProbes.id, campaignId: mailProbes.campaignId, messageId: mailProbes.messageId, token: mailProbes.token,
    subject: mailProbes.subject, toAddress: mailProbes.toAddress, targetId: mailProbes.targetId,
    // A probe being sent may already be answered (an automatic acknowledgement is quick).
    sentAt: sql<Date>`coalesce(${mailProbes.sentAt}, ${mailProbes.plannedAt}, ${mailProbes.createdAt})`.mapWith(mailProbes.sentAt),
  }).from(mailProbes)
    .innerJoin(mailCampaigns, eq(mailCampaigns.id, mailProbes.campaignId))
    .where(and(eq(mailProbes.orgId, orgId), eq(mailCampaigns.mailboxId, mailboxId), inArray(mailProbes.state, ['sent', 'sending'])));
}

/** Moves a probe from one state to another only if it is still in the expected state. */
export async function transitionProbe(db: Db, orgId: string, id: string, from: ProbeRow['state'][], v: Partial<ProbeInsert>): Promise<ProbeRow | undefined> {
  const [row] = await db.update(mailProbes).set(v)
    .where(and(eq(mailProbes.orgId, orgId), eq(mailProbes.id, id), inArray(mailProbes.state, from))).returning();
  return row;
}

export async function cancelPlannedProbes(db: Db, orgId: string, campaignId: string) {
  await db.update(mailProbes).set({ state: 'cancelled' })
    .where(and(eq(mailProbes.orgId, orgId), eq(mailProbes.campaignId, campaignId), eq(mailProbes.state, 'planned')));
}
