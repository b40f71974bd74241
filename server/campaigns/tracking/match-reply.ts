/**
 * Matches an incoming message to the probe it answers (domain.md §3). In order:
 * 1. In-Reply-To, then References, against the Message-IDs of our probes;
 * 2. for a delivery-status report, the Message-ID of the message that bounced;
 * 3. our token: in a recipient address (plus-address local+token@), the subject, or the text
 *    (quoted history included: a forward keeps it);
 * 4. for a bounce without those, the failed recipient address = the probe's address, else any
 *    other address the report names (DSN recipients, the To of the returned original);
 * 5. the normalised subject (RE:/TR:/Fwd:/AW:… and [tags] stripped, case and accents folded)
 *    + the sender's domain = the domain of the service address written to + a time window
 *    after the probe was sent. Replies often come from an agent's own address, or after a
 *    forward inside the service: only the domain is compared. When several probes qualify,
 *    the latest sent before the reply wins and the match is marked ambiguous.
 * Pure: plain data in, a verdict out.
 */

export type MatchMethod = 'in-reply-to' | 'references' | 'bounce-message-id' | 'token' | 'bounce-recipient' | 'subject';

export interface ProbeCandidate {
  id: string;
  messageId: string;
  token: string | null;
  subject: string;
  toAddress: string;
  /** Other addresses of the same service: their domains count as the service's too. */
  serviceAddresses?: readonly string[];
  sentAt: Date | null;
}

export interface IncomingForMatch {
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: readonly string[];
  subject?: string | null;
  from?: string | null;
  /** To, Cc, Delivered-To… (for plus-addressed tokens). */
  recipients?: readonly string[];
  /** The whole text, quoted history included. */
  text?: string | null;
  receivedAt: Date;
  bounce?: {
    originalMessageId?: string | null;
    failedRecipient?: string | null;
    /** Every address the report names (DSN recipients, the returned original's To). */
    otherRecipients?: readonly string[];
  } | null;
}

export interface MatchOptions {
  /** How long after sending a reply may be matched on subject alone (default 60 days). */
  windowDays?: number;
}

export interface MatchResult {
  probeId: string;
  method: MatchMethod;
  ambiguous: boolean;
}

const DAY_MS = 86_400_000;

/** `<a@b>` → `a@b`, lowercased domain part kept as is, for comparisons. */
export function normaliseMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /<([^<>\s]+)>/.exec(id);
  const v = (m ? m[1] : id.trim()).trim();
  return v ? v.toLowerCase() : null;
}

function splitIds(v: string | null | undefined): string[] {
  if (!v) return [];
  const found = v.match(/<[^<>\s]+>/g);
  return (found ?? [v]).map((x) => normaliseMessageId(x)).filter((x): x is string => !!x);
}

const PREFIX_RE = /^\s*(?:(?:re|r|tr|fw|fwd|aw|wg|rv|sv|vs|antw|ref|réf|rif|enc|odp|res|doorst)\s*(?:\[\d+\])?\s*[:：]\s*|\[[^\]]{0,40}\]\s*|\((?:ext|externe?|external)\)\s*)+/iu;

/** Subject with reply/forward prefixes and bracketed tags removed, accents and case folded. */
export function normaliseSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').normalize('NFKC');
  for (let i = 0; i < 10; i++) {
    const next = s.replace(PREFIX_RE, '');
    if (next === s) break;
    s = next;
  }
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function domainOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  return address.slice(at + 1).replace(/>.*$/, '').trim().toLowerCase() || null;
}

function tokenIn(token: string, incoming: IncomingForMatch): boolean {
  const t = token.toLowerCase();
  const plus = `+${t}@`;
  if ((incoming.recipients ?? []).some((a) => a.toLowerCase().includes(plus))) return true;
  // Tokens are random base-32 strings: a whole-word match is enough to rule out chance.
  const word = new RegExp(`(^|[^a-z0-9])${t}([^a-z0-9]|$)`, 'i');
  if (word.test(incoming.subject ?? '')) return true;
  return word.test(incoming.text ?? '');
}

export function matchReply(incoming: IncomingForMatch, probes: readonly ProbeCandidate[], opts: MatchOptions = {}): MatchResult | null {
  const byId = new Map<string, ProbeCandidate>();
  for (const p of probes) {
    const k = normaliseMessageId(p.messageId);
    if (k) byId.set(k, p);
  }
  const hit = (ids: string[], method: MatchMethod): MatchResult | null => {
    // References lists the thread oldest first: the most recent of ours is the one answered.
    for (let i = ids.length - 1; i >= 0; i--) {
      const p = byId.get(ids[i]);
      if (p) return { probeId: p.id, method, ambiguous: false };
    }
    return null;
  };

  const viaInReplyTo = hit(splitIds(incoming.inReplyTo), 'in-reply-to');
  if (viaInReplyTo) return viaInReplyTo;
  const viaReferences = hit((incoming.references ?? []).flatMap((r) => splitIds(r)), 'references');
  if (viaReferences) return viaReferences;
  if (incoming.bounce?.originalMessageId) {
    const viaBounce = hit(splitIds(incoming.bounce.originalMessageId), 'bounce-message-id');
    if (viaBounce) return viaBounce;
  }

  for (const p of probes) {
    if (p.token && p.token.length >= 6 && tokenIn(p.token, incoming)) return { probeId: p.id, method: 'token', ambiguous: false };
  }

  const received = incoming.receivedAt.getTime();
  const sentBefore = (p: ProbeCandidate) => p.sentAt !== null && p.sentAt.getTime() <= received + 5 * 60_000;
  const latest = (list: ProbeCandidate[]) => list.sort((a, b) => b.sentAt!.getTime() - a.sentAt!.getTime())[0];

  // The failed recipient first, then the other addresses the report names: a recipient rewritten
  // by a forward or an alias still leaves the probe's address in Original-Recipient or in the
  // returned original's To.
  const named = [incoming.bounce?.failedRecipient, ...(incoming.bounce?.otherRecipients ?? [])]
    .filter((a): a is string => !!a)
    .map((a) => a.toLowerCase());
  for (const address of new Set(named)) {
    const list = probes.filter((p) => p.toAddress.toLowerCase() === address && sentBefore(p));
    if (list.length) return { probeId: latest(list).id, method: 'bounce-recipient', ambiguous: list.length > 1 };
  }

  const subject = normaliseSubject(incoming.subject);
  const senderDomain = domainOf(incoming.from);
  if (!subject || !senderDomain) return null;
  const windowMs = (opts.windowDays ?? 60) * DAY_MS;
  const list = probes.filter((p) => {
    if (!sentBefore(p) || received - p.sentAt!.getTime() > windowMs) return false;
    if (normaliseSubject(p.subject) !== subject) return false;
    const domains = [p.toAddress, ...(p.serviceAddresses ?? [])].map(domainOf);
    return domains.includes(senderDomain);
  });
  if (!list.length) return null;
  return { probeId: latest(list).id, method: 'subject', ambiguous: list.length > 1 };
}
