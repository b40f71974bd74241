/**
 * Classifies an incoming message received in reply to a mystery e-mail (domain.md §3):
 * 'bounce' | 'acknowledgement' | 'out_of_office' | 'answer' | 'unrelated'.
 *
 * Order of decisions (the first that applies wins; `reasons` lists every signal seen):
 * 1. bounce: a delivery-status report (bounce.ts). A delayed DSN is class 'bounce' too, with
 *    `bounce.kind === 'delayed'`: only `kind === 'failed'` means « adresse invalide ».
 * 1b. other reports: an ARF feedback report, or a delivery-status report that names no failed
 *    or delayed recipient (delivered, relayed, expanded): 'unrelated'.
 * 2. read receipt (multipart/report; report-type=disposition-notification): 'acknowledgement'
 *    with low confidence (the service's client confirmed the message was displayed).
 * 3. automatic reply (autoreply.ts): 'out_of_office' when it is an individual agent's absence
 *    notice, else 'acknowledgement'.
 * 4. newsletter / list traffic (Precedence: bulk, List-*) without acknowledgement wording, unless
 *    the caller says it is linked to a probe: 'unrelated'.
 * 5. no automatic header but the new text is an absence notice (≤ 80 words before the
 *    signature): 'out_of_office'.
 * 6. a short human acknowledgement: the text has an acknowledgement phrase and, once greetings,
 *    acknowledgement and "we will answer" sentences are removed, at most 12 words remain before
 *    the signature: 'acknowledgement'.
 * 7. `isLinkedToProbe === false` (or a spam flag while not linked): 'unrelated'.
 * 8. nothing new in the text and no attachment: 'unrelated'; only attachments: 'answer'
 *    (a letter sent as PDF), low confidence.
 * 9. otherwise 'answer', with the signature checklist items.
 *
 * The referent can always correct the class (kept elsewhere with who and when).
 * Pure: works on a plain structure; fromParsedMail adapts mailparser's ParsedMail.
 */
import type { ParsedMail } from 'mailparser';
import { detectAutoReply, hasAcknowledgementPhrase, hasPromisePhrase } from './autoreply';
import { detectBounce, type BounceInfo } from './bounce';
import { headerParam, headerValue, mainValue, type HeaderBag } from './headers';
import { replyBody, stripQuotes } from './quote-strip';
import { salvageBodyFromRaw } from './raw-salvage';
import { detectSignature, findSignatureBlock, type SignatureItems } from './signature';

export type ReplyClass = 'acknowledgement' | 'answer' | 'out_of_office' | 'bounce' | 'unrelated';

export const REPLY_CLASSES: readonly ReplyClass[] = ['acknowledgement', 'answer', 'out_of_office', 'bounce', 'unrelated'];

export interface ReplyAttachment {
  contentType: string;
  filename?: string | null;
  /** 'attachment' | 'inline' | … */
  disposition?: string | null;
  /** Decoded text content, only for textual report parts (delivery-status, rfc822 headers…). */
  content?: string | null;
  /** True for images embedded in HTML (cid:). */
  related?: boolean;
}

/** The minimal message structure the classifier needs. */
export interface ReplyInput {
  /** Lowercase header names → raw unfolded values. */
  headers: HeaderBag;
  /** Sender address. */
  from?: string | null;
  /** Sender display name. */
  fromName?: string | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  attachments?: readonly ReplyAttachment[];
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: readonly string[];
  /** The Date header, only when it parses (mailparser substitutes the current time otherwise). */
  date?: Date | null;
  /** True when the body was recovered from the raw source (broken MIME structure). */
  salvaged?: boolean;
}

export interface ClassifyOptions {
  /** Whether the caller matched this message to a probe (In-Reply-To, token, subject…); undefined = unknown. */
  isLinkedToProbe?: boolean;
}

export interface ReplyClassification {
  class: ReplyClass;
  reasons: string[];
  /** 0..1, heuristic. */
  confidence: number;
  /** The new text of the message, quoted history removed (HTML converted when there is no text part). */
  answerText: string;
  /** Set for class 'bounce'. */
  bounce?: BounceInfo;
  /** Set for class 'answer': the signature checklist items. */
  signature?: SignatureItems;
}

/** simpleParser options that keep DSN parts as attachments and let us convert HTML ourselves. */
export const CLASSIFIER_PARSER_OPTIONS = Object.freeze({ keepDeliveryStatus: true, skipHtmlToText: true });

const TEXTUAL_PARTS = /^(?:message\/(?:delivery-status|global-delivery-status|rfc822|global|global-headers|disposition-notification|feedback-report)|text\/rfc822-headers)$/i;
const MAX_PART_TEXT = 200_000;

/**
 * Decoded text of a textual part kept as an attachment (report parts, and a text/plain part
 * attached beside the body, where some MTAs put a bounce's explanation), in its declared
 * charset (iso-2022-jp, windows-1252…) when the runtime knows it, else UTF-8.
 */
