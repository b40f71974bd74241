/**
 * From a raw message read in a mystery mailbox to a recorded reply: parse (mailparser), classify
 * (classification/), match to a probe (match-reply.ts), store the reply and its raw source.
 * A message that cannot be parsed is stored and flagged, never thrown at the tracker.
 *
 * Reception time: the Date header (what the services' servers wrote; tests and archives set
 * it), unless it is missing, unparseable or more than an hour after the IMAP internal date (a
 * clock in the future); then the internal date (delivery into the mailbox).
 */
import crypto from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Deps } from '../../deps';
import * as orgStore from '../../org/org.store';
import {
  CLASSIFIER_PARSER_OPTIONS, classifyReply, fromParsedMail, type ReplyClassification, type ReplyInput,
} from '../classification/reply-classifier';
import { SIGNATURE_ITEMS } from '../classification/signature';
import { detectBounce } from '../classification/bounce';
import { replyBody } from '../classification/quote-strip';
import * as campaignStore from '../campaign.store';
import * as replyStore from '../reply.store';
import type { MailboxRow } from '../mailbox.store';
import type { FetchedMessage } from './imap-tracker';
import { matchReply, normaliseMessageId, type MatchResult, type ProbeCandidate } from './match-reply';

const MAX_TEXT = 100_000;

export interface Candidate extends ProbeCandidate {
  campaignId: string;
}

export interface IngestContext {
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>;
  mailbox: MailboxRow;
  candidates: () => Promise<Candidate[]>;
}

/** Sent probes of every campaign of the mailbox, with the other addresses of each service. */
export async function loadCandidates(deps: Pick<Deps, 'db'>, mailbox: MailboxRow): Promise<Candidate[]> {
  const [probes, services, targets] = await Promise.all([
    campaignStore.sentProbesOfMailbox(deps.db, mailbox.orgId, mailbox.id),
    orgStore.listServices(deps.db, mailbox.orgId),
    campaignStore.targetsOfMailbox(deps.db, mailbox.orgId, mailbox.id),
  ]);
  const serviceOfTarget = new Map(targets.map((t) => [t.id, t.serviceId]));
  const emailsOfService = new Map(services.map((s) => [s.id, s.emails]));
  return probes.map((p) => ({
    id: p.id, campaignId: p.campaignId, messageId: p.messageId, token: p.token, subject: p.subject, toAddress: p.toAddress,
    sentAt: p.sentAt ? new Date(p.sentAt) : null,
    serviceAddresses: emailsOfService.get(serviceOfTarget.get(p.targetId) ?? '') ?? [],
  }));
}

export function dedupeKey(messageId: string | null | undefined, source: Buffer): string {
  const id = normaliseMessageId(messageId);
  if (id) return `mid:${id}`;
  const end = source.indexOf('\r\n\r\n');
  const headers = end > 0 ? source.subarray(0, end) : source.subarray(0, 64 * 1024);
  return `sha256:${crypto.createHash('sha256').update(headers).digest('hex')}`;
}

