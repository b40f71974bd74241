/**
 * View models of campaign pages and JSON: settings printed on every result, the indicator
 * table (the seed's lines), probe timelines. Numbers and dates are formatted here, in French;
 * views only print.
 */
import { formatDate, formatDateTime, formatNumber } from '../format';
import { HOLIDAY_ZONES } from './calendar/holidays';
import type { SignatureItemKey } from './classification/signature';
import { CLASS_LABELS, MODE_LABELS, SIGNATURE_LABELS } from './campaign.schemas';
import type { CampaignResults } from './campaign.service';
import type { CampaignRow, ProbeRow } from './campaign.store';
import type { Indicators, Ratio } from './metrics';
import type { ProbeOutcome } from './outcomes';

export const STATUS_LABELS = { draft: 'En préparation', running: 'En cours', closed: 'Close' } as const;
export const PROBE_STATE_LABELS = { planned: 'Prévu', sending: 'Envoi en cours', sent: 'Envoyé', failed: 'Échec d’envoi', cancelled: 'Annulé' } as const;

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function days(n: number | null): string {
  if (n === null) return '–';
  const v = Math.round(n * 10) / 10;
  return `${formatNumber(v, 1)} ${v <= 1 ? 'jour ouvré' : 'jours ouvrés'}`;
}

/** The settings a campaign's figures depend on, printed with every result. */
export function settingsOf(c: CampaignRow, minCellSize: number) {
  const zone = HOLIDAY_ZONES.find((z) => z.zone === c.holidayZone)?.label ?? c.holidayZone;
  return {
    mode: MODE_LABELS[c.mode],
    period: `du ${formatDate(`${c.periodStart}T12:00:00Z`)} au ${formatDate(`${c.periodEnd}T12:00:00Z`)}`,
    probesPerService: c.probesPerService,
    sendingWindow: c.mode === 'analyse'
      ? 'envoyés à la main depuis la boîte mystère ; messages lus dans son dossier des messages envoyés pour la période et les adresses visées'
      : `jours ouvrés, de ${hhmm(c.windowStart)} à ${hhmm(c.windowEnd)} (heure de Paris), répartis au hasard (tirage n° ${c.seed} : le même numéro redonne le même plan), jamais deux messages au même service le même jour`,
    deadline: `${c.deadlineDays} jours ouvrés (réponse reçue avant la fin du ${c.deadlineDays}e jour ouvré suivant l’envoi)`,
    holidays: `${zone}, lundi de Pentecôte ${c.whitMondayWorked ? 'travaillé (journée de solidarité)' : 'férié'}`,
    signatureChecklist: (c.signatureChecklist as SignatureItemKey[]).map((k) => SIGNATURE_LABELS[k] ?? k),
    retention: `${c.retentionDays} jours après la fin de la période`,
    minCellSize: `${minCellSize} (en dessous : « effectif insuffisant »)`,
    definitions: 'Messages distribués = envoyés et non revenus en erreur. Accusé de réception : automatique ou écrit (une absence d’agent n’en est pas un). Délai en jours ouvrés (lundi–vendredi hors fériés, heure de Paris).',
  };
}

function ratioJson(r: Ratio) {
  return { numerator: r.numerator, denominator: r.denominator, ratio: r.ratio, insufficient: r.insufficient, display: r.display };
}

export function indicatorsJson(i: Indicators) {
  return {
    sent: i.sent, delivered: i.delivered, bounced: i.bounced,
    acknowledgements: ratioJson(i.acknowledgements), answers: ratioJson(i.answers),
    conformingSignatures: ratioJson(i.conformingSignatures), withinDeadline: ratioJson(i.withinDeadline),
    meanDelay: { value: i.meanDelay.value === null ? null : Math.round(i.meanDelay.value * 100) / 100, n: i.meanDelay.n, insufficient: i.meanDelay.insufficient, display: i.meanDelay.display },
  };
}

