/**
 * What the report needs from the mystery e-mail and mystery phone features: counts for an
 * organisation and a period, computed in SQL by those features' results modules. Reports
 * never compute those figures themselves; a source is an adapter over the feature's results
 * service (email.source.ts, phone.source.ts). A null source (a build without the feature)
 * makes its section say so; the rest of the report still prints.
 */
import type { Deps } from '../deps';
import { campaignEmailSource } from './email.source';
import type { Period } from './period';
import { programmePhoneSource } from './phone.source';

/** Mystery e-mail indicators of the messages sent in a period (definitions: domain.md §3). */
export interface EmailIndicators {
  /** Probes sent and not bounced. */
  delivered: number;
  /** Delivered probes that received an acknowledgement (automatic or written). */
  acknowledged: number;
  /** Delivered probes that received a substantive answer. */
  answered: number;
  /** Answers whose signature was assessed, and those meeting the checklist (« anonymat justifié » counts as meeting it). */
  signatureAssessed: number;
  signatureCompliant: number;
  /** Answers received within the deadline (end of the Nth working day after sending). */
  withinDeadline: number;
  /** Mean delay of answers in working days, over `answered` answers; null without answers. */
  meanDelayDays: number | null;
  /** Bounced probes (« adresse invalide »): listed, never dropped. */
  bounces: { service: string; address: string }[];
  settings: { deadlineDays: number; signatureChecklist: string[]; holidayZone: string; whitMondayWorked: boolean };
}

/** Mystery phone indicators of the calls received by an organisation in a period (domain.md §4). */
export interface PhoneIndicators {
  /** Calls made (submitted grids). */
  calls: number;
  /** Calls answered (« appels aboutis »). */
  answered: number;
  /** Marks out of 10 of answered calls: how many, their mean, how many reached the pass mark. */
  form: { n: number; mean: number | null; passed: number };
  substance: { n: number; mean: number | null; passed: number };
  /** Answers on substance graded « précise et correcte », among answers graded. */
  correctAnswers: { n: number; correct: number } | null;
  /** Answered before the 5th ring (Marianne), among calls where rings were counted. */
  pickupBefore5thRing: { n: number; yes: number } | null;
  settings: { passMark: number; maxAttempts: number; attemptWaitSeconds: number };
}

export interface EmailSource {
  indicators(orgId: string, period: Period): Promise<EmailIndicators | null>;
}

export interface PhoneSource {
  indicators(orgId: string, period: Period): Promise<PhoneIndicators | null>;
}

export interface ReportSources {
  email: EmailSource | null;
  phone: PhoneSource | null;
}

/** The sources wired in this build: adapters over the campaigns' and the phone feature's results. */
export function defaultSources(deps: Deps): ReportSources {
  return { email: campaignEmailSource(deps), phone: programmePhoneSource(deps) };
}