function addresses(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.match(/[^\s<>,;"']+@[^\s<>,;"']+/g) ?? []).map((a) => a.toLowerCase());
}

export interface Analysed {
  input: ReplyInput | null;
  classification: ReplyClassification;
  match: MatchResult | null;
  fullText: string;
  parseError: string | null;
}

function recipientsOf(input: ReplyInput): string[] {
  const h = input.headers as Record<string, string[] | undefined>;
  return addresses([...(h['to'] ?? []), ...(h['cc'] ?? []), ...(h['delivered-to'] ?? []), ...(h['x-original-to'] ?? [])]);
}

/**
 * Parses, matches and classifies one raw message (no storage). A delivery report is matched
 * through the Message-ID or recipient it names; the class is computed once, knowing whether
 * the message is linked to a probe.
 */
/**
 * The tracker's one way of reading a raw message for the classifier (mailparser with
 * CLASSIFIER_PARSER_OPTIONS, then the adapter with the raw source for salvage). The benchmark
 * (scripts/bench-classifier.ts) and the fixture export use it too, so they measure what runs.
 */
export async function parseReply(source: Buffer): Promise<{ input: ReplyInput | null; parseError: string | null }> {
  try {
    const parsed = await simpleParser(source, { ...CLASSIFIER_PARSER_OPTIONS });
    return { input: fromParsedMail(parsed, source), parseError: null };
  } catch (err) {
    return { input: null, parseError: (err as Error).message?.slice(0, 300) || 'parse error' };
  }
}

export async function analyseMessage(source: Buffer, receivedAt: (input: ReplyInput | null) => Date, ownAddress: string, candidates: Candidate[]): Promise<Analysed> {
  const { input, parseError } = await parseReply(source);
  if (!input) {
    return { input, classification: { class: 'unrelated', reasons: ['parse-error'], confidence: 0, answerText: '' }, match: null, fullText: '', parseError };
  }
  let fullText = '';
  try {
    fullText = replyBody({ text: input.text, html: input.html });
  } catch {
    fullText = input.text ?? '';
  }
  if (input.from && input.from.toLowerCase() === ownAddress.toLowerCase()) {
    const c = classifyReply(input, { isLinkedToProbe: false });
    return { input, classification: { ...c, class: 'unrelated', reasons: [...c.reasons, 'from-mystery-mailbox'] }, match: null, fullText, parseError };
  }
  const incoming = {
    messageId: input.messageId, inReplyTo: input.inReplyTo, references: input.references, subject: input.subject, from: input.from,
    recipients: recipientsOf(input), text: fullText, receivedAt: receivedAt(input),
  };
  let match = candidates.length ? matchReply(incoming, candidates) : null;
  if (!match && candidates.length) {
    const bounce = detectBounce({ headers: input.headers, from: input.from, fromName: input.fromName, subject: input.subject, text: fullText, attachments: input.attachments });
    if (bounce) {
      const otherRecipients = [...bounce.recipients.map((r) => r.address).filter((a): a is string => !!a), ...bounce.originalRecipients];
      match = matchReply({ ...incoming, bounce: { originalMessageId: bounce.originalMessageId, failedRecipient: bounce.failedRecipient, otherRecipients } }, candidates);
    }
  }
  return { input, classification: classifyReply(input, { isLinkedToProbe: !!match }), match, fullText, parseError };
}

export function signatureFlags(c: ReplyClassification): Record<string, boolean> | null {
  if (!c.signature) return null;
  return Object.fromEntries(SIGNATURE_ITEMS.map((k) => [k, !!c.signature![k]?.present]));
}

export function receptionTime(date: Date | null | undefined, internalDate: Date | null, now: Date): Date {
  const internal = internalDate ?? now;
  if (date && Number.isFinite(date.getTime()) && date.getTime() <= internal.getTime() + 3600_000) return date;
  return internal;
}

/** The reply row of one analysed message. */
function replyRow(mailbox: MailboxRow, folder: string, uidValidity: string, msg: FetchedMessage, a: Analysed, probe: Candidate | undefined, now: Date): replyStore.ReplyInsert {
  const c = a.classification;
  return {
    mailboxId: mailbox.id,
    campaignId: probe?.campaignId ?? null,
    probeId: probe?.id ?? null,
    folder, uidValidity, uid: msg.uid,
    dedupeKey: dedupeKey(a.input?.messageId, msg.source),
    messageId: a.input?.messageId ?? null,
    fromAddress: a.input?.from?.toLowerCase() ?? null,
    subject: a.input?.subject?.slice(0, 500) ?? null,
    receivedAt: receptionTime(a.input?.date, msg.internalDate, now),
    size: msg.size,
    malformed: !!a.parseError || !!a.input?.salvaged,
    text: c.answerText.slice(0, MAX_TEXT),
    fullText: a.fullText.slice(0, MAX_TEXT),
    detectedClass: c.class,
    replyClass: c.class,
    confidence: c.confidence,
    reasons: [...c.reasons, ...(a.parseError ? [`parse-error: ${a.parseError}`] : []), ...(msg.truncated ? ['raw-truncated'] : []), ...(a.match?.ambiguous ? ['match-ambiguous'] : [])],
    matchMethod: a.match?.method ?? null,
    matchedProbeId: probe?.id ?? null,
    detectedSignature: signatureFlags(c),
    signature: signatureFlags(c),
    bounceKind: c.bounce?.kind ?? null,
    bounceRecipient: c.bounce?.failedRecipient ?? null,
    bounceDiagnostic: c.bounce ? [c.bounce.status, c.bounce.diagnostic].filter(Boolean).join(' ').slice(0, 500) || null : null,
  };
}

/** Records a batch of messages of a folder (one transaction); returns how many were new. */
export async function ingestBatch(ctx: IngestContext, folder: string, uidValidity: string, batch: readonly FetchedMessage[]): Promise<number> {
  const { deps, mailbox } = ctx;
  const now = deps.clock.now();
  const candidates = await ctx.candidates();
  const items: { reply: replyStore.ReplyInsert; raw: { raw: Buffer; size: number; truncated: boolean } }[] = [];
  for (const msg of batch) {
    const a = await analyseMessage(msg.source, (input) => receptionTime(input?.date, msg.internalDate, now), mailbox.address, candidates);
    const probe = a.match ? candidates.find((p) => p.id === a.match!.probeId) : undefined;
    items.push({ reply: replyRow(mailbox, folder, uidValidity, msg, a, probe, now), raw: { raw: msg.source, size: msg.size, truncated: msg.truncated } });
  }
  const inserted = await replyStore.insertReplies(deps.db, mailbox.orgId, items);
  const malformed = inserted.filter((r) => r.malformed);
  if (malformed.length) deps.logger.warn({ mailboxId: mailbox.id, replies: malformed.map((r) => r.id) }, 'malformed messages stored and flagged');
  return inserted.length;
}

/** Records one message; false when it was already recorded. */
export async function ingestMessage(ctx: IngestContext, folder: string, uidValidity: string, msg: FetchedMessage): Promise<boolean> {
  return (await ingestBatch(ctx, folder, uidValidity, [msg])) === 1;
}

/**
 * Matches again the replies of a mailbox that found no probe (probes imported after their
 * replies arrived, in analyse mode). Only replies whose raw source is still kept.
 */
export async function rematchUnmatched(ctx: IngestContext, since: Date): Promise<number> {
  const { deps, mailbox } = ctx;
  const candidates = await ctx.candidates();
  if (!candidates.length) return 0;
  let n = 0;
  for (const r of await replyStore.listUnmatchedReplies(deps.db, mailbox.orgId, mailbox.id, since, 5000)) {
    const raw = await replyStore.getRaw(deps.db, mailbox.orgId, r.id);
    if (!raw) continue;
    const a = await analyseMessage(raw.raw, () => new Date(r.receivedAt), mailbox.address, candidates);
    if (!a.match) continue;
    const probe = candidates.find((p) => p.id === a.match!.probeId)!;
    const c = a.classification;
    await replyStore.updateDetection(deps.db, mailbox.orgId, r.id, {
      campaignId: probe.campaignId, probeId: probe.id, matchedProbeId: probe.id, matchMethod: a.match.method,
      detectedClass: c.class, replyClass: c.class, confidence: c.confidence, reasons: c.reasons,
      detectedSignature: signatureFlags(c), signature: signatureFlags(c), text: c.answerText.slice(0, MAX_TEXT),
      bounceKind: c.bounce?.kind ?? null, bounceRecipient: c.bounce?.failedRecipient ?? null,
    });
    n++;
  }
  return n;
}
