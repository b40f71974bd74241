/**
 * Delivery-status reports (bounces), RFC 3464 and the plain-text notices of other MTAs.
 *
 * Signals (the words are data, in bounce-rules.ts):
 * - strong: `Content-Type: multipart/report; report-type=delivery-status`, a
 *   `message/delivery-status` part (mailparser puts it in the text unless `keepDeliveryStatus`;
 *   both places are read), `X-Failed-Recipients` (Exim), `X-MS-Exchange-Message-Is-Ndr`;
 * - weak, combined: a daemon sender (MAILER-DAEMON, postmaster… with or without a domain, or
 *   such a display name), a failure/delay/report subject, a failure or delay phrase in the body
 *   or in a text part attached to it (any charset), an SMTP reply line read with its context, and
 *   the original message returned (a message/rfc822 or text/rfc822-headers part). Two of them,
 *   one being the subject or a body sign, make a bounce; a sender and a subject alone do too.
 * - A DSN whose recipients were all delivered, relayed or expanded (2.x.x) is no bounce
 *   (see `isSuccessReport`); a disposition notification (read receipt) neither.
 *
 * Result: kind 'failed' (Action: failed, a 5.x.x status or 5xx reply, or a permanent failure
 * phrase) or 'delayed' (Action: delayed, 4.x.x, or delay wording, with no failure sign: the
 * message may still be delivered, it is NOT an invalid address); the failed recipient (the
 * address the probe went to: `Original-Recipient` before `Final-Recipient`, then
 * X-Failed-Recipients, the addresses the notice's text names, and last the `To:` of the
 * returned original); status and diagnostic; the original Message-ID (from a
 * text/rfc822-headers or message/rfc822 part, else from headers quoted in the text).
 */
import {
  DAEMON_LOCAL_PARTS, DAEMON_NAMES, DELAY_PHRASES, DELAY_SUBJECTS, FAILURE_SUBJECTS, PERMANENT_PHRASES, RECIPIENT_INTROS,
  REPORT_SUBJECTS, STATUS_CONTEXTS,
} from './bounce-rules';
import { NO_REPLY_SENDERS } from './autoreply-rules';
import { headerParam, headerValue, mainValue, type HeaderBag } from './headers';

export interface DsnRecipient {
  address: string | null;
  action: string | null;
  /** Enhanced status code, e.g. '5.1.1'. */
  status: string | null;
  diagnostic: string | null;
}

export type BounceKind = 'failed' | 'delayed';

export interface BounceInfo {
  kind: BounceKind;
  recipients: DsnRecipient[];
  /** The first failed (else first) recipient address, lowercased. */
  failedRecipient: string | null;
  status: string | null;
  diagnostic: string | null;
  /** Message-ID of the message that bounced, angle brackets included. */
  originalMessageId: string | null;
  /** `To:` addresses of the returned original (where the message was sent), lowercased. */
  originalRecipients: string[];
  reasons: string[];
}

export interface BounceInput {
  headers: HeaderBag;
  from?: string | null;
  fromName?: string | null;
  subject?: string | null;
  text?: string | null;
  attachments?: ReadonlyArray<{ contentType: string; content?: string | null }>;
}

const STATUS_RE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
const EMAIL_RE = /[A-Za-z0-9._%+'=\/-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const EMAIL_RE_G = new RegExp(EMAIL_RE.source, 'g');

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const HEADER_PART_TYPES = new Set(['text/rfc822-headers', 'message/rfc822', 'message/global', 'message/global-headers']);
const SUCCESS_ACTIONS = new Set(['delivered', 'relayed', 'expanded', 'deliverable']);

const anyOf = (rules: readonly RegExp[], s: string): boolean => rules.some((re) => re.test(s));

function unfold(block: string): string[] {
  const out: string[] = [];
  for (const line of block.split('\n')) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line.trim());
  }
  return out;
}

function addressOf(value: string | null): string | null {
  if (!value) return null;
  const afterType = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const m = EMAIL_RE.exec(afterType);
  return m ? m[0].toLowerCase() : null;
}

