/**
 * Real-mail sampling (issue 15), the pure part: which incoming messages of a month are sampled
 * (the rule, a setting printed on the board), which reply of the sent folder answers each one
 * (In-Reply-To / References first, then the normalised subject and the correspondent), and the
 * verdict (answered within 5 working days of the French calendar, the delay in working days).
 * Nothing here reads a body: only ids, addresses, subjects (in memory) and dates.
 */
import { workingDaysBetween, withinDeadline, type WorkingDayOptions } from '../campaigns/calendar/working-days';
import { normaliseMessageId, normaliseSubject } from '../campaigns/tracking/match-reply';

export const SAMPLING_INDICATOR = 'courriels-5j';
export const SAMPLING_DEADLINE_DAYS = 5;
/** Replies are looked for up to this many calendar days after the end of the sampled month. */
export const REPLY_WINDOW_DAYS = 21;

/** Every citizen message of the month, or only the first n (by date). */
export type SamplingRule = { kind: 'all' } | { kind: 'first'; n: number };

export function parseRule(s: string | null | undefined): SamplingRule | null {
  if (!s || s === 'all') return { kind: 'all' };
  const m = /^first:(\d{1,5})$/.exec(s);
  if (m && Number(m[1]) > 0) return { kind: 'first', n: Number(m[1]) };
  return null;
}

export function ruleKey(r: SamplingRule): string {
  return r.kind === 'all' ? 'all' : `first:${r.n}`;
}

/** The rule in French, printed on the board under the formula. */
export function ruleLabel(r: SamplingRule): string {
  const what = r.kind === 'all' ? 'tous les courriels d’usagers reçus dans le mois' : `les ${r.n} premiers courriels d’usagers reçus dans le mois`;
  return `Échantillon (réglage du référent) : ${what} ; réponses automatiques, retours en erreur, lettres d’information et listes, messages des domaines internes exclus ; réponse cherchée dans le dossier des envoyés (In-Reply-To/References, sinon objet et correspondant).`;
}

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

/** The messages the rule keeps, oldest first (excluded messages never count). */
export function applyRule(messages: readonly IncomingMail[], rule: SamplingRule): IncomingMail[] {
  const kept = messages.filter((m) => !m.excluded).sort((a, b) => a.date.getTime() - b.date.getTime() || a.uid - b.uid);
  return rule.kind === 'all' ? kept : kept.slice(0, rule.n);
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
