/**
 * Delivery-status reports (bounces), RFC 3464 and the common non-standard forms.
 *
 * Signals:
 * - `Content-Type: multipart/report; report-type=delivery-status` (strong);
 * - a `message/delivery-status` (or `message/global-delivery-status`) part (strong). mailparser
 *   puts it in the text unless `keepDeliveryStatus: true`; both places are read;
 * - `X-Failed-Recipients` (Exim), `X-MS-Exchange-Message-Is-Ndr` (Exchange) (strong);
 * - sender MAILER-DAEMON / postmaster / "Mail Delivery System" / Exchange's "MicrosoftExchange…";
 * - subjects "Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)",
 *   « Non remis », "Undeliverable", "Mail delivery failed", "Returned mail", …
 *   A sender or subject signal alone needs an SMTP status code or a failure phrase in the body.
 *
 * Result: kind 'failed' (Action: failed or a 5.x.x status) or 'delayed' (Action: delayed, 4.x.x,
 * or a delay subject; the message may still be delivered: it is NOT an invalid address), the
 * failed recipient(s) with status and diagnostic, and the Message-ID of the original message
 * (from a text/rfc822-headers or message/rfc822 part, else from headers quoted in the body).
 * A disposition notification (read receipt, report-type=disposition-notification) is not a bounce.
 */
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

const DAEMON_RE = /^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|microsoftexchange[0-9a-f]*|mail-delivery|mailerdaemon)@/i;
const DAEMON_NAME_RE = /^(?:mail delivery (?:system|subsystem)|mail delivery|postmaster|mailer-daemon|microsoft outlook|microsoft exchange|syst[èe]me de remise du courrier)$/i;
const FAILED_SUBJECT_RE =
  /(?:undeliver(?:ed|able)|delivery\s+status\s+notification\s*\(failure\)|delivery\s+(?:has\s+)?failed|mail\s+delivery\s+failed|returned\s+mail|failure\s+notice|non\s+remis|message\s+non\s+remis|[ée]chec\s+(?:de\s+(?:la\s+)?)?(?:remise|livraison|distribution)|impossible\s+de\s+remettre|delivery\s+failure|could\s+not\s+be\s+delivered|message\s+not\s+delivered|undeliverable\s+mail)/i;
const DELAY_SUBJECT_RE =
  /(?:delivery\s+status\s+notification\s*\(delay\)|delayed\s+mail|delivery\s+delayed|delay(?:ed)?\s+notification|remise\s+diff[ée]r[ée]e|retard(?:[ée]e)?\s+de\s+(?:remise|distribution)|could\s+not\s+send\s+message\s+for\s+past|still\s+being\s+retried|message\s+retard[ée])/i;