/** Parses the per-recipient fields of a delivery-status body (RFC 3464 §2.3). */
export function parseDeliveryStatus(content: string): DsnRecipient[] {
  const recipients: DsnRecipient[] = [];
  const blocks = content.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of unfold(block)) {
      const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
      if (m && !fields.has(m[1].toLowerCase())) fields.set(m[1].toLowerCase(), m[2].trim());
    }
    if (!fields.has('final-recipient') && !fields.has('original-recipient') && !fields.has('action')) continue;
    if (!fields.has('action') && !fields.has('status')) continue;
    const status = fields.get('status') ?? null;
    // The address the message was sent to, before any forwarding, when the MTA kept it.
    recipients.push({
      address: addressOf(fields.get('original-recipient') ?? null) ?? addressOf(fields.get('final-recipient') ?? null),
      action: fields.get('action')?.toLowerCase().split(/[\s(]/)[0] ?? null,
      status: status ? (STATUS_RE.exec(status)?.[1] ?? status) : null,
      diagnostic: fields.get('diagnostic-code') ?? null,
    });
  }
  return recipients;
}

export function isDaemonSender(from: string | null | undefined, fromName: string | null | undefined): boolean {
  const addr = (from ?? '').trim().toLowerCase();
  const local = addr.includes('@') ? addr.slice(0, addr.lastIndexOf('@')) : addr;
  if (local && DAEMON_LOCAL_PARTS.some((re) => re.test(local))) return true;
  const name = (fromName ?? '').trim().toLowerCase().replace(/^["']|["']$/g, '');
  return name !== '' && DAEMON_NAMES.some((re) => re.test(name));
}

/** SMTP statuses read with their context: enhanced codes and reply codes, in text order. */
export function smtpStatuses(text: string): { enhanced: string[]; replies: string[] } {
  const enhanced: string[] = [];
  const replies: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length > 1000) continue;
    for (const re of STATUS_CONTEXTS) {
      const m = re.exec(line);
      if (!m) continue;
      for (const g of m.slice(1)) {
        if (!g) continue;
        if (g.includes('.')) enhanced.push(g);
        else replies.push(g);
      }
    }
  }
  return { enhanced, replies };
}

/** Addresses the notice's text names as failed, in order (see RECIPIENT_INTROS). */
export function recipientsInText(text: string): string[] {
  const out: string[] = [];
  const add = (s: string): void => {
    for (const a of s.match(EMAIL_RE_G) ?? []) {
      const low = a.toLowerCase();
      if (!out.includes(low)) out.push(low);
    }
  };
  const lines = text.split('\n');
  // Stop before the returned original: its headers name the sender too.
  // (Headers quoted at the left margin; an indented "From:" summarises the message in the notice.)
  const stop = lines.findIndex((l, i) => i > 0 && /^(?:return-path|received|message-id|date|from|subject)\s*:/i.test(l) && /^(?:[\w-]+)\s*:/.test(lines[i + 1] ?? ''));
  const scan = stop > 0 ? lines.slice(0, stop) : lines;
  for (let i = 0; i < scan.length && out.length === 0; i++) {
    const l = scan[i];
    // "<addr>:" or "addr:" starting a line (qmail, Postfix, OpenSMTPD), "RCPT TO:<addr>".
    const block = /^[ \t]*<?([^<>\s@]+@[^<>\s:]+?)>?\s*:(?:\s|$)/.exec(l) ?? /rcpt\s+to\s*:\s*<([^<>\s]+)>/i.exec(l);
    if (block) {
      add(block[1]);
      continue;
    }
    const intro = RECIPIENT_INTROS.map((re) => re.exec(l.toLowerCase())).find((m) => m);
    if (intro) {
      add(l.slice(intro.index + intro[0].length));
      for (let j = i + 1; j < Math.min(scan.length, i + 5) && out.length === 0; j++) add(scan[j]);
    }
  }
  if (out.length === 0) {
    // An SMTP reply line naming the address: "550 5.1.1 <x@y>: user unknown".
    for (const l of scan) {
      if (/(?:^|\s)[45]\d\d[\s-]/.test(l) && EMAIL_RE.test(l)) {
        add((/<([^<>\s]+@[^<>\s]+)>/.exec(l) ?? EMAIL_RE.exec(l))![0]);
        break;
      }
    }
  }
  return out;
}

function headerBlockTo(content: string): string[] {
  const head = content.replace(/\r\n?/g, '\n').split(/\n\n/)[0].replace(/\n[ \t]+/g, ' ');
  const to = /^to[ \t]*:(.*)$/im.exec(head);
  return to ? Array.from(new Set((to[1].match(EMAIL_RE_G) ?? []).map((a) => a.toLowerCase()))) : [];
}

