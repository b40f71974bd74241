/**
 * Real-mail sampling (issue 15): reads one month (or one week of it) of a service mailbox (read-only IMAP through
 * the campaigns' imap-tracker.ts, credentials sealed as for the mystery mailboxes), keeps the
 * citizen messages the rule samples (auto-replies, bounces, lists/newsletters and internal
 * senders left out by the campaigns' classifiers), finds each one's answer in the sent folder
 * and stores the verdicts — a keyed hash of the Message-ID, dates, outcome; nothing of the
 * content. The board computes `courriels-5j` from the stored verdicts (`sampledMonthlyValues`).
 */
import crypto from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Deps } from '../deps';
import { AppError, ValidationError } from '../errors';
import { detectAutoReply } from '../campaigns/classification/autoreply';
import { detectBounce } from '../campaigns/classification/bounce';
import { CLASSIFIER_PARSER_OPTIONS, fromParsedMail } from '../campaigns/classification/reply-classifier';
import { parisDateOf, startOfParisDay, addCalendarDays, type WorkingDayOptions } from '../campaigns/calendar/working-days';
import { domainOf, normaliseMessageId } from '../campaigns/tracking/match-reply';
import { openImap, type FetchedMessage } from '../campaigns/tracking/imap-tracker';
import { imapSettingsOf, mailboxDomain, requireMailbox } from '../campaigns/mailbox.service';
import { monthLabel, type MonthValue } from '../indicators/board';
import { SAMPLING_INDICATOR, applyRule, summarise, verdictOf, type IncomingMail, type SentMail } from './sampling';
import { parseRule, ruleKey, ruleLabel, samplingPeriod, weekInMonth, type DrawInfo, type SamplingRule } from './sampling-rule';
import * as store from './sampling.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'encryptionKey' | 'logger'>;

/** Bytes of each message's source read (headers and the start of the body). */
export const SOURCE_BYTES = 256 * 1024;

export const DEFAULT_CALENDAR: WorkingDayOptions = { zone: 'metropole', whitMondayWorked: false };

/** Keyed hash of a Message-ID: the same message gives the same key, which reveals nothing. */
export function messageKey(encryptionKey: Buffer, messageId: string): string {
  return crypto.createHmac('sha256', encryptionKey).update(`sampling:${messageId}`).digest('hex');
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

/**
 * The stored key of a sampled message: its Message-ID's keyed hash, or for a message without
 * one, the hash of its IMAP uid and date (still nothing of its content).
 */
export function sampledKey(encryptionKey: Buffer, m: Pick<IncomingMail, 'uid' | 'messageId' | 'date'>): string {
  return messageKey(encryptionKey, normaliseMessageId(m.messageId) ?? `uid:${m.uid}:${m.date.toISOString()}`);
}

/** Reads the headers a verdict needs, and why the message is left out (null: a citizen's message). */
export async function readIncoming(m: FetchedMessage, internalDomains: ReadonlySet<string>): Promise<IncomingMail> {
  const parsed = await simpleParser(m.source, { ...CLASSIFIER_PARSER_OPTIONS });
  const input = fromParsedMail(parsed, m.source);
  const from = input.from?.toLowerCase() ?? null;
  const date = input.date ?? m.internalDate;
  if (!date) throw new Error('no date');
  let excluded: string | null = null;
  if (detectBounce(input)) excluded = 'bounce';
  else {
    const auto = detectAutoReply({ headers: input.headers, subject: input.subject, from: input.from, text: input.text });
    if (auto.bulk) excluded = 'list';
    else if (auto.automatic) excluded = 'auto-reply';
    else if (!from) excluded = 'no-sender';
    else if (internalDomains.has(domainOf(from) ?? '')) excluded = 'internal';
  }
  return { uid: m.uid, messageId: input.messageId ?? null, from, subject: input.subject ?? null, date, excluded };
}

export async function readSent(m: FetchedMessage): Promise<SentMail> {
  const parsed = await simpleParser(m.source, { ...CLASSIFIER_PARSER_OPTIONS });
  const date = parsed.date ?? m.internalDate;
  if (!date) throw new Error('no date');
  const refs = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
  return {
    messageId: parsed.messageId ?? null, to: [...addresses(parsed.to), ...addresses(parsed.cc)], subject: parsed.subject ?? null,
    date, inReplyTo: parsed.inReplyTo ?? null, references: refs,
  };
}

export interface SamplingRequest {
  mailboxId: string;
  /** First day of the month (YYYY-MM-01). */
  month: string;
  rule: SamplingRule;
  userId?: string | null;
  /** When the random week of the rule was drawn. */
  drawnAt?: Date | null;
  calendar?: WorkingDayOptions;
  /** Sender domains that are the administration's own (the mailbox's domain always is). */
  internalDomains?: string[];
}

export interface SamplingResult {
  runId: string;
  sampled: number;
  excluded: number;
  failed: number;
  numerator: number;
  denominator: number;
}

/** Reads the month's mail of a mailbox and stores the verdicts (replacing a previous run of that month). */
export async function runSampling(ctx: Ctx, orgId: string, req: SamplingRequest): Promise<SamplingResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(req.month)) throw new ValidationError({ month: 'Choisissez un mois (AAAA-MM).' });
  if ((req.rule.kind === 'week' || req.rule.kind === 'random-week') && !weekInMonth(req.rule.monday, req.month)) {
    throw new ValidationError({ semaine: `Choisissez le lundi d’une semaine de ${monthLabel(req.month)}.` });
  }
  if (!ctx.encryptionKey) throw new AppError(500, 'no_encryption_key', 'La clé de chiffrement (ENCRYPTION_KEY) n’est pas chargée.');
  const mailbox = await requireMailbox(ctx, orgId, req.mailboxId);
  const cal = req.calendar ?? DEFAULT_CALENDAR;
  const internal = new Set([mailboxDomain(mailbox), ...(req.internalDomains ?? [])].map((d) => d.toLowerCase()));
  const period = samplingPeriod(req.rule, req.month);
  // IMAP searches by day on the Date header: a day of margin each side, the instants filtered below.
  const since = startOfParisDay(addCalendarDays(parisDateOf(period.start), -1));
  const before = startOfParisDay(addCalendarDays(parisDateOf(period.end), 1));
  const session = await openImap(imapSettingsOf(ctx, mailbox), { logger: ctx.logger });
  let inbox: FetchedMessage[];
  let sent: FetchedMessage[];
  try {
    // Only headers (and a bounce's report) matter: sources are read truncated, bounding memory.
    inbox = await session.sentBetween(mailbox.inboxFolder, since, before, { maxBytes: SOURCE_BYTES });
    sent = await session.sentBetween(mailbox.sentFolder, since, period.replyUntil, { maxBytes: SOURCE_BYTES });
  } finally {
    await session.close();
  }
  let failed = 0;
  // One bad message never blocks the others: it is counted, never logged with its content.
  const incoming: IncomingMail[] = [];
  for (const m of inbox) {
    try {
      const read = await readIncoming(m, internal);
      if (read.date >= period.start && read.date < period.end) incoming.push(read);
    } catch {
      failed++;
    }
  }
  const replies: SentMail[] = [];
  for (const m of sent) {
    try {
      replies.push(await readSent(m));
    } catch {
      failed++;
    }
  }
  if (failed) ctx.logger.warn({ orgId, mailboxId: mailbox.id, failed }, 'mail sampling: unreadable messages skipped');
  const kept = applyRule(incoming, req.rule);
  const verdicts = kept.map((m) => verdictOf(m, replies, cal));
  const key = ctx.encryptionKey;
  const run = await store.replaceRun(ctx.db, orgId, {
    mailboxId: mailbox.id, month: req.month, rule: ruleKey(req.rule), drawnAt: req.rule.kind === 'random-week' ? req.drawnAt ?? null : null, sampled: verdicts.length,
    excluded: incoming.filter((m) => m.excluded).length, failed, ranBy: req.userId ?? null, ranAt: ctx.clock.now(),
  }, verdicts.map((v, i) => ({
    messageKey: sampledKey(key, kept[i]),
    receivedAt: v.receivedAt, answeredAt: v.answeredAt, withinDeadline: v.withinDeadline, delayDays: v.delayDays, method: v.method,
  })));
  const s = summarise(verdicts);
  return { runId: run.id, sampled: run.sampled, excluded: run.excluded, failed, numerator: s.numerator, denominator: s.denominator };
}

