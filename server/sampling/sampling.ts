/**
 * Real-mail sampling (issue 15), the pure part: which incoming messages of a month are sampled
 * (the rule, a setting printed on the board), which reply of the sent folder answers each one
 * (In-Reply-To / References first, then the normalised subject and the correspondent), and the
 * verdict (answered within 5 working days of the French calendar, the delay in working days).
 * Also the referent's review of doubtful cases: which are doubtful, which replies of the sent
 * folder are candidates, and the verdict a decision gives.
 * Nothing here reads a body: only ids, addresses, subjects (in memory) and dates.
 */
import { workingDaysBetween, withinDeadline, type WorkingDayOptions } from '../campaigns/calendar/working-days';
import { normaliseMessageId, normaliseSubject } from '../campaigns/tracking/match-reply';
import type { SamplingRule } from './sampling-rule';

export const SAMPLING_INDICATOR = 'courriels-5j';
export const SAMPLING_DEADLINE_DAYS = 5;

export interface IncomingMail {
  /** Position in the fetch (IMAP uid), to report errors without content. */
  uid: number;
  messageId: string | null;
  /** Sender address, lowercased. */
  from: string | null;
  subject: string | null;
  date: Date;
  /** Why the message is left out (auto-reply, bounce, list, internal), or null. */
  excluded: string | null;
}

export interface SentMail {
  messageId: string | null;
  /** Recipient addresses (To, Cc), lowercased. */
  to: string[];
  subject: string | null;
  date: Date;
  inReplyTo: string | null;
  references: string[];
}

export type AnswerMethod = 'in-reply-to' | 'references' | 'subject';

export interface Verdict {
  uid: number;
  messageId: string | null;
  receivedAt: Date;
  answeredAt: Date | null;
  method: AnswerMethod | null;
  withinDeadline: boolean;
  /** Working days between the message and its answer (fractional), null when unanswered. */
  delayDays: number | null;
}

/**
 * The messages the rule keeps, oldest first (excluded messages never count). The caller gives
 * the messages of the rule's period (samplingPeriod): the month, or the week.
 */
export function applyRule(messages: readonly IncomingMail[], rule: SamplingRule): IncomingMail[] {
  const kept = messages.filter((m) => !m.excluded).sort((a, b) => a.date.getTime() - b.date.getTime() || a.uid - b.uid);
  return rule.kind === 'first' ? kept.slice(0, rule.n) : kept;
}

function idsOf(v: string | null | undefined): string[] {
  if (!v) return [];
  const found = v.match(/<[^<>\s]+>/g) ?? [v];
  return found.map((x) => normaliseMessageId(x)).filter((x): x is string => !!x);
}

/** The earliest reply (sent after the message) answering it, and how it was found. */
export function findAnswer(m: IncomingMail, sent: readonly SentMail[]): { reply: SentMail; method: AnswerMethod } | null {
  const after = sent.filter((s) => s.date.getTime() >= m.date.getTime()).sort((a, b) => a.date.getTime() - b.date.getTime());
  const id = normaliseMessageId(m.messageId);
  if (id) {
    const byIrt = after.find((s) => idsOf(s.inReplyTo).includes(id));
    if (byIrt) return { reply: byIrt, method: 'in-reply-to' };
    const byRefs = after.find((s) => s.references.flatMap(idsOf).includes(id));
    if (byRefs) return { reply: byRefs, method: 'references' };
  }
  const subject = normaliseSubject(m.subject);
  const from = m.from?.toLowerCase();
  if (!subject || !from) return null;
  const bySubject = after.find((s) => normaliseSubject(s.subject) === subject && s.to.includes(from));
  return bySubject ? { reply: bySubject, method: 'subject' } : null;
}

export function verdictOf(m: IncomingMail, sent: readonly SentMail[], cal: WorkingDayOptions): Verdict {
  const found = findAnswer(m, sent);
  const answeredAt = found?.reply.date ?? null;
  return {
    uid: m.uid, messageId: m.messageId, receivedAt: m.date, answeredAt, method: found?.method ?? null,
    withinDeadline: answeredAt ? withinDeadline(m.date, answeredAt, SAMPLING_DEADLINE_DAYS, cal) : false,
    delayDays: answeredAt ? workingDaysBetween(m.date, answeredAt, cal) : null,
  };
}

/** Share answered within the deadline, as the board stores it. */
export function summarise(verdicts: readonly Pick<Verdict, 'withinDeadline'>[]): { numerator: number; denominator: number; value: number | null } {
  const numerator = verdicts.filter((v) => v.withinDeadline).length;
  const denominator = verdicts.length;
  return { numerator, denominator, value: denominator ? (100 * numerator) / denominator : null };
}

/**
 * Doubtful: unanswered, or answered only by subject and correspondent (no header ties the
 * reply to the message). The referent may check these live in the mailbox.
 */
export function isDoubtful(method: string | null): boolean {
  return method === null || method === 'subject';
}

/**
 * Replies of the sent folder the referent may pick as the answer: sent after the message and
 * before `until`, to its sender or with the same normalised subject; oldest first.
 */
export function candidateReplies<T extends SentMail>(m: Pick<IncomingMail, 'from' | 'subject' | 'date'>, sent: readonly T[], until: Date): T[] {
  const subject = normaliseSubject(m.subject);
  const from = m.from?.toLowerCase() ?? null;
  return sent
    .filter((s) => s.date.getTime() >= m.date.getTime() && s.date.getTime() < until.getTime())
    .filter((s) => (from !== null && s.to.includes(from)) || (subject !== '' && normaliseSubject(s.subject) === subject))
    .sort((a, b) => a.date.getTime() - b.date.getTime());
}

export type ReviewDecision = 'answered' | 'unanswered' | 'excluded';
export const REVIEW_DECISIONS: readonly ReviewDecision[] = ['answered', 'unanswered', 'excluded'];

/**
 * The verdict after the referent's review: an answer found gives its date and the delay by the
 * working-day calendar; a confirmed non-answer is late; an excluded message leaves the count
 * (its `withinDeadline` is false and it is filtered out by the board).
 */
export function reviewedVerdict(receivedAt: Date, decision: ReviewDecision, answeredAt: Date | null, cal: WorkingDayOptions): { answeredAt: Date | null; withinDeadline: boolean; delayDays: number | null } {
  if (decision !== 'answered') return { answeredAt: null, withinDeadline: false, delayDays: null };
  if (!answeredAt || answeredAt.getTime() < receivedAt.getTime()) throw new RangeError('an answer needs a date after the message');
  return {
    answeredAt,
    withinDeadline: withinDeadline(receivedAt, answeredAt, SAMPLING_DEADLINE_DAYS, cal),
    delayDays: workingDaysBetween(receivedAt, answeredAt, cal),
  };
}