/** The seed's table: one line per indicator, the figure and n. */
export function indicatorRows(i: Indicators, deadlineDays: number) {
  const n = (r: Ratio) => `${r.numerator} / ${r.denominator}`;
  return [
    { label: 'Accusés de réception', value: i.acknowledgements.display, n: n(i.acknowledgements), definition: 'messages ayant reçu un accusé de réception / messages distribués' },
    { label: 'Réponses', value: i.answers.display, n: n(i.answers), definition: 'messages ayant reçu une réponse / messages distribués' },
    { label: 'Signatures conformes', value: i.conformingSignatures.display, n: n(i.conformingSignatures), definition: 'réponses dont la signature est conforme / réponses' },
    { label: `Réponses dans les ${deadlineDays} jours ouvrés`, value: i.withinDeadline.display, n: n(i.withinDeadline), definition: `réponses reçues dans les ${deadlineDays} jours ouvrés / réponses` },
    { label: 'Délai moyen de réponse', value: i.meanDelay.display, n: `${i.meanDelay.n} réponse${i.meanDelay.n > 1 ? 's' : ''}`, definition: 'moyenne des délais de réponse, en jours ouvrés' },
  ];
}

export function resultsJson(r: CampaignResults, minCellSize: number) {
  const c = r.campaign;
  const diag = new Map(r.replies.map((x) => [x.id, x]));
  return {
    campaign: { id: c.id, name: c.name, mode: c.mode, status: c.status, periodStart: c.periodStart, periodEnd: c.periodEnd },
    settings: {
      ...settingsOf(c, minCellSize),
      values: {
        probesPerService: c.probesPerService, windowStart: hhmm(c.windowStart), windowEnd: hhmm(c.windowEnd), seed: c.seed,
        deadlineDays: c.deadlineDays, holidayZone: c.holidayZone, whitMondayWorked: c.whitMondayWorked,
        signatureChecklist: c.signatureChecklist, retentionDays: c.retentionDays, minCellSize,
      },
    },
    indicators: indicatorsJson(r.metrics.overall),
    services: r.metrics.services.map((s) => ({ service: s.serviceName, ...indicatorsJson(s) })),
    bounces: r.outcomes.filter((o) => o.bounced).map((o) => {
      const b = o.bounceReplyId ? diag.get(o.bounceReplyId) : undefined;
      return { probeId: o.probeId, service: o.serviceName, address: o.toAddress, finding: 'adresse invalide', diagnostic: b?.bounceDiagnostic ?? null, receivedAt: b?.receivedAt ?? null };
    }),
  };
}

export function probeRow(p: ProbeRow, o: ProbeOutcome | undefined) {
  return {
    id: p.id,
    service: o?.serviceName ?? '',
    address: p.toAddress,
    subject: p.subject,
    state: p.state,
    stateLabel: o?.bounced ? 'Adresse invalide' : PROBE_STATE_LABELS[p.state],
    plannedAt: p.plannedAt ? formatDateTime(p.plannedAt) : '–',
    sentAt: p.sentAt && p.state !== 'planned' ? formatDateTime(p.sentAt) : '–',
    acknowledgedAt: o?.acknowledgedAt ? formatDateTime(o.acknowledgedAt) : '–',
    acknowledgementDelay: o?.acknowledgementDelay != null ? days(o.acknowledgementDelay) : '–',
    answeredAt: o?.answeredAt ? formatDateTime(o.answeredAt) : '–',
    answerDelay: o?.answerDelay != null ? days(o.answerDelay) : '–',
    withinDeadline: o?.withinDeadline == null ? '–' : o.withinDeadline ? 'oui' : 'non',
    signature: o?.signatureConforming == null ? '–' : o.signatureConforming ? 'conforme' : `incomplète (${o.missingItems.map((k) => SIGNATURE_LABELS[k].toLowerCase()).join(', ')})`,
    lastError: p.lastError,
  };
}

export function probeJson(p: ProbeRow, o: ProbeOutcome | undefined) {
  return {
    id: p.id, service: o?.serviceName ?? null, address: p.toAddress, subject: p.subject, origin: p.origin, state: p.state,
    plannedAt: p.plannedAt, sentAt: p.state === 'planned' ? null : p.sentAt, lastError: p.lastError,
    delivered: o?.delivered ?? false, bounced: o?.bounced ?? false,
    acknowledgedAt: o?.acknowledgedAt ?? null, acknowledgementDelay: o?.acknowledgementDelay ?? null,
    answeredAt: o?.answeredAt ?? null, answerDelay: o?.answerDelay ?? null, withinDeadline: o?.withinDeadline ?? null,
    signatureConforming: o?.signatureConforming ?? null, missingItems: o?.missingItems ?? [], anonymityJustified: o?.anonymityJustified ?? false,
  };
}

export { CLASS_LABELS };