function partText(a: ParsedMail['attachments'][number]): string | null {
  if (!a.content || a.content.length === 0) return null;
  const bytes = a.content.subarray(0, MAX_PART_TEXT * 2);
  const ct = a.headers?.get('content-type') as { params?: Record<string, string> } | string | undefined;
  const charset = typeof ct === 'object' && ct?.params?.charset ? ct.params.charset : /charset=["']?([\w.:-]+)/i.exec(a.contentType ?? '')?.[1];
  let decoded: string;
  try {
    decoded = new TextDecoder(charset && /^text\//i.test(a.contentType) ? charset : 'utf-8').decode(bytes);
  } catch {
    decoded = bytes.toString('utf8');
  }
  return decoded.slice(0, MAX_PART_TEXT);
}

function unfoldHeaderLine(line: string): { value: string } {
  const colon = line.indexOf(':');
  const raw = colon >= 0 ? line.slice(colon + 1) : '';
  return { value: raw.replace(/\r?\n[ \t]+/g, ' ').trim() };
}

function headerMapToStrings(headers: ParsedMail['headers']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of headers) {
    const list = Array.isArray(v) ? v : [v];
    out[k] = list.map((x: unknown) => {
      if (typeof x === 'string') return x;
      if (x instanceof Date) return x.toISOString();
      if (x && typeof x === 'object') {
        const o = x as { text?: unknown; value?: unknown; params?: Record<string, string> };
        if (typeof o.text === 'string') return o.text;
        if (typeof o.value === 'string') {
          const params = o.params ? Object.entries(o.params).map(([pk, pv]) => `; ${pk}="${pv}"`).join('') : '';
          return `${o.value}${params}`;
        }
      }
      return String(x);
    });
  }
  return out;
}

/**
 * Adapts mailparser's ParsedMail (from simpleParser, ideally with CLASSIFIER_PARSER_OPTIONS) to
 * ReplyInput. Pass the raw source too: when mailparser found no body at all in a multipart
 * message (broken boundary), the text is salvaged from it.
 */
export function fromParsedMail(m: ParsedMail, raw?: Buffer | string): ReplyInput {
  const headers: Record<string, string[]> = {};
  if (m.headerLines && m.headerLines.length) {
    for (const { key, line } of m.headerLines) {
      (headers[key.toLowerCase()] ??= []).push(unfoldHeaderLine(line).value);
    }
  } else if (m.headers) {
    Object.assign(headers, headerMapToStrings(m.headers));
  }
  const sender = m.from?.value?.[0];
  const rawDate = headers['date']?.[0];
  const date = rawDate && Number.isFinite(Date.parse(rawDate)) && m.date instanceof Date ? m.date : null;
  let text = typeof m.text === 'string' ? m.text : null;
  const html = typeof m.html === 'string' ? m.html : null;
  let salvaged = false;
  if (raw !== undefined && !text?.trim() && !html?.trim() && (m.attachments ?? []).length === 0) {
    const recovered = salvageBodyFromRaw(raw);
    if (recovered) {
      text = recovered;
      salvaged = true;
    }
  }
  const refs = m.references === undefined ? [] : Array.isArray(m.references) ? m.references : [m.references];
  return {
    headers,
    from: sender?.address ?? null,
    fromName: sender?.name || null,
    subject: m.subject ?? null,
    text,
    html,
    attachments: (m.attachments ?? []).map((a) => ({
      contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
      filename: a.filename ?? null,
      disposition: a.contentDisposition ?? null,
      related: a.related ?? false,
      content: TEXTUAL_PARTS.test(a.contentType || '') || /^text\/plain$/i.test(a.contentType || '') ? partText(a) : null,
    })),
    messageId: m.messageId ?? null,
    inReplyTo: m.inReplyTo ?? null,
    references: refs,
    date,
    salvaged,
  };
}

const GREETING_RE = /^\s*(?:bonjour|bonsoir|madame|monsieur|mesdames|messieurs|hello|dear|merci\s+(?:pour|de)\s+votre\s+(?:message|courriel|mail|demande|e-?mail)|thank\s+you\s+for\s+your\s+(?:message|e-?mail))\b[^.!?\n]*[.!?,]?\s*$/i;

function words(s: string): number {
  const m = s.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu);
  return m ? m.length : 0;
}

/** The text before the signature block. */
function contentPart(answer: string): string {
  const { block } = findSignatureBlock(answer);
  return block ? answer.slice(0, block.start) : answer;
}

