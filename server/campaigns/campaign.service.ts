/**
 * Campaign use cases: create (targets from the organisation's services and their addresses),
 * question bank, launch (send mode: plan and schedule the probes; analyse mode: read the
 * mailbox), close, and the figures (outcomes → metrics), recomputed from the stored replies
 * and corrections each time they are read.
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import { enqueue } from '../jobs/runner';
import * as orgStore from '../org/org.store';
import type { HolidayZone } from './calendar/holidays';
import type { WorkingDayOptions } from './calendar/working-days';
import type { ReplyClass } from './classification/reply-classifier';
import type { SignatureItemKey } from './classification/signature';
import { DEFAULT_QUESTIONS, type CampaignInput } from './campaign.schemas';
import * as store from './campaign.store';
import type { CampaignRow } from './campaign.store';
import * as mailboxStore from './mailbox.store';
import { testMailbox } from './mailbox.service';
import { campaignMetrics, type CampaignMetrics } from './metrics';
import { probeOutcome, type ProbeOutcome } from './outcomes';
import { PlanningError, newToken, planProbes, questionsFor, renderTemplate } from './planning';
import * as replyStore from './reply.store';
import { composeMessage, newMessageId } from './sending/mailer';
import { replyToOf } from './sending/send-probe';
import { SEND_PROBE_JOB } from './sending/send-probe.job';
import { ANALYSE_JOB } from './tracking/sync-mailboxes.job';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'> & Partial<Pick<Deps, 'encryptionKey'>>;

export async function requireCampaign(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const row = await store.getCampaign(ctx.db, orgId, id);
  if (!row) throw notFound('Campagne');
  return row;
}

export function calendarOf(c: Pick<store.CampaignRow, 'holidayZone' | 'whitMondayWorked'>): WorkingDayOptions {
  return { zone: c.holidayZone as HolidayZone, whitMondayWorked: c.whitMondayWorked };
}

export async function createCampaign(ctx: Ctx, orgId: string, userId: string | null, v: CampaignInput) {
  const errors: Record<string, string> = {};
  if (!(await mailboxStore.getMailbox(ctx.db, orgId, v.mailboxId))) errors.mailboxId = 'Choisissez une boîte mystère.';
  const services = new Map((await orgStore.listServices(ctx.db, orgId)).map((s) => [s.id, s]));
  const targets: { serviceId: string; serviceName: string; address: string }[] = [];
  for (const t of v.targets) {
    const [serviceId, address] = t.split('|');
    const s = services.get(serviceId.toLowerCase());
    const email = s?.emails.find((e) => e.toLowerCase() === address.toLowerCase());
    if (!s || !email) {
      errors.targets = 'Un des services choisis est introuvable.';
      continue;
    }
    if (!targets.some((x) => x.address.toLowerCase() === email.toLowerCase())) targets.push({ serviceId: s.id, serviceName: s.name, address: email.toLowerCase() });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const row = await store.insertCampaign(ctx.db, orgId, {
    mailboxId: v.mailboxId, name: v.name, mode: v.mode, periodStart: v.periodStart, periodEnd: v.periodEnd,
    probesPerService: v.probesPerService, windowStart: v.windowStart, windowEnd: v.windowEnd,
    seed: v.seed ?? crypto.randomBytes(6).toString('hex'), signatureChecklist: v.signatureChecklist,
    deadlineDays: v.deadlineDays, holidayZone: v.holidayZone, whitMondayWorked: v.whitMondayWorked,
    retentionDays: v.retentionDays, variables: v.variables, createdBy: userId,
  }, targets);
  if (v.defaultQuestions) await store.insertQuestions(ctx.db, orgId, row.id, DEFAULT_QUESTIONS);
  return row;
}

export async function addQuestion(ctx: Ctx, orgId: string, campaignId: string, q: { category: string; subject: string; body: string }) {
  const c = await requireCampaign(ctx, orgId, campaignId);
  if (c.status !== 'draft') throw new ValidationError({ _: 'La campagne est lancée : sa banque de questions ne change plus.' });
  await store.insertQuestions(ctx.db, orgId, campaignId, [q]);
}

export async function requireQuestion(ctx: Ctx, orgId: string, campaignId: string, questionId: string) {
  await requireCampaign(ctx, orgId, campaignId);
  const q = await store.getQuestion(ctx.db, orgId, campaignId, questionId);
  if (!q) throw notFound('Question');
  return q;
}

export async function editQuestion(ctx: Ctx, orgId: string, campaignId: string, questionId: string, q: { category: string; subject: string; body: string }) {
  const c = await requireCampaign(ctx, orgId, campaignId);
  if (c.status !== 'draft') throw new ValidationError({ _: 'La campagne est lancée : sa banque de questions ne change plus.' });
  if (!(await store.updateQuestion(ctx.db, orgId, campaignId, questionId, q))) throw notFound('Question');
}

export async function removeQuestion(ctx: Ctx, orgId: string, campaignId: string, questionId: string) {
  const c = await requireCampaign(ctx, orgId, campaignId);
  if (c.status !== 'draft') throw new ValidationError({ _: 'La campagne est lancée : sa banque de questions ne change plus.' });
  if (!(await store.deleteQuestion(ctx.db, orgId, campaignId, questionId))) throw notFound('Question');
}

export async function deleteDraft(ctx: Ctx, orgId: string, id: string) {
  const c = await requireCampaign(ctx, orgId, id);
  if (c.status !== 'draft') throw new ValidationError({ _: 'Seule une campagne en préparation peut être supprimée.' });
  await store.deleteCampaign(ctx.db, orgId, id);
}

/**
 * A campaign on a mailbox that cannot be read measures nothing: launching runs « tester la
 * connexion » first (IMAP for both modes, SMTP too when Qualimètre sends) and refuses with
 * the reason.
 */
