/**
 * The mystery e-mail and mystery phone sections of a report, in the seed's layout: one line
 * per indicator, its figure, n, the national target where one exists, the change against
 * the comparison period; a bar chart and the trend of the key indicator. Counts come from
 * the features' own results modules through sources.ts.
 */
import { formatNumber } from '../format';
import { barChart, trendChart } from './charts';
import { buildRow, type ReportRow, type RowInput } from './metrics';
import { shortLabel, type Period } from './period';
import type { ReportBlock, ReportSectionModel } from './report.model';
import type { SectionParams } from './satisfaction.section';
import type { EmailIndicators, EmailSource, PhoneIndicators, PhoneSource } from './sources';

/** National target of answered calls (Qual-e-pref, domain.md §5). */
export const ANSWERED_CALLS_TARGET = 0.9;

const SIGNATURE_ITEM_LABELS: Record<string, string> = {
  first_name: 'prénom', firstName: 'prénom', prenom: 'prénom',
  last_name: 'nom', lastName: 'nom', surname: 'nom', nom: 'nom',
  function: 'qualité', role: 'qualité', qualite: 'qualité',
  service: 'service',
  address: 'adresse administrative', adresse: 'adresse administrative',
  phone: 'téléphone', telephone: 'téléphone',
};

const ZONE_LABELS: Record<string, string> = {
  metropole: 'métropole', 'alsace-moselle': 'Alsace-Moselle', guadeloupe: 'Guadeloupe', martinique: 'Martinique',
  guyane: 'Guyane', reunion: 'La Réunion', mayotte: 'Mayotte', 'saint-martin': 'Saint-Martin',
};
export const holidayZoneLabel = (z: string) => ZONE_LABELS[z] ?? z;

function emailInputs(e: EmailIndicators): RowInput[] {
  return [
    { key: 'accuses_reception', label: 'Accusés de réception reçus', kind: 'share', num: e.acknowledged, den: e.delivered },
    { key: 'reponses', label: 'Réponses', kind: 'share', num: e.answered, den: e.delivered },
    { key: 'signatures_conformes', label: 'Signatures conformes', kind: 'share', num: e.signatureCompliant, den: e.signatureAssessed },
    { key: 'reponses_dans_delai', label: `Réponses dans les ${e.settings.deadlineDays} jours ouvrés`, kind: 'share', num: e.withinDeadline, den: e.answered },
    { key: 'delai_moyen', label: 'Délai moyen de réponse', kind: 'days', mean: e.meanDelayDays, den: e.answered },
  ];
}

function phoneInputs(x: PhoneIndicators): RowInput[] {
  const pass = formatNumber(x.settings.passMark, Number.isInteger(x.settings.passMark) ? 0 : 1);
  const out: RowInput[] = [
    { key: 'appels_aboutis', label: 'Taux d’appels aboutis', kind: 'share', num: x.answered, den: x.calls, target: ANSWERED_CALLS_TARGET },
    { key: 'note_forme', label: 'Note moyenne sur la forme', kind: 'mark', mean: x.form.mean, den: x.form.n },
    { key: 'note_fond', label: 'Note moyenne sur le fond', kind: 'mark', mean: x.substance.mean, den: x.substance.n },
    { key: 'forme_reussie', label: `Appels notés au moins ${pass}/10 sur la forme`, kind: 'share', num: x.form.passed, den: x.form.n },
    { key: 'fond_reussi', label: `Appels notés au moins ${pass}/10 sur le fond`, kind: 'share', num: x.substance.passed, den: x.substance.n },
  ];
  if (x.correctAnswers) out.push({ key: 'reponses_correctes', label: 'Réponses précises et correctes', kind: 'share', num: x.correctAnswers.correct, den: x.correctAnswers.n });
  if (x.pickupBefore5thRing) out.push({ key: 'decroche_5_sonneries', label: 'Décroché avant la 5e sonnerie', kind: 'share', num: x.pickupBefore5thRing.yes, den: x.pickupBefore5thRing.n });
  return out;
}

/** Pairs current inputs with the comparison period's inputs of the same key. */
function rowsOf(current: RowInput[], previous: RowInput[] | null, minCell: number): ReportRow[] {
  return current.map((c) => {
    const prev = previous?.find((q) => q.key === c.key);
    return buildRow({ ...c, previous: previous ? { num: prev?.num ?? 0, den: prev?.den ?? 0, mean: prev?.mean ?? null } : null }, minCell);
  });
}

interface Spec<T> {
  id: 'email' | 'phone';
  title: string;
  source: { indicators(orgId: string, period: Period): Promise<T | null> } | null;
  notWired: string;
  noData: string;
  inputs: (x: T) => RowInput[];
  /** The indicator the trend follows. */
  trendKey: string;
  subtitle: (x: T) => string;
  findings?: (x: T) => ReportBlock['findings'];
  methods: (x: T | null) => string[];
}