/** Words left once greetings, acknowledgement and "we will answer" sentences are removed. */
function substantiveWords(content: string): number {
  const sentences = content
    .replace(/\s*\n\s*/g, '\n')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let n = 0;
  for (const s of sentences) {
    if (GREETING_RE.test(s)) continue;
    if (hasAcknowledgementPhrase(s) || hasPromisePhrase(s)) continue;
    n += words(s);
  }
  return n;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Classifies one incoming message. Never throws on malformed input. */
export function classifyReply(input: ReplyInput, opts: ClassifyOptions = {}): ReplyClassification {
  const reasons: string[] = [];
  const linked = opts.isLinkedToProbe;
  let body = '';
  try {
    body = replyBody({ text: input.text, html: input.html });
  } catch {
    body = '';
  }
  let answerText = '';
  try {
    answerText = stripQuotes(body).text;
  } catch {
    answerText = body;
  }
  if ((!input.text || input.text.trim() === '') && input.html) reasons.push('body:from-html');
  if (input.salvaged) reasons.push('body:salvaged-from-raw');

  // 1. Bounce.
  const bounce = detectBounce({
    headers: input.headers,
    from: input.from,
    fromName: input.fromName,
    subject: input.subject,
    text: body,
    attachments: input.attachments,
  });
  if (bounce) {
    const strong = bounce.reasons.some((r) => r.startsWith('content-type:') || r.startsWith('part:') || r.startsWith('header:'));
    return { class: 'bounce', reasons: [...reasons, ...bounce.reasons], confidence: strong ? 0.98 : 0.85, answerText, bounce };
  }

  // 1b. Other reports: ARF feedback (abuse, opt-out) and DSNs reporting a delivery are no reply.
  const ct = headerValue(input.headers, 'content-type');
  const report = mainValue(ct) === 'multipart/report' ? headerParam(ct, 'report-type') : null;
  if (report === 'feedback-report' || (input.attachments ?? []).some((a) => a.contentType === 'message/feedback-report')) {
    reasons.push('report:feedback');
    return { class: 'unrelated', reasons, confidence: 0.95, answerText };
  }
  if (report === 'delivery-status' || report === 'global-delivery-status') {
    reasons.push('report:delivery-without-failure');
    return { class: 'unrelated', reasons, confidence: 0.9, answerText };
  }

  // 2. Read receipt.
  const contentType = headerValue(input.headers, 'content-type');
  const isMdn =
    (mainValue(contentType) === 'multipart/report' && headerParam(contentType, 'report-type') === 'disposition-notification') ||
    (input.attachments ?? []).some((a) => a.contentType === 'message/disposition-notification');
  if (isMdn) {
    reasons.push('read-receipt');
    return { class: 'acknowledgement', reasons, confidence: 0.6, answerText };
  }

  // 3. Automatic replies.
  const auto = detectAutoReply({ headers: input.headers, subject: input.subject, from: input.from, text: answerText });
  reasons.push(...auto.reasons);
  if (auto.automatic) {
    if (auto.kind === 'out_of_office') {
      return { class: 'out_of_office', reasons, confidence: auto.outOfOfficePhrase ? 0.95 : 0.85, answerText };
    }
    return { class: 'acknowledgement', reasons, confidence: auto.acknowledgementPhrase ? 0.95 : 0.85, answerText };
  }

  // 4. Newsletters and list traffic.
  if (auto.bulk && !auto.acknowledgementPhrase && !auto.outOfOfficePhrase && linked !== true) {
    reasons.push('bulk-not-linked');
    return { class: 'unrelated', reasons, confidence: linked === false ? 0.9 : 0.75, answerText };
  }

  const content = contentPart(answerText);
  const contentWords = words(content);

  // 5. Absence notice written or configured without automatic headers.
  if (auto.outOfOfficePhrase && contentWords <= 80) {
    reasons.push('short-absence-notice');
    return { class: 'out_of_office', reasons, confidence: 0.75, answerText };
  }

  // 6. Short human acknowledgement.
  if (auto.acknowledgementPhrase) {
    const rest = substantiveWords(content);
    if (rest <= 12) {
      reasons.push('short-human-acknowledgement');
      return { class: 'acknowledgement', reasons, confidence: 0.8, answerText };
    }
    reasons.push('acknowledgement-phrase-in-answer');
  }

  // 7. Not linked to a probe.
  const spam = /^\s*yes\b/i.test(headerValue(input.headers, 'x-spam-flag') ?? '');
  if (spam) reasons.push('header:x-spam-flag');
  if (linked === false) {
    reasons.push('not-linked-to-probe');
    return { class: 'unrelated', reasons, confidence: 0.8, answerText };
  }
  if (spam && linked !== true) {
    return { class: 'unrelated', reasons, confidence: 0.7, answerText };
  }

  // 8. Empty new text.
  if (words(answerText) === 0) {
    const files = (input.attachments ?? []).filter((a) => !a.related && !TEXTUAL_PARTS.test(a.contentType));
    if (files.length) {
      reasons.push('attachment-only');
      return { class: 'answer', reasons, confidence: 0.5, answerText, signature: detectSignature(answerText).items };
    }
    reasons.push('empty-body');
    return { class: 'unrelated', reasons, confidence: 0.4, answerText };
  }

  // 9. Substantive answer.
  reasons.push('substantive-text');
  if (auto.weak) reasons.push('weak-automatic-signals-ignored');
  const confidence = input.salvaged ? 0.5 : linked === true ? 0.9 : auto.weak ? 0.6 : 0.8;
  return { class: 'answer', reasons, confidence: round2(confidence), answerText, signature: detectSignature(answerText).items };
}