const FAILURE_PHRASE_RE =
  /(?:could\s+not\s+be\s+delivered|delivery\s+(?:to\s+the\s+following\s+recipients?\s+)?(?:has\s+)?failed|user\s+unknown|unknown\s+user|mailbox\s+(?:unavailable|not\s+found|full)|recipient\s+address\s+rejected|n['’]a\s+pas\s+pu\s+[êe]tre\s+(?:remis|distribu[ée])|adresse\s+(?:introuvable|inconnue|invalide)|destinataire\s+(?:introuvable|inconnu)|no\s+such\s+user|does\s+not\s+exist)/i;
const STATUS_RE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
const EMAIL_RE = /[A-Za-z0-9._%+'=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const HEADER_PART_TYPES = new Set(['text/rfc822-headers', 'message/rfc822', 'message/global', 'message/global-headers']);

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
    recipients.push({
      address: addressOf(fields.get('final-recipient') ?? null) ?? addressOf(fields.get('original-recipient') ?? null),
      action: fields.get('action')?.toLowerCase().split(/[\s(]/)[0] ?? null,
      status: status ? (STATUS_RE.exec(status)?.[1] ?? status) : null,
      diagnostic: fields.get('diagnostic-code') ?? null,
    });
  }
  return recipients;
}

function messageIdIn(content: string | null | undefined): string | null {
  if (!content) return null;
  const m = /^[ \t>]*message-id\s*:\s*(<[^<>\s]+>)/im.exec(content);
  return m ? m[1] : null;
}

/** Detects a bounce; null when the message is not a delivery-status report. Never throws. */
export function detectBounce(input: BounceInput): BounceInfo | null {
  const reasons: string[] = [];
  let strong = false;
  const contentType = headerValue(input.headers, 'content-type');
  const reportType = mainValue(contentType) === 'multipart/report' ? headerParam(contentType, 'report-type') : null;
  if (reportType === 'disposition-notification') return null;
  if (reportType === 'delivery-status' || reportType === 'global-delivery-status') {
    strong = true;
    reasons.push('content-type:multipart/report;delivery-status');
  }

  const attachments = input.attachments ?? [];
  let recipients: DsnRecipient[] = [];
  for (const a of attachments) {
    if (DSN_TYPES.has(a.contentType.toLowerCase()) && a.content) {
      strong = true;
      if (!reasons.includes('part:message/delivery-status')) reasons.push('part:message/delivery-status');
      recipients.push(...parseDeliveryStatus(a.content));
    }
  }
  const text = input.text ?? '';
  if (recipients.length === 0 && /^\s*action\s*:/im.test(text) && /^\s*(?:final-recipient|status)\s*:/im.test(text)) {
    const fromText = parseDeliveryStatus(text);
    if (fromText.length) {
      recipients = fromText;
      reasons.push('text:delivery-status-fields');
      strong ||= reportType !== null || fromText.some((r) => r.status !== null);
    }
  }

  const failedHeader = headerValue(input.headers, 'x-failed-recipients');
  if (failedHeader) {
    strong = true;
    reasons.push('header:x-failed-recipients');
  }
  const ndrHeader = headerValue(input.headers, 'x-ms-exchange-message-is-ndr');
  if (ndrHeader !== null) {
    strong = true;
    reasons.push('header:x-ms-exchange-message-is-ndr');
  }

  const from = (input.from ?? '').trim();
  const daemon = DAEMON_RE.test(from) || DAEMON_NAME_RE.test((input.fromName ?? '').trim());
  if (daemon) reasons.push('from:mailer-daemon');
  const subject = input.subject ?? '';
  const failedSubject = FAILED_SUBJECT_RE.test(subject);
  const delaySubject = DELAY_SUBJECT_RE.test(subject);
  if (failedSubject) reasons.push('subject:delivery-failure');
  if (delaySubject) reasons.push('subject:delivery-delay');
  const textStatus = STATUS_RE.exec(text);
  const failurePhrase = FAILURE_PHRASE_RE.test(text);

  if (!strong) {
    const weakSignals = (daemon ? 1 : 0) + (failedSubject || delaySubject ? 1 : 0);
    const bodyEvidence = textStatus !== null || failurePhrase;
    if (!(weakSignals >= 1 && bodyEvidence) && weakSignals < 2) return null;
    if (textStatus) reasons.push('body:smtp-status');
    if (failurePhrase) reasons.push('body:failure-phrase');
  }

  // Recipients without a DSN: X-Failed-Recipients, then "<addr>: ..." lines of the body.
  if (recipients.length === 0) {
    const addrs: string[] = [];
    if (failedHeader) for (const a of failedHeader.split(',')) { const e = addressOf(a); if (e) addrs.push(e); }
    if (addrs.length === 0) {
      const m = /<([^<>\s@]+@[^<>\s]+)>\s*:/.exec(text) ?? /(?:remis\s+[àa]|delivered\s+to|recipients?:?|destinataires?\s*:?)\s*<?([A-Za-z0-9._%+'=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/i.exec(text);
      if (m) addrs.push(m[1].toLowerCase());
    }
    const status = textStatus?.[1] ?? null;
    const diagLine = status ? text.split('\n').find((l) => l.includes(status))?.trim() ?? null : null;
    for (const a of addrs) recipients.push({ address: a, action: null, status, diagnostic: diagLine });
    if (addrs.length === 0 && status) recipients.push({ address: null, action: null, status, diagnostic: diagLine });
  }

  const isFailed = (r: DsnRecipient): boolean => r.action === 'failed' || (r.status?.startsWith('5') ?? false);
  const isDelayed = (r: DsnRecipient): boolean => r.action === 'delayed' || (r.status?.startsWith('4') ?? false);
  let kind: BounceKind;
  if (recipients.some(isFailed)) kind = 'failed';
  else if (recipients.some(isDelayed) || (delaySubject && !failedSubject)) kind = 'delayed';
  else kind = 'failed';
  reasons.push(`bounce:${kind}`);

  const main = recipients.find(kind === 'failed' ? isFailed : isDelayed) ?? recipients[0] ?? null;

  let originalMessageId: string | null = null;
  for (const a of attachments) {
    if (HEADER_PART_TYPES.has(a.contentType.toLowerCase())) {
      originalMessageId = messageIdIn(a.content);
      if (originalMessageId) break;
    }
  }
  if (!originalMessageId) {
    // Headers of the original quoted in the body, after the DSN fields.
    const idx = text.search(/^[ \t>]*(?:received|return-path|from|to|subject|date|message-id)\s*:/im);
    originalMessageId = idx >= 0 ? messageIdIn(text.slice(idx)) : null;
  }

  return {
    kind,
    recipients,
    failedRecipient: main?.address ?? null,
    status: main?.status ?? null,
    diagnostic: main?.diagnostic ?? null,
    originalMessageId,
    reasons,
  };
}