async function requireWorkingMailbox(ctx: Ctx, orgId: string, c: store.CampaignRow) {
  const test = await testMailbox(ctx, orgId, c.mailboxId);
  const failed = [...(c.mode === 'send' ? [test.smtp] : []), test.imap].filter((x) => !x.ok);
  if (failed.length) {
    throw new ValidationError({ _: `La campagne n’est pas lancée : le test de la boîte mystère a échoué. ${failed.map((x) => x.message).join(' ')} Corrigez les réglages de la boîte, puis lancez de nouveau.` });
  }
}

/** Launch: send mode plans every probe now and schedules its sending job. */
export async function launchCampaign(ctx: Ctx, orgId: string, id: string) {
  const c = await requireCampaign(ctx, orgId, id);
  if (c.status !== 'draft') throw new ValidationError({ _: 'La campagne est déjà lancée.' });
  const targets = await store.listTargets(ctx.db, orgId, id);
  if (!targets.length) throw new ValidationError({ _: 'La campagne n’a aucun service cible.' });
  await requireWorkingMailbox(ctx, orgId, c);
  const now = ctx.clock.now();
  if (c.mode === 'analyse') {
    if (!(await store.transitionCampaign(ctx.db, orgId, id, 'draft', { status: 'running', launchedAt: now }))) throw new ValidationError({ _: 'La campagne est déjà lancée.' });
    await enqueue(ctx, ANALYSE_JOB, { campaignId: id }, { dedupeKey: `analyse:${id}` });
    return { probes: 0 };
  }
  const { rows: planned } = await composeProbes(ctx, orgId, c, now);
  if (!(await store.transitionCampaign(ctx.db, orgId, id, 'draft', { status: 'running', launchedAt: now }))) throw new ValidationError({ _: 'La campagne est déjà lancée.' });
  const rows = await store.insertProbes(ctx.db, orgId, planned);
  for (const p of rows) await enqueue(ctx, SEND_PROBE_JOB, { probeId: p.id }, { runAt: p.plannedAt!, dedupeKey: `probe:${p.id}`, maxAttempts: 8 });
  return { probes: rows.length };
}

/** The values every question may use, besides the campaign's variables. */
function ownValues(displayName: string, token: string) {
  const [firstName, ...rest] = displayName.trim().split(/\s+/);
  return { prenom: firstName, nom: rest.join(' '), reference: token };
}

/**
 * The probes a launch at `now` plans (the same plan for the same seed, targets and instant),
 * with subjects and bodies filled: what launch inserts and what the preview shows.
 */
