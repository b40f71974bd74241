/**
 * The national table (pure): from the grouped rows of national.store.ts to one line of key
 * figures per organisation, the network's median and quartiles per column, and sorting.
 * Every figure goes through reports/metrics.ts, so small cells are withheld per organisation
 * exactly as in that organisation's own bilan (« effectif insuffisant »), and a withheld
 * figure never enters the median.
 */
import type { EmailCounts } from '../campaigns/probe-summaries';
import { callFacts, summarise, type CallFacts } from '../phone/scoring';
import { verdictOf, yearToDate, type MonthValue } from '../indicators/board';
import type { Indicator } from '../indicators/catalogue';
import { formatNumber } from '../format';
import { displayOf, figure, shareFigure, type RowFigure, type RowKind } from '../reports/metrics';
import type { ComplaintCounts, GridRow, MonthValueRow, OrgListRow, SatisfactionCounts } from './national.store';

export interface PhoneCounts { calls: number; answered: number; formSum: number; formN: number; substanceSum: number; substanceN: number; formPassed: number; substancePassed: number }
export interface IndicatorVerdict { indicator: Indicator; value: number | null; target: number | null; verdict: 'met' | 'missed' | null; months: number }

export interface OrgFigures {
  org: OrgListRow;
  figures: Record<ColumnKey, RowFigure>;
  indicators: IndicatorVerdict[];
  /** Raw counts behind the figures (never below the organisation level). */
  counts: { satisfaction: SatisfactionCounts | null; email: EmailCounts | null; phone: PhoneCounts | null; complaints: ComplaintCounts | null };
}

export const COLUMNS = [
  { key: 'satisfaction', label: 'Satisfaction (accueil global)', short: 'Satisfaction', kind: 'share', group: 'Enquêtes de satisfaction' },
  { key: 'emailAnswers', label: 'Courriels mystères : réponses', short: 'Réponses', kind: 'share', group: 'Courriels mystères' },
  { key: 'emailDeadline', label: 'Courriels mystères : réponses sous 5 jours ouvrés', short: 'Dans le délai', kind: 'share', group: 'Courriels mystères' },
  { key: 'emailDelay', label: 'Courriels mystères : délai moyen de réponse', short: 'Délai moyen', kind: 'days', group: 'Courriels mystères' },
  { key: 'phoneAnswered', label: 'Appels mystères : appels aboutis', short: 'Aboutis', kind: 'share', group: 'Appels mystères' },
  { key: 'phoneForm', label: 'Appels mystères : note de forme', short: 'Forme', kind: 'mark', group: 'Appels mystères' },
  { key: 'phoneSubstance', label: 'Appels mystères : note de fond', short: 'Fond', kind: 'mark', group: 'Appels mystères' },
  { key: 'complaints', label: 'Réclamations : nombre reçu', short: 'Reçues', kind: 'count', group: 'Réclamations' },
  { key: 'complaintsDeadline', label: 'Réclamations : réponses sous 15 jours ouvrés', short: 'Sous 15 jours', kind: 'share', group: 'Réclamations' },
  { key: 'complaintsDelay', label: 'Réclamations : délai moyen de réponse', short: 'Délai moyen', kind: 'days', group: 'Réclamations' },
  { key: 'indicatorsMet', label: 'Indicateurs mensuels : objectifs atteints', short: 'Objectifs atteints', kind: 'share', group: 'Indicateurs mensuels' },
] as const satisfies ReadonlyArray<{ key: string; label: string; short: string; kind: RowKind; group: string }>;
export type ColumnKey = (typeof COLUMNS)[number]['key'];
export const COLUMN_KEYS = COLUMNS.map((c) => c.key) as [ColumnKey, ...ColumnKey[]];

/** Lower is better for a delay; higher for everything else (the « meilleur quart » side). */
export const LOWER_IS_BETTER: ReadonlySet<ColumnKey> = new Set(['emailDelay', 'complaintsDelay']);

/** Phone counts per called organisation; pass marks are each programme's own. */
export function phoneCountsByOrg(grids: GridRow[]): Map<string, PhoneCounts> {
  const groups = new Map<string, { passMark: number; facts: CallFacts[]; orgId: string }>();
  for (const g of grids) {
    const key = `${g.calledOrgId}|${g.programmeId}`;
    const group = groups.get(key) ?? { passMark: g.passMark, facts: [], orgId: g.calledOrgId };
    group.facts.push(callFacts(g.answers));
    groups.set(key, group);
  }
  const out = new Map<string, PhoneCounts>();
  for (const { passMark, facts, orgId } of groups.values()) {
    const s = summarise(facts, passMark);
    const c = out.get(orgId) ?? { calls: 0, answered: 0, formSum: 0, formN: 0, substanceSum: 0, substanceN: 0, formPassed: 0, substancePassed: 0 };
    c.calls += s.calls;
    c.answered += s.answered.count;
    c.formSum += (s.form.mean ?? 0) * s.form.n;
    c.formN += s.form.n;
    c.substanceSum += (s.substance.mean ?? 0) * s.substance.n;
    c.substanceN += s.substance.n;
    c.formPassed += s.formPass.count;
    c.substancePassed += s.substancePass.count;
    out.set(orgId, c);
  }
  return out;
}

/**
 * Each stored monthly indicator over the period's months, aggregated as the board's year to
 * date (sums divided, counts summed, longest delay), against the organisation's own target or
 * the national one.
 */
