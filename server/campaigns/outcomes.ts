/**
 * What happened to one probe, from its state and the replies matched to it (effective values,
 * i.e. after the referent's corrections):
 * - sent: the probe left (state 'sent'); bounced: a failed delivery report came back (a delayed
 *   report is only a warning); delivered = sent and not bounced (domain.md §3);
 * - acknowledged: at least one acknowledgement (automatic, written, or a read receipt);
 *   an out-of-office notice of an agent is not the service's acknowledgement, and an answer is
 *   counted as an answer, not as an acknowledgement;
 * - answered: the first substantive answer; its delay in working days (fractional) and whether
 *   it came within the deadline (calendar/working-days.ts); its signature conforms when every
 *   checklist item is present, the name items being waived when the referent marked
 *   « anonymat justifié ».
 * Pure: no clock, no I/O.
 */
import { withinDeadline, workingDaysBetween, type WorkingDayOptions } from './calendar/working-days';
import type { ReplyClass } from './classification/reply-classifier';
import type { SignatureItemKey } from './classification/signature';

export interface ReplyFacts {
  id: string;
  replyClass: ReplyClass;
  bounceKind?: 'failed' | 'delayed' | null;
  receivedAt: Date;
  signature: Partial<Record<SignatureItemKey, boolean>> | null;
  anonymityJustified: boolean;
}

export interface ProbeFacts {
  probeId: string;
  serviceKey: string;
  serviceName: string;
  toAddress: string;
  state: 'planned' | 'sending' | 'sent' | 'failed' | 'cancelled';
  sentAt: Date | null;
  replies: readonly ReplyFacts[];
}

export interface OutcomeRules {
  checklist: readonly SignatureItemKey[];
  deadlineDays: number;
  calendar: WorkingDayOptions;
}

export interface ProbeOutcome {
  probeId: string;
  serviceKey: string;
  serviceName: string;
  toAddress: string;
  sent: boolean;
  bounced: boolean;
  delivered: boolean;
  bounceReplyId: string | null;
  acknowledgedAt: Date | null;
  acknowledgementDelay: number | null;
  answerReplyId: string | null;
  answeredAt: Date | null;
  answerDelay: number | null;
  withinDeadline: boolean | null;
  signatureConforming: boolean | null;
  missingItems: SignatureItemKey[];
  anonymityJustified: boolean;
}

/** Items a justified anonymity waives (CRPA L111-2: the name may be withheld for security). */
export const ANONYMITY_WAIVED: readonly SignatureItemKey[] = ['firstName', 'lastName'];

const byTime = (a: ReplyFacts, b: ReplyFacts) => a.receivedAt.getTime() - b.receivedAt.getTime();

export function probeOutcome(p: ProbeFacts, rules: OutcomeRules): ProbeOutcome {
  const sent = p.state === 'sent' && p.sentAt !== null;
  const replies = [...p.replies].sort(byTime);
  const bounce = replies.find((r) => r.replyClass === 'bounce' && r.bounceKind !== 'delayed');
  const bounced = sent && !!bounce;
  const delivered = sent && !bounced;
  const out: ProbeOutcome = {
    probeId: p.probeId, serviceKey: p.serviceKey, serviceName: p.serviceName, toAddress: p.toAddress,
    sent, bounced, delivered, bounceReplyId: bounced ? bounce!.id : null,
    acknowledgedAt: null, acknowledgementDelay: null, answerReplyId: null, answeredAt: null, answerDelay: null,
    withinDeadline: null, signatureConforming: null, missingItems: [], anonymityJustified: false,
  };
  if (!delivered) return out;
  const ack = replies.find((r) => r.replyClass === 'acknowledgement');
  if (ack) {
    out.acknowledgedAt = ack.receivedAt;
    out.acknowledgementDelay = workingDaysBetween(p.sentAt!, ack.receivedAt, rules.calendar);
  }
  const answer = replies.find((r) => r.replyClass === 'answer');
  if (answer) {
    out.answerReplyId = answer.id;
    out.answeredAt = answer.receivedAt;
    out.answerDelay = workingDaysBetween(p.sentAt!, answer.receivedAt, rules.calendar);
    out.withinDeadline = withinDeadline(p.sentAt!, answer.receivedAt, rules.deadlineDays, rules.calendar);
    out.anonymityJustified = answer.anonymityJustified;
    const required = answer.anonymityJustified ? rules.checklist.filter((k) => !ANONYMITY_WAIVED.includes(k)) : rules.checklist;
    out.missingItems = required.filter((k) => !answer.signature?.[k]);
    out.signatureConforming = out.missingItems.length === 0;
  }
  return out;
}