async function composeProbes(ctx: Ctx, orgId: string, c: store.CampaignRow, now: Date) {
  const id = c.id;
  const mailbox = (await mailboxStore.getMailbox(ctx.db, orgId, c.mailboxId))!;
  const [targets, questions, categoriesOf] = await Promise.all([store.listTargets(ctx.db, orgId, id), store.listQuestions(ctx.db, orgId, id), serviceCategories(ctx, orgId)]);
  let plan;
  try {
    plan = planProbes({
      periodStart: c.periodStart, periodEnd: c.periodEnd,
      targets: targets.map((t) => ({ targetId: t.id, serviceKey: t.serviceId ?? t.serviceName, categories: t.serviceId ? categoriesOf.get(t.serviceId) : [] })),
      probesPerTarget: c.probesPerService, windowStart: c.windowStart, windowEnd: c.windowEnd, seed: c.seed,
      calendar: calendarOf(c), questionCategories: questions.map((q) => q.category), variables: c.variables, notBefore: now,
    });
  } catch (err) {
    if (err instanceof PlanningError) throw new ValidationError({ _: err.message });
    throw err;
  }
  const byTarget = new Map(targets.map((t) => [t.id, t]));
  const rows = plan.map((p) => {
    const q = questions[p.questionIndex];
    const token = newToken();
    const values = { ...ownValues(mailbox.displayName, token), ...p.values };
    return {
      campaignId: id, targetId: p.targetId, questionId: q.id, origin: 'planned' as const, state: 'planned' as const,
      toAddress: byTarget.get(p.targetId)!.address, subject: renderTemplate(q.subject, values), body: renderTemplate(q.body, values),
      token, messageId: newMessageId(mailbox.address), plannedAt: p.at,
    };
  });
  return { rows, mailbox, byTarget };
}

export interface ProbePreview {
  service: string;
  plannedAt: Date;
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  body: string;
  /** The message's source as it would leave now (RFC 5322, as composed for sending). */
  source: string;
}

/** « Aperçu des messages »: every probe a launch now would send, exactly as composed. */
export async function previewProbes(ctx: Ctx, orgId: string, id: string): Promise<ProbePreview[]> {
  const c = await requireCampaign(ctx, orgId, id);
  if (c.mode !== 'send' || c.status !== 'draft') return [];
  const { rows, mailbox, byTarget } = await composeProbes(ctx, orgId, c, ctx.clock.now());
  return Promise.all(rows.map(async (r) => {
    const replyTo = replyToOf(mailbox.address, r.token, mailbox.plusAddressing);
    const raw = await composeMessage({ from: { name: mailbox.displayName, address: mailbox.address }, replyTo, to: r.toAddress, subject: r.subject, text: r.body, messageId: r.messageId, date: r.plannedAt });
    return { service: byTarget.get(r.targetId)!.serviceName, plannedAt: r.plannedAt, from: `${mailbox.displayName} <${mailbox.address}>`, to: r.toAddress, replyTo, subject: r.subject, body: r.body, source: raw.toString('utf8') };
  }));
}

/** A question of the bank with example values filled in (the bank never shows « {{…}} »). */
export function questionExample(displayName: string | undefined, variables: Record<string, string[]>, q: { subject: string; body: string }) {
  const values: Record<string, string> = { ...ownValues(displayName ?? 'Camille Martin', 'k7m2q9xz') };
  for (const [name, list] of Object.entries(variables)) if (list.length) values[name] = list[0];
  return { subject: renderTemplate(q.subject, values), body: renderTemplate(q.body, values) };
}

async function serviceCategories(ctx: Ctx, orgId: string): Promise<Map<string, string[]>> {
  return new Map((await orgStore.listServices(ctx.db, orgId)).map((s) => [s.id, s.categories]));
}

export interface TargetFit {
  targetId: string;
  /** Categories the service handles that the bank has questions for. */
  categories: string[];
  /** True when the service's probes get general questions (nothing fits in the bank). */
  fallback: boolean;
}

/** Which questions of the bank each target's probes are drawn from (as the plan does it). */
export async function targetsFit(ctx: Ctx, orgId: string, campaignId: string): Promise<TargetFit[]> {
  const [targets, questions, categoriesOf] = await Promise.all([
    store.listTargets(ctx.db, orgId, campaignId), store.listQuestions(ctx.db, orgId, campaignId), serviceCategories(ctx, orgId),
  ]);
  const bank = questions.map((q) => q.category);
  return targets.map((t) => {
    const handled = (t.serviceId ? categoriesOf.get(t.serviceId) : undefined) ?? [];
    const fit = questionsFor(handled, bank);
    return { targetId: t.id, categories: fit.fallback ? [] : handled.filter((c) => bank.includes(c)), fallback: fit.fallback };
  });
}