/**
 * A delivery report that reports only successes (Action: delivered/relayed/expanded, 2.x.x), or
 * a delivery-status report without any recipient failed or delayed: not a bounce.
 */
export function isSuccessReport(recipients: readonly DsnRecipient[]): boolean {
  return (
    recipients.length > 0 &&
    recipients.every((r) => (r.action !== null && SUCCESS_ACTIONS.has(r.action)) || (r.status?.startsWith('2') ?? false)) &&
    !recipients.some((r) => r.action === 'failed' || r.action === 'delayed')
  );
}

function messageIdIn(content: string | null | undefined): string | null {
  if (!content) return null;
  const m = /^[ \t>]*message-id\s*:\s*(<[^<>\s]+>)/im.exec(content);
  return m ? m[1] : null;
}

/** Detects a bounce; null when the message is not a delivery-failure report. Never throws. */
export function detectBounce(input: BounceInput): BounceInfo | null {
  const reasons: string[] = [];
  let strong = false;
  const contentType = headerValue(input.headers, 'content-type');
  const reportType = mainValue(contentType) === 'multipart/report' ? headerParam(contentType, 'report-type') : null;
  if (reportType === 'disposition-notification' || reportType === 'feedback-report') return null;
  const dsnReport = reportType === 'delivery-status' || reportType === 'global-delivery-status';

  const attachments = input.attachments ?? [];
  let recipients: DsnRecipient[] = [];
  let dsnPart = false;
  for (const a of attachments) {
    if (DSN_TYPES.has(a.contentType.toLowerCase()) && a.content) {
      dsnPart = true;
      recipients.push(...parseDeliveryStatus(a.content));
    }
  }
  const text = (input.text ?? '').replace(/\r\n?/g, '\n');
  if (recipients.length === 0 && /^\s*action\s*:/im.test(text) && /^\s*(?:final-recipient|original-recipient|status)\s*:/im.test(text)) {
    const fromText = parseDeliveryStatus(text);
    if (fromText.length) {
      recipients = fromText;
      reasons.push('text:delivery-status-fields');
      if (dsnReport || fromText.some((r) => r.status !== null)) dsnPart = true;
    }
  }
  // A report of successful delivery (or of a verification) is not a failure.
  if (isSuccessReport(recipients)) return null;
  if (dsnReport) {
    strong = true;
    reasons.push('content-type:multipart/report;delivery-status');
  }
  if (dsnPart && attachments.some((a) => DSN_TYPES.has(a.contentType.toLowerCase()))) {
    strong = true;
    reasons.push('part:message/delivery-status');
  } else if (dsnPart) strong = true;

  const failedHeader = headerValue(input.headers, 'x-failed-recipients');
  if (failedHeader) {
    strong = true;
    reasons.push('header:x-failed-recipients');
  }
  if (headerValue(input.headers, 'x-ms-exchange-message-is-ndr') !== null) {
    strong = true;
    reasons.push('header:x-ms-exchange-message-is-ndr');
  }

  const daemon = isDaemonSender(input.from, input.fromName);
  if (daemon) reasons.push('from:mailer-daemon');
  const subject = (input.subject ?? '').toLowerCase();
  const failedSubject = anyOf(FAILURE_SUBJECTS, subject);
  const delaySubject = anyOf(DELAY_SUBJECTS, subject);
  const reportSubject = !failedSubject && !delaySubject && anyOf(REPORT_SUBJECTS, subject.trim());
  if (failedSubject) reasons.push('subject:delivery-failure');
  if (delaySubject) reasons.push('subject:delivery-delay');
  if (reportSubject) reasons.push('subject:delivery-report');

  // The notice's explanation may sit in a text part attached beside an empty body.
  const partTexts = attachments.filter((a) => /^text\/plain$/i.test(a.contentType) && a.content).map((a) => a.content as string);
  const lowered = [text, ...partTexts].join('\n').toLowerCase();
  const permanentPhrase = anyOf(PERMANENT_PHRASES, lowered);
  const delayPhrase = anyOf(DELAY_PHRASES, lowered);
  const statuses = smtpStatuses([text, ...partTexts].join('\n'));
  const smtpLine = statuses.enhanced.length > 0 || statuses.replies.length > 0;
  const returnedOriginal = attachments.some((a) => HEADER_PART_TYPES.has(a.contentType.toLowerCase()));

  if (!strong) {
    const bodySign = permanentPhrase || delayPhrase || smtpLine;
    const score =
      (daemon ? 1 : 0) + (failedSubject || delaySubject ? 1 : 0) + (reportSubject ? 0.5 : 0) + (permanentPhrase || delayPhrase ? 1 : 0) +
      (smtpLine ? 1 : 0) + (returnedOriginal ? 1 : 0);
    // A person may write a failure phrase and attach a message: without a daemon sender, a
    // notice subject or an SMTP reply line, the sender must at least be a machine (null
    // Return-Path, no-reply address).
    const machine = /^<\s*>$/.test(headerValue(input.headers, 'return-path') ?? '') || NO_REPLY_SENDERS.some((re) => re.test((input.from ?? '').trim()));
    const notice = daemon || failedSubject || delaySubject || smtpLine || machine;
    const bounce = (score >= 2 && notice && (bodySign || failedSubject || delaySubject)) || (daemon && (failedSubject || delaySubject));
    if (!bounce) return null;
    if (smtpLine) reasons.push('body:smtp-status');
    if (permanentPhrase) reasons.push('body:failure-phrase');
    if (delayPhrase) reasons.push('body:delay-phrase');
    if (returnedOriginal) reasons.push('part:original-message');
  }

  // Without DSN fields: X-Failed-Recipients, then the addresses the text names.
  if (recipients.length === 0) {
    const addrs: string[] = [];
    if (failedHeader) for (const a of failedHeader.split(',')) { const e = addressOf(a); if (e && !addrs.includes(e)) addrs.push(e); }
    if (addrs.length === 0) addrs.push(...recipientsInText([text, ...partTexts].join('\n')).slice(0, 20));
    const status = statuses.enhanced[0] ?? null;
    const replyCode = statuses.replies[0] ?? null;
    const mark = status ?? replyCode;
    const diagLine = mark ? text.split('\n').find((l) => l.includes(mark))?.trim().slice(0, 300) ?? null : null;
    const action = status ? null : replyCode?.startsWith('5') ? 'failed' : replyCode?.startsWith('4') ? 'delayed' : null;
    for (const a of addrs) recipients.push({ address: a, action, status, diagnostic: diagLine });
    if (addrs.length === 0 && (status || action)) recipients.push({ address: null, action, status, diagnostic: diagLine });
  }

  const isFailed = (r: DsnRecipient): boolean => r.action === 'failed' || (r.status?.startsWith('5') ?? false);
  const isDelayed = (r: DsnRecipient): boolean => r.action === 'delayed' || (r.status?.startsWith('4') ?? false);
  let kind: BounceKind;
  if (recipients.some(isFailed)) kind = 'failed';
  else if (recipients.some(isDelayed)) kind = 'delayed';
  else if ((delaySubject || delayPhrase) && !failedSubject && !(permanentPhrase && !delayPhrase)) kind = 'delayed';
  else kind = 'failed';
  reasons.push(`bounce:${kind}`);

  const main = recipients.find(kind === 'failed' ? isFailed : isDelayed) ?? recipients.find((r) => r.address) ?? recipients[0] ?? null;

  let originalMessageId: string | null = null;
  let originalTo: string[] = [];
  for (const a of attachments) {
    if (HEADER_PART_TYPES.has(a.contentType.toLowerCase()) && a.content) {
      originalMessageId ??= messageIdIn(a.content);
      if (originalTo.length === 0) originalTo = headerBlockTo(a.content);
    }
  }
  if (!originalMessageId || originalTo.length === 0) {
    // Headers of the original quoted in the text, after the notice.
    const idx = text.search(/^[ \t>]*(?:received|return-path|from|to|subject|date|message-id)\s*:/im);
    if (idx >= 0) {
      const quoted = text.slice(idx);
      originalMessageId ??= messageIdIn(quoted);
      if (originalTo.length === 0) originalTo = headerBlockTo(quoted.replace(/^[ \t>]+/gm, ''));
    }
  }

  let failedRecipient = main?.address ?? null;
  if (!failedRecipient && originalTo.length === 1) {
    failedRecipient = originalTo[0];
    reasons.push('recipient:original-to');
  }

  return {
    kind,
    recipients,
    failedRecipient,
    status: main?.status ?? null,
    diagnostic: main?.diagnostic ?? null,
    originalMessageId,
    originalRecipients: originalTo,
    reasons,
  };
}