async function mysterySection<T>(spec: Spec<T>, orgId: string, p: SectionParams): Promise<ReportSectionModel> {
  const base = { id: spec.id, title: spec.title, blocks: [] as ReportBlock[] };
  if (!spec.source) return { ...base, unavailable: spec.notWired, methods: spec.methods(null) };
  const source = spec.source;
  const current = await source.indicators(orgId, p.period);
  if (!current) return { ...base, unavailable: spec.noData, methods: spec.methods(null) };
  const previous = p.comparison ? await source.indicators(orgId, p.comparison) : null;
  const rows = rowsOf(spec.inputs(current), p.comparison ? (previous ? spec.inputs(previous) : []) : null, p.minCell);
  const trend = [];
  for (const period of p.trend) {
    const x = period.from === p.period.from && period.to === p.period.to ? current : await source.indicators(orgId, period);
    const input = x ? spec.inputs(x).find((i) => i.key === spec.trendKey) : undefined;
    const r = buildRow(input ?? { key: spec.trendKey, label: '', kind: 'share', num: 0, den: 0 }, p.minCell);
    trend.push({ period, label: shortLabel(period), value: r.value, display: r.display, n: r.n });
  }
  const trendRow = rows.find((r) => r.key === spec.trendKey)!;
  const shares = rows.filter((r) => r.kind === 'share');
  const block: ReportBlock = {
    key: spec.id,
    title: spec.title,
    subtitle: spec.subtitle(current),
    rows,
    trendLabel: trendRow.label,
    trend,
    charts: {
      bars: barChart({
        id: `chart-${spec.id}`, title: `${spec.title} : indicateurs`,
        bars: shares.map((r) => ({ label: r.label, value: r.value, low: r.ci?.low, high: r.ci?.high, target: r.target?.value, note: r.display })),
      }),
      trend: trend.length > 1
        ? trendChart({
            id: `trend-${spec.id}`, title: `${trendRow.label} : évolution`,
            points: trend.map((t) => ({ label: t.label, value: t.value, note: t.display })), target: trendRow.target?.value ?? null,
          })
        : null,
    },
    bySite: [],
    findings: spec.findings?.(current) ?? null,
    comment: p.comments[spec.id] ?? '',
  };
  return { ...base, unavailable: null, blocks: [block], methods: spec.methods(current) };
}

export function emailSection(source: EmailSource | null, orgId: string, p: SectionParams): Promise<ReportSectionModel> {
  return mysterySection<EmailIndicators>({
    id: 'email',
    title: 'Enquête mystère « courriel »',
    source,
    notWired: 'Les résultats des enquêtes mystères « courriel » ne sont pas encore disponibles dans cette version.',
    noData: 'Aucun courriel mystère envoyé sur la période.',
    inputs: emailInputs,
    trendKey: 'reponses_dans_delai',
    subtitle: (e) => `${formatNumber(e.delivered)} courriel${e.delivered > 1 ? 's' : ''} distribué${e.delivered > 1 ? 's' : ''}, ${formatNumber(e.answered)} réponse${e.answered > 1 ? 's' : ''}`,
    findings: (e) => (e.bounces.length ? { title: 'Adresses invalides (messages non distribués)', items: e.bounces.map((b) => `${b.service} : ${b.address}`) } : null),
    methods: (e) => {
      const s = e?.settings;
      return [
        'Courriels distribués : envoyés et non rejetés par le serveur destinataire ; un rejet est signalé comme « adresse invalide ».',
        'Accusés de réception et réponses : rapportés aux courriels distribués ; signatures et délais : rapportés aux réponses.',
        `Délai de réponse en jours ouvrés (du lundi au vendredi hors jours fériés${s ? `, zone ${holidayZoneLabel(s.holidayZone)}${s.whitMondayWorked ? ', lundi de Pentecôte travaillé' : ''}` : ''}, heure de Paris) ; une réponse est dans le délai si elle arrive avant la fin du ${s?.deadlineDays ?? 5}e jour ouvré suivant l’envoi.`,
        `Signature conforme : ${s ? s.signatureChecklist.map((i) => SIGNATURE_ITEM_LABELS[i] ?? i).join(', ') : 'prénom, nom, qualité, service, adresse administrative, téléphone'} (article L111-2 du CRPA) ; l’anonymat justifié est accepté.`,
        'Résultats présentés par service et par canal, jamais par agent.',
      ];
    },
  }, orgId, p);
}

export function phoneSection(source: PhoneSource | null, orgId: string, p: SectionParams): Promise<ReportSectionModel> {
  return mysterySection<PhoneIndicators>({
    id: 'phone',
    title: 'Enquête mystère téléphonique',
    source,
    notWired: 'Les résultats des enquêtes mystères téléphoniques ne sont pas encore disponibles dans cette version.',
    noData: 'Aucun appel mystère reçu sur la période.',
    inputs: phoneInputs,
    trendKey: 'appels_aboutis',
    subtitle: (x) => `${formatNumber(x.calls)} appel${x.calls > 1 ? 's' : ''} mystère${x.calls > 1 ? 's' : ''}, ${formatNumber(x.answered)} abouti${x.answered > 1 ? 's' : ''}`,
    methods: (x) => {
      const s = x?.settings ?? { passMark: 7, maxAttempts: 3, attemptWaitSeconds: 300 };
      return [
        'Enquête croisée : les appels sont passés par les évaluateurs d’une autre préfecture.',
        `Appel non abouti après ${formatNumber(s.maxAttempts)} tentatives de ${formatNumber(Math.round(s.attemptWaitSeconds / 60))} minutes d’attente chacune.`,
        `Forme et fond notés chacun sur 10 ; seuil de réussite : ${formatNumber(s.passMark, Number.isInteger(s.passMark) ? 0 : 1)}/10.`,
        `Objectif national de taux d’appels aboutis : ${Math.round(ANSWERED_CALLS_TARGET * 100)} %.`,
      ];
    },
  }, orgId, p);
}