export async function reanalyse(ctx: Ctx, orgId: string, id: string) {
  const c = await requireCampaign(ctx, orgId, id);
  if (c.status !== 'running' || c.mode !== 'analyse') throw new ValidationError({ _: 'Seule une campagne d’analyse en cours peut être relancée.' });
  await enqueue(ctx, ANALYSE_JOB, { campaignId: id }, { dedupeKey: `analyse:${id}` });
}

export async function closeCampaign(ctx: Ctx, orgId: string, id: string) {
  await requireCampaign(ctx, orgId, id);
  const row = await store.transitionCampaign(ctx.db, orgId, id, 'running', { status: 'closed', closedAt: ctx.clock.now() });
  if (!row) throw new ValidationError({ _: 'Seule une campagne en cours peut être close.' });
  await store.cancelPlannedProbes(ctx.db, orgId, id);
}

export interface CampaignResults {
  campaign: store.CampaignRow;
  targets: store.TargetRow[];
  probes: store.ProbeRow[];
  replies: Awaited<ReturnType<typeof replyStore.listCampaignReplies>>;
  outcomes: ProbeOutcome[];
  metrics: CampaignMetrics;
}

/** Outcomes of every probe and the figures, from the stored state (corrections included). */
export async function campaignResults(ctx: Ctx, orgId: string, id: string): Promise<CampaignResults> {
  const campaign = await requireCampaign(ctx, orgId, id);
  const [targets, probes, replies] = await Promise.all([
    store.listTargets(ctx.db, orgId, id), store.listProbes(ctx.db, orgId, id), replyStore.listCampaignReplies(ctx.db, orgId, id),
  ]);
  const outcomes = outcomesOf(campaign, targets, probes, replies);
  return { campaign, targets, probes, replies, outcomes, metrics: campaignMetrics(outcomes, ctx.config.MIN_CELL_SIZE) };
}

type OutcomeProbe = Pick<store.ProbeRow, 'id' | 'targetId' | 'toAddress' | 'state' | 'sentAt'>;
type OutcomeReply = Pick<Awaited<ReturnType<typeof replyStore.listCampaignReplies>>[number], 'id' | 'probeId' | 'replyClass' | 'bounceKind' | 'receivedAt' | 'signature' | 'anonymityJustified'>;

/** Each probe's outcome under the campaign's rules (outcomes.ts), from its replies. */
function outcomesOf(campaign: CampaignRow, targets: Awaited<ReturnType<typeof store.listTargets>>, probes: readonly OutcomeProbe[], replies: readonly OutcomeReply[]) {
  const targetOf = new Map(targets.map((t) => [t.id, t]));
  const repliesOf = new Map<string, OutcomeReply[]>();
  for (const r of replies) {
    if (!r.probeId) continue;
    const list = repliesOf.get(r.probeId);
    if (list) list.push(r);
    else repliesOf.set(r.probeId, [r]);
  }
  const rules = { checklist: campaign.signatureChecklist as SignatureItemKey[], deadlineDays: campaign.deadlineDays, calendar: calendarOf(campaign) };
  return probes.map((p) => {
    const t = targetOf.get(p.targetId)!;
    return probeOutcome({
      probeId: p.id, serviceKey: t.serviceId ?? `name:${t.serviceName}`, serviceName: t.serviceName, toAddress: p.toAddress,
      state: p.state, sentAt: p.sentAt,
      replies: (repliesOf.get(p.id) ?? []).map((r) => ({
        id: r.id, replyClass: r.replyClass as ReplyClass, bounceKind: r.bounceKind, receivedAt: r.receivedAt,
        signature: r.signature as Partial<Record<SignatureItemKey, boolean>> | null, anonymityJustified: r.anonymityJustified,
      })),
    }, rules);
  });
}

/**
 * The outcomes of a campaign's probes and their sending times, reading only what the outcome
 * rules need (no body, no raw message): what the reports, the board and the home count.
 */
export async function campaignOutcomes(ctx: Pick<Deps, 'db'>, orgId: string, campaign: CampaignRow) {
  const [targets, probes, replies] = await Promise.all([
    store.listTargets(ctx.db, orgId, campaign.id), store.listProbeFacts(ctx.db, orgId, campaign.id), replyStore.listReplyFacts(ctx.db, orgId, campaign.id),
  ]);
  const sentAt = new Map(probes.map((p) => [p.id, p.sentAt]));
  return outcomesOf(campaign, targets, probes, replies).map((outcome) => ({ outcome, sentAt: sentAt.get(outcome.probeId) ?? null }));
}