export function indicatorVerdicts(catalogue: readonly Indicator[], values: MonthValueRow[], targets: ReadonlyMap<string, number> | undefined): IndicatorVerdict[] {
  return catalogue.filter((i) => i.source !== 'computed').map((i) => {
    const months: MonthValue[] = values.filter((v) => v.indicatorId === i.id)
      .map((v) => ({ indicatorId: v.indicatorId, month: v.month, breakdown: '', value: v.value, numerator: v.numerator, denominator: v.denominator, source: 'typed' }));
    const value = yearToDate(i, months);
    const target = i.polarity === 'none' ? null : targets?.get(i.id) ?? i.nationalTarget;
    return { indicator: i, value, target, verdict: verdictOf(i, value, target), months: months.length };
  });
}

export interface NationalInput {
  orgs: OrgListRow[];
  satisfaction: SatisfactionCounts[];
  email: Map<string, EmailCounts>;
  phone: Map<string, PhoneCounts>;
  complaints: ComplaintCounts[];
  values: MonthValueRow[];
  targets: Map<string, Map<string, number>>;
  catalogue: readonly Indicator[];
  minCell: number;
}

export function orgFigures(x: NationalInput): OrgFigures[] {
  const sat = new Map(x.satisfaction.map((s) => [s.orgId, s]));
  const compl = new Map(x.complaints.map((c) => [c.orgId, c]));
  const valuesOf = new Map<string, MonthValueRow[]>();
  for (const v of x.values) {
    const list = valuesOf.get(v.orgId);
    if (list) list.push(v);
    else valuesOf.set(v.orgId, [v]);
  }
  return x.orgs.map((org) => {
    const s = sat.get(org.id) ?? null;
    const e = x.email.get(org.id) ?? null;
    const p = x.phone.get(org.id) ?? null;
    const c = compl.get(org.id) ?? null;
    const inds = indicatorVerdicts(x.catalogue, valuesOf.get(org.id) ?? [], x.targets.get(org.id));
    const met = inds.filter((i) => i.verdict === 'met').length;
    const assessed = inds.filter((i) => i.verdict !== null).length;
    const none = (kind: RowKind): RowFigure => figure(kind, null, 0, 0);
    const figures: Record<ColumnKey, RowFigure> = {
      satisfaction: s ? shareFigure(s.top2, s.opinions, x.minCell) : none('share'),
      emailAnswers: e ? shareFigure(e.answered, e.delivered, x.minCell) : none('share'),
      emailDeadline: e ? shareFigure(e.withinDeadline, e.answered, x.minCell) : none('share'),
      emailDelay: e ? figure('days', e.answered ? e.delaySum / e.answered : null, e.answered, x.minCell) : none('days'),
      phoneAnswered: p ? shareFigure(p.answered, p.calls, x.minCell) : none('share'),
      phoneForm: p ? figure('mark', p.formN ? p.formSum / p.formN : null, p.formN, x.minCell) : none('mark'),
      phoneSubstance: p ? figure('mark', p.substanceN ? p.substanceSum / p.substanceN : null, p.substanceN, x.minCell) : none('mark'),
      // A count of complaints identifies nobody: no small-cell rule on it; the share and the mean are
      // withheld below the minimum cell size like every other figure (complaints-figures.ts rules).
      complaints: c ? figure('count', c.count, c.count, 0) : none('count'),
      complaintsDeadline: c ? shareFigure(c.withinDeadline, c.count - c.pending, x.minCell) : none('share'),
      complaintsDelay: c ? figure('days', c.answered ? c.delaySum / c.answered : null, c.answered, x.minCell) : none('days'),
      // Targets are the organisation's own management data, not answers: no small-cell rule.
      indicatorsMet: assessed ? { ...shareFigure(met, assessed, 0), display: `${formatNumber(met)} sur ${formatNumber(assessed)}` } : none('share'),
    };
    return { org, figures, indicators: inds, counts: { satisfaction: s, email: e, phone: p, complaints: c } };
  });
}

/** Quantile by linear interpolation between closest ranks (the spreadsheet's QUARTILE.INC). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Spread { n: number; q1: number | null; median: number | null; q3: number | null; best: number | null; display: { q1: string; median: string; q3: string; best: string } }

/** Median and quartiles of a column over the organisations whose figure is shown; `best` is the best quarter's threshold. */
export function spreadOf(key: ColumnKey, rows: OrgFigures[]): Spread {
  const kind = COLUMNS.find((c) => c.key === key)!.kind;
  const values = rows.map((r) => r.figures[key].value).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const q1 = quantile(values, 0.25);
  const median = quantile(values, 0.5);
  const q3 = quantile(values, 0.75);
  const best = LOWER_IS_BETTER.has(key) ? q1 : q3;
  return { n: values.length, q1, median, q3, best, display: { q1: displayOf(kind, q1), median: displayOf(kind, median), q3: displayOf(kind, q3), best: displayOf(kind, best) } };
}

/** Sort by a column (withheld and missing figures last whatever the order), then by code. */
export function sortRows(rows: OrgFigures[], key: ColumnKey | 'code' | 'name', order: 'asc' | 'desc'): OrgFigures[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (key === 'code' || key === 'name') return sign * a.org[key].localeCompare(b.org[key], 'fr', { numeric: true });
    const va = a.figures[key].value;
    const vb = b.figures[key].value;
    if (va === null && vb === null) return a.org.code.localeCompare(b.org.code, 'fr', { numeric: true });
    if (va === null) return 1;
    if (vb === null) return -1;
    return sign * (va - vb) || a.org.code.localeCompare(b.org.code, 'fr', { numeric: true });
  });
}
