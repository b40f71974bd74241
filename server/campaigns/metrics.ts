/**
 * The indicators of a mystery e-mail campaign (domain.md §3), for the whole campaign and per
 * service, from probe outcomes (outcomes.ts):
 *   accusés de réception        acknowledged / delivered
 *   réponses                    answered / delivered
 *   signatures conformes        conforming answers / answers
 *   réponses dans le délai      answers within the deadline / answers
 *   délai moyen de réponse      mean delay of answers in working days
 * plus the bounces (« adresse invalide »), listed apart. Delivered = sent and not bounced.
 * A cell whose denominator is below the minimum cell size is not shown: « effectif insuffisant ».
 * Pure: numbers in, numbers and French display strings out.
 */
import type { ProbeOutcome } from './outcomes';

export const INSUFFICIENT = 'effectif insuffisant';
const NNBSP = '\u202f';

export interface Ratio {
  numerator: number;
  denominator: number;
  /** null when the denominator is 0 or below the minimum cell size. */
  ratio: number | null;
  insufficient: boolean;
  display: string;
}

export interface MeanDelay {
  /** Mean working days, null when there is no answer or too few. */
  value: number | null;
  n: number;
  insufficient: boolean;
  display: string;
}

export interface Indicators {
  sent: number;
  delivered: number;
  bounced: number;
  acknowledgements: Ratio;
  answers: Ratio;
  conformingSignatures: Ratio;
  withinDeadline: Ratio;
  meanDelay: MeanDelay;
}

export interface ServiceIndicators extends Indicators {
  serviceKey: string;
  serviceName: string;
}

export interface CampaignMetrics {
  overall: Indicators;
  services: ServiceIndicators[];
  bounces: { probeId: string; serviceName: string; address: string }[];
}

/** 0.9 → « 90 % » (rounded to the unit, narrow no-break space). */
export function displayPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}${NNBSP}%`;
}

/** 1.5 → « 1,5 jours » (one decimal; the seed's wording); « jour » up to 1. */
export function displayDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  const text = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rounded);
  return `${text} ${rounded <= 1 ? 'jour' : 'jours'}`;
}

export function ratio(numerator: number, denominator: number, minCellSize: number): Ratio {
  if (denominator === 0) return { numerator, denominator, ratio: null, insufficient: minCellSize > 0, display: minCellSize > 0 ? INSUFFICIENT : '–' };
  if (denominator < minCellSize) return { numerator, denominator, ratio: null, insufficient: true, display: INSUFFICIENT };
  const r = numerator / denominator;
  return { numerator, denominator, ratio: r, insufficient: false, display: displayPercent(r) };
}

export function meanDelay(delays: readonly number[], minCellSize: number): MeanDelay {
  const n = delays.length;
  if (n === 0 || n < minCellSize) return { value: null, n, insufficient: true, display: INSUFFICIENT };
  const value = delays.reduce((a, b) => a + b, 0) / n;
  return { value, n, insufficient: false, display: displayDays(value) };
}

export function indicators(outcomes: readonly ProbeOutcome[], minCellSize: number): Indicators {
  const sent = outcomes.filter((o) => o.sent);
  const delivered = sent.filter((o) => o.delivered);
  const answered = delivered.filter((o) => o.answeredAt !== null);
  return {
    sent: sent.length,
    delivered: delivered.length,
    bounced: sent.filter((o) => o.bounced).length,
    acknowledgements: ratio(delivered.filter((o) => o.acknowledgedAt !== null).length, delivered.length, minCellSize),
    answers: ratio(answered.length, delivered.length, minCellSize),
    conformingSignatures: ratio(answered.filter((o) => o.signatureConforming === true).length, answered.length, minCellSize),
    withinDeadline: ratio(answered.filter((o) => o.withinDeadline === true).length, answered.length, minCellSize),
    meanDelay: meanDelay(answered.map((o) => o.answerDelay ?? 0), minCellSize),
  };
}

export function campaignMetrics(outcomes: readonly ProbeOutcome[], minCellSize: number): CampaignMetrics {
  const groups = new Map<string, ProbeOutcome[]>();
  for (const o of outcomes) {
    const list = groups.get(o.serviceKey) ?? [];
    list.push(o);
    groups.set(o.serviceKey, list);
  }
  const services = [...groups.entries()]
    .map(([serviceKey, list]) => ({ serviceKey, serviceName: list[0].serviceName, ...indicators(list, minCellSize) }))
    .sort((a, b) => a.serviceName.localeCompare(b.serviceName, 'fr'));
  return {
    overall: indicators(outcomes, minCellSize),
    services,
    bounces: outcomes.filter((o) => o.bounced).map((o) => ({ probeId: o.probeId, serviceName: o.serviceName, address: o.toAddress })),
  };
}