/**
 * `courriels-5j` per month from the stored verdicts: the organisation's total (breakdown '')
 * and one value per mailbox (breakdown: its name), with numerator and denominator (n).
 */
export async function sampledMonthlyValues(ctx: Pick<Deps, 'db'>, orgId: string, from: string, to: string): Promise<MonthValue[]> {
  const rows = await store.monthlyTotals(ctx.db, orgId, from, to);
  const out: MonthValue[] = [];
  const totals = new Map<string, { within: number; total: number }>();
  for (const r of rows) {
    if (!r.total) continue;
    out.push({ indicatorId: SAMPLING_INDICATOR, month: r.month, breakdown: r.mailbox, value: (100 * r.within) / r.total, numerator: r.within, denominator: r.total, source: 'computed' });
    const t = totals.get(r.month) ?? { within: 0, total: 0 };
    t.within += r.within;
    t.total += r.total;
    totals.set(r.month, t);
  }
  for (const [month, t] of totals) {
    out.push({ indicatorId: SAMPLING_INDICATOR, month, breakdown: '', value: (100 * t.within) / t.total, numerator: t.within, denominator: t.total, source: 'computed' });
  }
  return out;
}

/** The note printed under `courriels-5j` for a month: the rule(s) in force and n. */
export async function samplingNote(ctx: Pick<Deps, 'db'>, orgId: string, month: string): Promise<string | null> {
  const rows = await store.monthlyTotals(ctx.db, orgId, month, month);
  if (!rows.length) return null;
  // The rule once when every mailbox followed the same one; per mailbox otherwise (each
  // mailbox's random week is its own draw).
  const labelled = rows.flatMap((r) => {
    const rule = parseRule(r.rule);
    if (!rule) return [];
    const draw: DrawInfo | null = rule.kind === 'random-week' ? { at: r.drawnAt, by: r.ranByName } : null;
    return [{ mailbox: r.mailbox, label: ruleLabel(rule, draw) }];
  });
  const distinct = [...new Set(labelled.map((l) => l.label))];
  const rules = distinct.length <= 1 ? distinct : labelled.map((l) => `${l.mailbox} — ${l.label}`);
  const within = rows.reduce((a, r) => a + r.within, 0);
  const total = rows.reduce((a, r) => a + r.total, 0);
  const perBox = rows.map((r) => `${r.mailbox} : ${r.within} / ${r.total}`).join(' ; ');
  return `${rules.join(' ')} Ce mois : ${within} courriels répondus sous 5 jours ouvrés sur ${total} échantillonnés (n = ${total} ; ${perBox}).`;
}
